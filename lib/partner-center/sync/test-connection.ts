import type { Sql } from "postgres";
import { loadConnection, storeRefreshToken } from "@/db/partner-center-sync";
import type { TenantScope } from "@/db/scope";
import { decryptSecret, encryptSecret, SecretBoxError, secretsKey } from "@/lib/secret-box";
import { PartnerCenterRemote, SyncFailure } from "./remote";
import { DEFAULT_RETRY_POLICY } from "./retry";
import { REFRESH_TOKEN_PURPOSE, SECRET_PURPOSE } from "./sync-tenant";

export type ConnectionTest =
  | { ok: true; authorityHost: string; records: number }
  | { ok: false; problem: "not_configured" }
  | { ok: false; problem: "failed"; message: string };

/**
 * "Test connection": a token from the tenant's own authority and one page of the last hour's
 * records, with few retries so the page answers quickly. Stores nothing.
 */
export async function testConnection(
  sql: Sql,
  scope: TenantScope,
  env: Record<string, string | undefined> = process.env,
): Promise<ConnectionTest> {
  const connection = await loadConnection(sql, scope);
  if (!connection) return { ok: false, problem: "not_configured" };
  try {
    const key = secretsKey(env);
    const remote = new PartnerCenterRemote(
      {
        ...scope,
        clientId: connection.clientId,
        clientSecret: decryptSecret(connection.clientSecret, SECRET_PURPOSE, scope.tenantId, key),
        refreshToken: connection.refreshToken
          ? decryptSecret(connection.refreshToken, REFRESH_TOKEN_PURPOSE, scope.tenantId, key)
          : null,
        baseUrl: connection.baseUrl,
      },
      {
        env,
        policy: { ...DEFAULT_RETRY_POLICY, attempts: 2, timeoutMs: 10_000, maxRetryAfterMs: 5_000 },
        // Entra ID rotates the refresh token on use: the sync needs the new one.
        onRefreshToken: (token) =>
          storeRefreshToken(sql, scope, encryptSecret(token, REFRESH_TOKEN_PURPOSE, scope.tenantId, key)),
      },
    );
    const now = new Date();
    const { items } = await remote.fetchPage(new Date(now.getTime() - 3_600_000), now, { size: 1 });
    return { ok: true, authorityHost: remote.authorityHost, records: items.length };
  } catch (error) {
    if (error instanceof SyncFailure) return { ok: false, problem: "failed", message: error.message };
    if (error instanceof SecretBoxError) {
      return { ok: false, problem: "failed", message: `The stored client secret cannot be read: ${error.message}.` };
    }
    throw error;
  }
}
