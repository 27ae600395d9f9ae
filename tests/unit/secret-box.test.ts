import { describe, expect, it } from "vitest";
import { ConfigError } from "@/lib/errors";
import { decryptSecret, encryptSecret, generateSecretsKey, SecretBoxError, secretsKey } from "@/lib/secret-box";

const key = secretsKey({ SECRETS_KEY: generateSecretsKey() });

describe("stored secrets", () => {
  it("round-trip under their purpose and owner, and never contain the plaintext", () => {
    const stored = encryptSecret("s3cr3t-Client-Value", "partner-center-client-secret", "tenant-a", key);
    expect(stored).toMatch(/^v1\.[\w-]{8}\.[\w-]+\.[\w-]+$/);
    expect(stored).not.toContain("s3cr3t");
    expect(decryptSecret(stored, "partner-center-client-secret", "tenant-a", key)).toBe("s3cr3t-Client-Value");
  });

  it("encrypt the same secret differently each time", () => {
    const a = encryptSecret("same", "p", "o", key);
    expect(encryptSecret("same", "p", "o", key)).not.toBe(a);
  });

  it("do not decrypt on another owner's row, for another purpose, or once altered", () => {
    const stored = encryptSecret("value", "webhook-signing-key", "destination-1", key);
    expect(() => decryptSecret(stored, "webhook-signing-key", "destination-2", key)).toThrow(SecretBoxError);
    expect(() => decryptSecret(stored, "splunk-token", "destination-1", key)).toThrow(SecretBoxError);
    const parts = stored.split(".");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString("base64url");
    expect(() => decryptSecret(parts.join("."), "webhook-signing-key", "destination-1", key)).toThrow(/altered/);
  });

  it("say in words when the key is another one, missing or malformed", () => {
    const stored = encryptSecret("value", "p", "o", key);
    const other = secretsKey({ SECRETS_KEY: generateSecretsKey() });
    expect(() => decryptSecret(stored, "p", "o", other)).toThrow(/another SECRETS_KEY/);
    expect(() => decryptSecret("plain text", "p", "o", key)).toThrow(/known format/);
    expect(() => secretsKey({})).toThrow(ConfigError);
    expect(() => secretsKey({ SECRETS_KEY: "c2hvcnQ=" })).toThrow(/32 random bytes/);
    expect(secretsKey({ SECRETS_KEY: "ab".repeat(32) })).toHaveLength(32);
  });
});
