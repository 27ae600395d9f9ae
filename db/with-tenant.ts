import { sql } from "drizzle-orm";
import type { Cloud, PartnerRole } from "./schema";
import { getDb, type Database } from "./client";

/** Who a request acts for. Built only by getTenantContext() from a verified session. */
export interface TenantContext {
  tenantId: string;
  cloud: Cloud;
  userId: string;
  userPrincipalName: string;
  role: PartnerRole;
}

export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** The role that migrations create for requests: not the owner, not a superuser, subject to RLS. */
export const APP_ROLE = "activity_app";

/**
 * Runs `fn` in a transaction scoped to one tenant and cloud, twice over: query functions filter by
 * the context in code, and row-level security filters by the same values here, as a role that
 * cannot bypass it. One round trip sets them all (set_config on `role` is SET LOCAL ROLE).
 *
 * The planner's random_page_cost is lowered for these transactions: requests read a few thousand
 * index entries of a hot, cached index, and at the default (4, tuned for spinning disks) the
 * planner preferred sequential scans of whole monthly partitions for the page's capped count
 * (measured in npm run bench). Scoped to the transaction, so it needs no server configuration.
 */
export const REQUEST_RANDOM_PAGE_COST = "1.1";

export function withTenant<T>(
  ctx: Pick<TenantContext, "tenantId" | "cloud">,
  fn: (tx: Tx) => Promise<T>,
  db: Database = getDb(),
): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.tenant_id', ${ctx.tenantId}, true),
                                set_config('app.cloud', ${ctx.cloud}, true),
                                set_config('role', ${APP_ROLE}, true),
                                set_config('random_page_cost', ${REQUEST_RANDOM_PAGE_COST}, true)`);
    return fn(tx);
  });
}

/**
 * Cross-tenant work that only operators run (seeding, partition upkeep, verification): as the
 * owner, through the `maintenance` policies, never reachable from a request.
 */
export function withMaintenance<T>(fn: (tx: Tx) => Promise<T>, db: Database = getDb()): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.maintenance', 'on', true)`);
    return fn(tx);
  });
}
