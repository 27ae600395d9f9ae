import { and, asc, desc, eq, exists, gt, gte, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import type { Database } from "../client";
import {
  activityDayCounts,
  customers,
  partnerTenants,
  partnerUsers,
  subscriptions,
  type Customer,
  type Subscription,
} from "../schema";
import { withTenant, type Tx } from "../with-tenant";
import { isUuid } from "@/lib/uuid";
import type { TenantContext } from "@/lib/domain";

/*
 * Directory reads for the Activity log: the customer an entry links to, its subscriptions, and the
 * choices of the user and action filters. Like every query module: tenant context first, inside
 * withTenant, and filtered by tenant in SQL as well as by row-level security.
 */

type Scope = Pick<TenantContext, "tenantId" | "cloud">;

/*
 * Directory tables carry no cloud column; the tenant row does. Checking it in code mirrors the RLS
 * policy, so a context whose cloud is not its tenant's sees nothing here either. Uncorrelated, so
 * Postgres evaluates it once per query.
 */
function tenantInCloud(tx: Tx, ctx: Scope): SQL {
  return exists(
    tx
      .select({ one: sql`1` })
      .from(partnerTenants)
      .where(and(eq(partnerTenants.id, ctx.tenantId), eq(partnerTenants.cloud, ctx.cloud))),
  );
}

/** The customer, or null when the id is malformed or not this tenant's (callers answer 404). */
export async function getCustomer({
  ctx,
  customerId,
  db,
}: {
  ctx: Scope;
  customerId: string;
  db?: Database;
}): Promise<Customer | null> {
  if (!isUuid(customerId)) return null;
  return withTenant(
    ctx,
    async (tx) => {
      const rows = await tx
        .select()
        .from(customers)
        .where(and(eq(customers.tenantId, ctx.tenantId), eq(customers.id, customerId), tenantInCloud(tx, ctx)))
        .limit(1);
      return rows[0] ?? null;
    },
    db,
  );
}

/**
 * The customer's subscriptions, newest first (the newest `limit` of them, when given), and how
 * many it has in all; empty for a malformed or foreign customer id.
 */
export async function getCustomerSubscriptions({
  ctx,
  customerId,
  limit,
  db,
}: {
  ctx: Scope;
  customerId: string;
  limit?: number;
  db?: Database;
}): Promise<Subscription[]> {
  if (!isUuid(customerId)) return [];
  return withTenant(
    ctx,
    (tx) => {
      const query = tx
        .select()
        .from(subscriptions)
        .where(
          and(
            eq(subscriptions.tenantId, ctx.tenantId),
            eq(subscriptions.customerId, customerId),
            tenantInCloud(tx, ctx),
          ),
        )
        .orderBy(desc(subscriptions.createdAt), asc(subscriptions.id));
      return limit === undefined ? query : query.limit(limit);
    },
    db,
  );
}

/** How many subscriptions the customer has (0 for a malformed or foreign customer id). */
export async function countCustomerSubscriptions({
  ctx,
  customerId,
  db,
}: {
  ctx: Scope;
  customerId: string;
  db?: Database;
}): Promise<number> {
  if (!isUuid(customerId)) return 0;
  const [row] = await withTenant(
    ctx,
    (tx) =>
      tx
        .select({ n: sql<number>`count(*)::int` })
        .from(subscriptions)
        .where(
          and(
            eq(subscriptions.tenantId, ctx.tenantId),
            eq(subscriptions.customerId, customerId),
            tenantInCloud(tx, ctx),
          ),
        ),
    db,
  );
  return row?.n ?? 0;
}

/** The tenant's customers by name, for the Customers page. */
export async function listCustomers({
  ctx,
  limit = 1000,
  db,
}: {
  ctx: Scope;
  limit?: number;
  db?: Database;
}): Promise<Customer[]> {
  return withTenant(
    ctx,
    (tx) =>
      tx
        .select()
        .from(customers)
        .where(and(eq(customers.tenantId, ctx.tenantId), tenantInCloud(tx, ctx)))
        .orderBy(asc(customers.companyName), asc(customers.id))
        .limit(limit),
    db,
  );
}

export interface PartnerUserOption {
  userPrincipalName: string;
  displayName: string;
}

/** The tenant's partner users, for the "Partner user" filter. */
export async function listPartnerUsers({ ctx, db }: { ctx: Scope; db?: Database }): Promise<PartnerUserOption[]> {
  return withTenant(
    ctx,
    (tx) =>
      tx
        .select({ userPrincipalName: partnerUsers.userPrincipalName, displayName: partnerUsers.displayName })
        .from(partnerUsers)
        .where(and(eq(partnerUsers.tenantId, ctx.tenantId), tenantInCloud(tx, ctx)))
        .orderBy(asc(partnerUsers.displayName), asc(partnerUsers.userPrincipalName)),
    db,
  );
}

/** How far back the action filter looks. */
export const OPERATION_TYPES_WINDOW_DAYS = 366;

/**
 * The operation types in the tenant's log over the last year, for the "Action" filter: from the
 * per-day counts (one row per day and type), so it is exact and costs the same on every page view
 * whatever the tenant's size (a DISTINCT over the records read up to 100,000 of them each time).
 * Days are UTC days, as the counts keep them.
 */
export async function listOperationTypes({
  ctx,
  now = new Date(),
  db,
}: {
  ctx: Scope;
  now?: Date;
  db?: Database;
}): Promise<string[]> {
  const since = new Date(now.getTime() - OPERATION_TYPES_WINDOW_DAYS * 86_400_000).toISOString().slice(0, 10);
  return withTenant(
    ctx,
    async (tx) => {
      const rows = await tx
        .selectDistinct({ operationType: activityDayCounts.operationType })
        .from(activityDayCounts)
        .where(
          and(
            eq(activityDayCounts.tenantId, ctx.tenantId),
            eq(activityDayCounts.cloud, ctx.cloud),
            isNull(activityDayCounts.operationStatus),
            isNotNull(activityDayCounts.operationType),
            gte(activityDayCounts.day, since),
            gt(activityDayCounts.records, 0),
          ),
        )
        .orderBy(asc(activityDayCounts.operationType));
      return rows.flatMap((r) => (r.operationType === null ? [] : [r.operationType]));
    },
    db,
  );
}
