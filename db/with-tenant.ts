import type { TenantContext } from "@/lib/domain";
import { getDb, type Database } from "./client";
import { scopeMaintenance, scopeTenant } from "./scope";

export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

export { APP_ROLE, REQUEST_RANDOM_PAGE_COST } from "./scope";

/**
 * Runs `fn` in a transaction scoped to one tenant and cloud, twice over: query functions filter by
 * the context in code, and row-level security filters by the same values (db/scope.ts), as a role
 * that cannot bypass it.
 */
export function withTenant<T>(
  ctx: Pick<TenantContext, "tenantId" | "cloud">,
  fn: (tx: Tx) => Promise<T>,
  db: Database = getDb(),
): Promise<T> {
  return db.transaction(async (tx) => {
    await scopeTenant(tx, ctx);
    return fn(tx);
  });
}

/**
 * Cross-tenant work that only operators run (seeding, partition upkeep, verification): as the
 * owner, through the `maintenance` policies, never reachable from a request.
 */
export function withMaintenance<T>(fn: (tx: Tx) => Promise<T>, db: Database = getDb()): Promise<T> {
  return db.transaction(async (tx) => {
    await scopeMaintenance(tx);
    return fn(tx);
  });
}
