import type { Cloud } from "@/lib/domain";

/*
 * Where a tenant's connector gets its tokens: its own cloud's authority, never the other's. Partner
 * Center's API host is the same for both clouds (the token's authority tells the cloud), so the
 * authority is the boundary. The variables exist for the local stand-in in demo and tests.
 */

export const DEFAULT_PARTNER_CENTER_API = "https://api.partnercenter.microsoft.com";

const AUTHORITIES: Record<Cloud, { variable: string; url: string }> = {
  commercial: { variable: "PARTNER_CENTER_AUTHORITY_COMMERCIAL", url: "https://login.microsoftonline.com" },
  usgov: { variable: "PARTNER_CENTER_AUTHORITY_USGOV", url: "https://login.microsoftonline.us" },
};

export function authorityFor(cloud: Cloud, env: Record<string, string | undefined> = process.env): string {
  const { variable, url } = AUTHORITIES[cloud];
  return (env[variable] || url).replace(/\/+$/, "");
}

/** The default API base for new connections (PARTNER_CENTER_API_URL, else Partner Center's). */
export const defaultApiBase = (env: Record<string, string | undefined> = process.env): string =>
  (env.PARTNER_CENTER_API_URL || DEFAULT_PARTNER_CENTER_API).replace(/\/+$/, "");
