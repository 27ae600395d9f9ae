import type { Sql } from "postgres";
import { listDueConnections } from "@/db/partner-center-sync";
import type { TenantScope } from "@/db/scope";
import { syncTenant, type SyncOptions, type SyncRunResult } from "./sync-tenant";

/** Every enabled connection that is due (or all of them), one tenant after another. */
export async function syncDueTenants(
  sql: Sql,
  options: SyncOptions & { all?: boolean; tenantId?: string } = {},
): Promise<Array<{ scope: TenantScope; result: SyncRunResult }>> {
  const now = options.now?.() ?? new Date();
  const due = (await listDueConnections(sql, now, { all: options.all || !!options.tenantId })).filter(
    (scope) => !options.tenantId || scope.tenantId === options.tenantId,
  );
  const results: Array<{ scope: TenantScope; result: SyncRunResult }> = [];
  for (const scope of due) results.push({ scope, result: await syncTenant(sql, scope, options) });
  return results;
}

/** PARTNER_CENTER_SYNC_MINUTES: minutes between a tenant's runs (default 15; 0 turns the schedule off). */
export function syncIntervalMinutes(env: Record<string, string | undefined> = process.env): number {
  const value = env.PARTNER_CENTER_SYNC_MINUTES;
  if (value === undefined || value === "") return 15;
  const minutes = Number(value);
  return Number.isFinite(minutes) && minutes >= 0 ? minutes : 15;
}
