import type { Cloud, PartnerRole } from "./schema";
import { getDb, type Database } from "./client";
import { scopeMaintenance, scopeTenant } from "./scope";

/** Who a request acts for. Built only by getTenantContext() from a verified session. */
export interface TenantContext {
  tenantId: string;
  cloud: Cloud;
  userId: string;
  userPrincipalName: string;
  role: PartnerRole;
}

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
