import type { Sql } from "postgres";
import { scopeMaintenanceSql, withTenantSql, type TenantScope } from "./scope";
import type { Cloud } from "@/lib/domain";

/*
 * The Partner Center sync's own SQL: which connections are due, a tenant's connection and
 * checkpoints, and the run's status. Only the list of due connections crosses tenants (as
 * maintenance); everything about one tenant runs scoped to it, as the request role.
 */

export interface StoredConnection {
  tenantId: string;
  cloud: Cloud;
  clientId: string;
  /** Sealed with lib/secret-box.ts. */
  clientSecret: string;
  refreshToken: string | null;
  baseUrl: string;
  enabled: boolean;
}

export async function listDueConnections(sql: Sql, now: Date, { all = false } = {}): Promise<TenantScope[]> {
  return sql.begin(async (tx) => {
    await scopeMaintenanceSql(tx);
    return tx<TenantScope[]>`
      select tenant_id as "tenantId", cloud from partner_center_connections
      where enabled and (${all} or next_run_at is null or next_run_at <= ${now.toISOString()}::timestamptz)
      order by next_run_at nulls first, tenant_id`;
  });
}

export function loadConnection(sql: Sql, scope: TenantScope): Promise<StoredConnection | null> {
  return withTenantSql(sql, scope, async (tx) => {
    const [row] = await tx<StoredConnection[]>`
      select tenant_id as "tenantId", cloud, client_id as "clientId", client_secret as "clientSecret",
             refresh_token as "refreshToken", base_url as "baseUrl", enabled
      from partner_center_connections where tenant_id = ${scope.tenantId}`;
    return row ?? null;
  });
}

/** The UTC days (yyyy-mm-dd) from `from` on whose every page is stored. */
export function completedDays(sql: Sql, scope: TenantScope, from: string): Promise<Set<string>> {
  return withTenantSql(sql, scope, async (tx) => {
    const rows = await tx<{ day: string }[]>`
      select to_char(day, 'YYYY-MM-DD') as day from partner_center_sync_days
      where tenant_id = ${scope.tenantId} and day >= ${from}::date`;
    return new Set(rows.map((r) => r.day));
  });
}

export function startRun(sql: Sql, scope: TenantScope, at: Date): Promise<void> {
  return withTenantSql(sql, scope, async (tx) => {
    await tx`update partner_center_connections set last_run_at = ${at.toISOString()}::timestamptz, last_run_stored = 0
             where tenant_id = ${scope.tenantId}`;
  });
}

/** Days' checkpoints and the records they stored, in one transaction. */
export function completeDays(
  sql: Sql,
  scope: TenantScope,
  days: Array<{ day: string; records: number }>,
  { stored, at }: { stored: number; at: Date },
): Promise<void> {
  return withTenantSql(sql, scope, async (tx) => {
    await tx`
      insert into partner_center_sync_days (tenant_id, day, cloud, completed_at, records)
      select ${scope.tenantId}, d.day, ${scope.cloud}, ${at.toISOString()}::timestamptz, d.records
      from jsonb_to_recordset(${JSON.stringify(days)}::text::jsonb) as d(day date, records int)
      on conflict (tenant_id, day) do update set completed_at = excluded.completed_at, records = excluded.records`;
    await tx`
      update partner_center_connections
      set last_run_stored = last_run_stored + ${stored}, total_stored = total_stored + ${stored}
      where tenant_id = ${scope.tenantId}`;
  });
}

export function finishRun(
  sql: Sql,
  scope: TenantScope,
  { at, error, succeeded, nextRunAt }: { at: Date; error: string | null; succeeded: boolean; nextRunAt: Date },
): Promise<void> {
  return withTenantSql(sql, scope, async (tx) => {
    await tx`
      update partner_center_connections
      set last_error = ${error}, last_error_at = ${error ? at.toISOString() : null}::timestamptz,
          last_success_at = case when ${succeeded} then ${at.toISOString()}::timestamptz else last_success_at end,
          next_run_at = ${nextRunAt.toISOString()}::timestamptz
      where tenant_id = ${scope.tenantId}`;
  });
}

export function storeRefreshToken(sql: Sql, scope: TenantScope, sealed: string): Promise<void> {
  return withTenantSql(sql, scope, async (tx) => {
    await tx`update partner_center_connections set refresh_token = ${sealed} where tenant_id = ${scope.tenantId}`;
  });
}

/**
 * One sync of a tenant at a time across every instance: a session advisory lock on a connection
 * reserved for the run, so it is released when the run ends or its process dies.
 */
export async function withSyncLock<T>(sql: Sql, tenantId: string, fn: () => Promise<T>): Promise<T | "busy"> {
  const reserved = await sql.reserve();
  try {
    const [{ locked }] = await reserved<[{ locked: boolean }]>`
      select pg_try_advisory_lock(hashtextextended('partner-center-sync:' || ${tenantId}, 0)) as locked`;
    if (!locked) return "busy";
    try {
      return await fn();
    } finally {
      await reserved`select pg_advisory_unlock(hashtextextended('partner-center-sync:' || ${tenantId}, 0))`;
    }
  } finally {
    reserved.release();
  }
}
