import MicrosoftEntraID from "next-auth/providers/microsoft-entra-id";
import { CLOUD_LABELS } from "@/lib/clouds";
import { ConfigError } from "@/lib/errors";
import type { Cloud } from "@/lib/domain";

export interface CloudAuthority {
  cloud: Cloud;
  issuer: string;
  clientId: string;
  clientSecret: string;
}

const envPrefix = (cloud: Cloud) => `AUTH_${cloud.toUpperCase()}`;

/**
 * Issuer, client id and secret of each served cloud, from AUTH_COMMERCIAL_* and AUTH_USGOV_*.
 * Production: https://login.microsoftonline.com/<tenant>/v2.0 and
 * https://login.microsoftonline.us/<tenant>/v2.0. Demo and tests: the local OIDC server.
 */
export function cloudAuthorities(clouds: readonly Cloud[], env: NodeJS.ProcessEnv = process.env): CloudAuthority[] {
  return clouds.map((cloud) => {
    const prefix = envPrefix(cloud);
    const issuer = env[`${prefix}_ISSUER`];
    const clientId = env[`${prefix}_CLIENT_ID`];
    const clientSecret = env[`${prefix}_CLIENT_SECRET`];
    if (!issuer || !clientId || !clientSecret) {
      throw new ConfigError(
        `${prefix}_ISSUER, ${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET must be set to serve the ${cloud} cloud`,
      );
    }
    return { cloud, issuer: issuer.replace(/\/$/, ""), clientId, clientSecret };
  });
}

/**
 * One Entra ID provider per cloud; the provider id is the cloud, which is how a session knows
 * its cloud without trusting anything the user sends. The profile never calls Microsoft Graph
 * (the provider's default calls the commercial Graph, wrong for the US Government cloud).
 */
export function cloudProviders(authorities: readonly CloudAuthority[]) {
  return authorities.map((a) =>
    MicrosoftEntraID({
      id: a.cloud,
      name: `Microsoft Entra ID (${CLOUD_LABELS[a.cloud]})`,
      issuer: a.issuer,
      clientId: a.clientId,
      clientSecret: a.clientSecret,
      authorization: { params: { scope: "openid profile email" } },
      checks: ["pkce", "state", "nonce"],
      profile(claims) {
        return {
          id: String(claims.sub),
          name: typeof claims.name === "string" ? claims.name : null,
          email: String(claims.preferred_username ?? claims.email ?? ""),
        };
      },
    }),
  );
}
