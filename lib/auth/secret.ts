import { ConfigError } from "@/lib/errors";

// Values that appear in tutorials and .env examples: a deployment using one has no secret at all.
const KNOWN_DEFAULTS = new Set([
  "secret",
  "changeme",
  "change-me",
  "development",
  "your-secret",
  "supersecret",
  "auth-secret",
  "next-auth-secret",
]);
const MIN_LENGTH = 32;

/**
 * A production deployment (real sign-in authorities configured) refuses to start without a
 * strong AUTH_SECRET: anyone who knows the secret can mint a session for any tenant. Demo mode
 * generates a random one instead (scripts/demo-services.ts).
 */
export function assertProductionSecret(env: Record<string, string | undefined>, productionAuthorities: boolean): void {
  if (!productionAuthorities) return;
  const secret = env.AUTH_SECRET?.trim() ?? "";
  if (!secret) throw new ConfigError("AUTH_SECRET must be set when real sign-in authorities are configured");
  if (secret.length < MIN_LENGTH || KNOWN_DEFAULTS.has(secret.toLowerCase())) {
    throw new ConfigError(
      `AUTH_SECRET is a default or too short (at least ${MIN_LENGTH} random characters, e.g. openssl rand -base64 32)`,
    );
  }
}
