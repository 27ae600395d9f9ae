import { AppError } from "@/lib/errors";
import { createHash, randomBytes } from "node:crypto";
import { API_KEY_SCOPES, type ApiKeyScope } from "@/lib/domain";

/*
 * API keys look like `pal_<43 base64url characters>` (256 random bits). Only the SHA-256 of the
 * whole key is stored: with that much entropy a slow password hash would add latency to every
 * request and no protection. The first KEY_PREFIX_LENGTH characters are kept to tell keys apart.
 */

export const API_KEY_PREFIX = "pal_";
export const KEY_PREFIX_LENGTH = 12;
const KEY_PATTERN = /^pal_[A-Za-z0-9_-]{16,128}$/;

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString("base64url");
}

export const isWellFormedApiKey = (key: string): boolean => KEY_PATTERN.test(key);

export const hashApiKey = (key: string): string => createHash("sha256").update(key, "utf8").digest("hex");

export const apiKeyDisplayPrefix = (key: string): string => key.slice(0, KEY_PREFIX_LENGTH);

/** The key from `Authorization: Bearer <key>`, or null when the header is absent or malformed. */
export function bearerToken(header: string | null): string | null {
  if (!header) return null;
  const [, key] = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header) ?? [];
  if (key === undefined || !isWellFormedApiKey(key)) return null;
  return key;
}

/** Scopes as the CLI takes them ("ingest,read"); an unknown or empty list is the caller's mistake. */
export function parseScopeList(list: string): ApiKeyScope[] {
  const scopes = [...new Set(list.split(",").map((s) => s.trim()))];
  const unknown = scopes.filter((s) => !(API_KEY_SCOPES as readonly string[]).includes(s));
  if (scopes.length === 0 || unknown.length > 0) {
    throw new AppError(
      "bad_request",
      `Scopes must be a comma-separated list of ${API_KEY_SCOPES.join(", ")}; got "${list}".`,
    );
  }
  return scopes as ApiKeyScope[];
}
