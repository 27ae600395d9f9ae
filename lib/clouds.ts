import { ConfigError } from "./errors";
import { CLOUDS, type Cloud } from "@/lib/domain";

export const CLOUD_LABELS: Record<Cloud, string> = {
  commercial: "Commercial",
  usgov: "US Government",
};

export const isCloud = (value: unknown): value is Cloud => CLOUDS.includes(value as Cloud);

/**
 * The clouds this deployment serves (PARTNER_CLOUDS, comma-separated; default both). A sovereign
 * deployment sets PARTNER_CLOUDS=usgov: only that provider exists and any other session is refused.
 */
export function servedClouds(env: NodeJS.ProcessEnv = process.env): Cloud[] {
  const raw = env.PARTNER_CLOUDS?.trim();
  if (!raw) return [...CLOUDS];
  const clouds = raw
    .split(",")
    .map((c) => c.trim())
    .filter(Boolean);
  const unknown = clouds.filter((c) => !isCloud(c));
  if (unknown.length || clouds.length === 0) {
    throw new ConfigError(`PARTNER_CLOUDS must list clouds from "commercial,usgov"; got "${raw}"`);
  }
  return [...new Set(clouds)] as Cloud[];
}
