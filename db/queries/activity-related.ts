import { and, asc, eq, getTableName, ne, or, sql } from "drizzle-orm";
import type { Database } from "../client";
import { activityRecords, type OperationStatus } from "../schema";
import { withTenant, type TenantContext } from "../with-tenant";

/*
 * Records of one operation: everything that shares a correlation id (an order, its subscriptions
 * and licences; an operation "in progress" and its outcome). Read through the correlation index
 * of migration 0012, over the tenant's whole log (a chain may straddle a range's edge).
 */

type Scope = Pick<TenantContext, "tenantId" | "cloud">;

/** The most records "Related records" lists; the correlation filter shows them all. */
export const RELATED_LIMIT = 50;

export interface RelatedRecord {
  id: number;
  occurredAt: Date;
  operationType: string;
  operationStatus: OperationStatus;
  customerName: string | null;
  userPrincipalName: string;
}

export interface LaterOutcome {
  status: "succeeded" | "failed";
  occurredAt: Date;
}

/** A record "in progress" is settled by the first later record of its operation that succeeded or failed. */
export const SETTLING_STATUSES = ["succeeded", "failed"] as const;

/*
 * For the page: each in-progress row's outcome, if one has been recorded since. One probe of the
 * correlation index per such row (a few per page), with explicit qualifiers: drizzle renders
 * columns unqualified in a single-table select, and inside the subquery they would name its own.
 */
export const laterOutcomeColumn = (() => {
  const outerTable = sql.identifier(getTableName(activityRecords));
  const outer = (column: { name: string }) => sql`${outerTable}.${sql.identifier(column.name)}`;
  const inner = (column: { name: string }) => sql`later.${sql.identifier(column.name)}`;
  const r = activityRecords;
  return sql<{
    status: LaterOutcome["status"];
    at: string;
  } | null>`case when ${outer(r.operationStatus)} = 'progress' then
    (select json_build_object('status', ${inner(r.operationStatus)}, 'at', ${inner(r.occurredAt)})
       from ${r} later
      where ${inner(r.tenantId)} = ${outer(r.tenantId)} and ${inner(r.cloud)} = ${outer(r.cloud)}
        and ${inner(r.correlationId)} = ${outer(r.correlationId)}
        and ${inner(r.occurredAt)} > ${outer(r.occurredAt)}
        and ${inner(r.operationType)} = ${outer(r.operationType)}
        and ${inner(r.operationStatus)} in ('succeeded', 'failed')
      order by ${inner(r.occurredAt)}, ${inner(r.id)} limit 1) end`;
})();

export function toLaterOutcome(value: { status: LaterOutcome["status"]; at: string } | null): LaterOutcome | null {
  return value ? { status: value.status, occurredAt: new Date(value.at) } : null;
}

/**
 * The other records of a record's operation, oldest first (the order things happened in), at most
 * RELATED_LIMIT, and whether there were more; the record itself is left out.
 */
export async function getRelatedRecords({
  ctx,
  correlationId,
  exclude,
  db,
}: {
  ctx: Scope;
  correlationId: string;
  exclude: { id: number; occurredAt: Date };
  db?: Database;
}): Promise<{ records: RelatedRecord[]; more: boolean }> {
  const r = activityRecords;
  return withTenant(
    ctx,
    async (tx) => {
      const rows = await tx
        .select({
          id: r.id,
          occurredAt: r.occurredAt,
          operationType: r.operationType,
          operationStatus: r.operationStatus,
          customerName: r.customerName,
          userPrincipalName: r.userPrincipalName,
        })
        .from(r)
        .where(
          and(
            eq(r.tenantId, ctx.tenantId),
            eq(r.cloud, ctx.cloud),
            eq(r.correlationId, correlationId),
            or(ne(r.id, exclude.id), ne(r.occurredAt, exclude.occurredAt)),
          ),
        )
        .orderBy(asc(r.occurredAt), asc(r.id))
        .limit(RELATED_LIMIT + 1);
      return { records: rows.slice(0, RELATED_LIMIT), more: rows.length > RELATED_LIMIT };
    },
    db,
  );
}

/** The outcome of a record in progress: the first later record of its operation that settled it. */
export function laterOutcomeOf(
  record: { occurredAt: Date; operationType: string; operationStatus: OperationStatus },
  related: RelatedRecord[],
): LaterOutcome | null {
  if (record.operationStatus !== "progress") return null;
  const settled = related.find(
    (other) =>
      other.occurredAt > record.occurredAt &&
      other.operationType === record.operationType &&
      (SETTLING_STATUSES as readonly string[]).includes(other.operationStatus),
  );
  return settled ? { status: settled.operationStatus as LaterOutcome["status"], occurredAt: settled.occurredAt } : null;
}
