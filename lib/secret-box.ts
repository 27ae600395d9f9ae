import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { ConfigError } from "@/lib/errors";

/*
 * Secrets the product must use again later (a Partner Center client secret, a webhook signing key,
 * a Splunk token) are stored encrypted with AES-256-GCM under SECRETS_KEY, a 32-byte key from the
 * environment. The associated data names what the secret is for (purpose and owner), so a
 * ciphertext copied onto another tenant's or another destination's row does not decrypt.
 *
 * Stored form: `v1.<key id>.<iv>.<ciphertext+tag>`, base64url. The key id (a hash prefix of the
 * key) lets a wrong or rotated key be reported in words instead of as a failed tag check.
 */

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBoxError extends Error {}

function decodeKey(value: string): Buffer {
  const trimmed = value.trim();
  const key = Buffer.from(trimmed, /^[0-9a-f]{64}$/i.test(trimmed) ? "hex" : "base64");
  if (key.length !== 32)
    throw new ConfigError(
      "SECRETS_KEY must be 32 random bytes, as base64 or 64 hex digits (e.g. openssl rand -base64 32)",
    );
  return key;
}

/** The key from the environment; a clear error when it is missing or malformed. */
export function secretsKey(env: Record<string, string | undefined> = process.env): Buffer {
  const value = env.SECRETS_KEY;
  if (!value?.trim())
    throw new ConfigError("SECRETS_KEY is not set: stored connection secrets cannot be encrypted or read");
  return decodeKey(value);
}

const keyId = (key: Buffer) => createHash("sha256").update(key).digest("base64url").slice(0, 8);

/** `purpose` and `owner` bind the ciphertext to its row, e.g. ("partner-center-client-secret", tenantId). */
export function encryptSecret(plaintext: string, purpose: string, owner: string, key = secretsKey()): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(`${purpose}\u0000${owner}`));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return [VERSION, keyId(key), iv.toString("base64url"), body.toString("base64url")].join(".");
}

export function decryptSecret(stored: string, purpose: string, owner: string, key = secretsKey()): string {
  const [version, id, iv, body] = stored.split(".");
  if (version !== VERSION || !id || !iv || !body)
    throw new SecretBoxError("the stored secret is not in a known format");
  if (id !== keyId(key))
    throw new SecretBoxError("the stored secret was encrypted with another SECRETS_KEY: enter the secret again");
  const data = Buffer.from(body, "base64url");
  if (data.length < TAG_BYTES) throw new SecretBoxError("the stored secret is truncated");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(`${purpose}\u0000${owner}`));
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new SecretBoxError("the stored secret does not belong to this row or was altered");
  }
}

/** A fresh key in the form SECRETS_KEY takes. */
export function generateSecretsKey(): string {
  return randomBytes(32).toString("base64");
}
