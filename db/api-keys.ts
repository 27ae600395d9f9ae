import { randomUUID } from "node:crypto";
import type { Sql } from "postgres";
import { scopeMaintenanceSql, scopeRequestRoleSql } from "./scope";
import { singleRow } from "./single-row";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/uuid";
import { apiKeyDisplayPrefix, generateApiKey, hashApiKey } from "@/lib/ingest/api-key-format";
import { API_KEY_SCOPES, type ApiKeyScope, type Cloud } from "@/lib/domain";

/** Who an API key speaks for: the key decides the tenant and the cloud, never the body. */
export interface ApiKeyIdentity {
  keyId: string;
  tenantId: string;
  cloud: Cloud;
  scopes: ApiKeyScope[];
}

/**
 * The unrevoked key with this hash, or null. Runs as the request role, which cannot read api_keys:
 * it asks the SECURITY DEFINER function api_key_lookup() (db/migrations/0003_*, 0008_*), which returns only
 * the key id, tenant and cloud of an unrevoked key.
 */
export async function findApiKey(sql: Sql, keyHash: string): Promise<ApiKeyIdentity | null> {
  // The role and the lookup go out together (pipelined): one round trip between BEGIN and COMMIT.
  const [, rows] = await sql.begin(async (tx) =>
    Promise.all([
      scopeRequestRoleSql(tx),
      tx<Array<{ key_id: string; tenant_id: string; cloud: Cloud; scopes: string }>>`
        select key_id, tenant_id, cloud, scopes::text as scopes from api_key_lookup(${keyHash})`,
    ]),
  );
  const row = rows[0];
  return row ? { keyId: row.key_id, tenantId: row.tenant_id, cloud: row.cloud, scopes: parseScopes(row.scopes) } : null;
}

/** A text[] as Postgres prints it ({ingest,read}); the scopes are plain words, never quoted. */
const parseScopes = (text: string): ApiKeyScope[] =>
  text
    .replace(/^\{|\}$/g, "")
    .split(",")
    .filter((s): s is ApiKeyScope => (API_KEY_SCOPES as readonly string[]).includes(s));

/*
 * Key management is an operator's job (npm run api-keys): as the owner, with the maintenance
 * switch, on a transaction of its own.
 */
function asMaintenance<T>(sql: Sql, fn: (tx: Sql) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    await scopeMaintenanceSql(tx);
    return fn(tx as unknown as Sql);
  }) as Promise<T>;
}

export interface ApiKeyInfo {
  id: string;
  tenantId: string;
  cloud: Cloud;
  name: string;
  keyPrefix: string;
  scopes: ApiKeyScope[];
  createdAt: Date;
  revokedAt: Date | null;
}

export interface CreatedApiKey extends ApiKeyInfo {
  /** The key itself: shown once, never stored. */
  key: string;
}

const NAME_MAX = 100;

// Times as epoch milliseconds, whichever pool runs the query (Drizzle's returns timestamptz as text).
const KEY_COLUMNS_SQL = `k.id, k.tenant_id, t.cloud, k.name, k.key_prefix, k.scopes::text as scopes,
  (extract(epoch from k.created_at) * 1000)::float8 as created_ms,
  (extract(epoch from k.revoked_at) * 1000)::float8 as revoked_ms`;

/** Creates a key for a tenant. `key` may be given only to seed the documented demo keys. */
export async function createApiKey({
  sql,
  tenantId,
  name,
  key = generateApiKey(),
  id = randomUUID(),
  scopes = ["ingest"],
}: {
  sql: Sql;
  tenantId: string;
  name: string;
  key?: string;
  id?: string;
  scopes?: ApiKeyScope[];
}): Promise<CreatedApiKey> {
  const label = name.trim();
  if (!isUuid(tenantId)) throw new AppError("bad_request", "The tenant must be a UUID.");
  if (label.length === 0 || label.length > NAME_MAX)
    throw new AppError("bad_request", `The name must be 1 to ${NAME_MAX} characters.`);
  return asMaintenance(sql, async (tx) => {
    const [tenant] = await tx<Array<{ cloud: Cloud }>>`select cloud from partner_tenants where id = ${tenantId}`;
    if (!tenant) throw new AppError("not_found", `No partner tenant ${tenantId}.`);
    const row = singleRow(
      await tx<Array<{ created_ms: number }>>`
        insert into api_keys (id, tenant_id, name, key_prefix, key_hash, scopes)
        values (${id}, ${tenantId}, ${label}, ${apiKeyDisplayPrefix(key)}, ${hashApiKey(key)}, ${scopes}::text[])
        returning (extract(epoch from created_at) * 1000)::float8 as created_ms`,
      "Inserting an API key",
    );
    return {
      id,
      tenantId,
      cloud: tenant.cloud,
      name: label,
      keyPrefix: apiKeyDisplayPrefix(key),
      scopes,
      createdAt: new Date(Number(row.created_ms)),
      revokedAt: null,
      key,
    };
  });
}

/** Revokes a key at once (the next request with it gets 401). Null if there is no such key. */
export async function revokeApiKey({ sql, id }: { sql: Sql; id: string }): Promise<ApiKeyInfo | null> {
  if (!isUuid(id)) return null;
  return asMaintenance(sql, async (tx) => {
    const [row] = await tx<Array<RawKeyRow>>`
      update api_keys k set revoked_at = coalesce(k.revoked_at, now())
      from partner_tenants t where t.id = k.tenant_id and k.id = ${id}
      returning ${tx.unsafe(KEY_COLUMNS_SQL)}`;
    return row ? toInfo(row) : null;
  });
}

export async function listApiKeys({ sql, tenantId }: { sql: Sql; tenantId: string }): Promise<ApiKeyInfo[]> {
  if (!isUuid(tenantId)) return [];
  return asMaintenance(sql, async (tx) => {
    const rows = await tx<RawKeyRow[]>`
      select ${tx.unsafe(KEY_COLUMNS_SQL)}
      from api_keys k join partner_tenants t on t.id = k.tenant_id
      where k.tenant_id = ${tenantId} order by k.created_at, k.id`;
    return rows.map(toInfo);
  });
}

interface RawKeyRow {
  id: string;
  tenant_id: string;
  cloud: Cloud;
  name: string;
  key_prefix: string;
  scopes: string;
  created_ms: number;
  revoked_ms: number | null;
}

const toInfo = (r: RawKeyRow): ApiKeyInfo => ({
  id: r.id,
  tenantId: r.tenant_id,
  cloud: r.cloud,
  name: r.name,
  keyPrefix: r.key_prefix,
  scopes: parseScopes(r.scopes),
  createdAt: new Date(Number(r.created_ms)),
  revokedAt: r.revoked_ms === null ? null : new Date(Number(r.revoked_ms)),
});
