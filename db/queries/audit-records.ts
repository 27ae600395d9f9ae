import { and, asc, eq, ilike, type SQL } from "drizzle-orm";
import type { Cursor } from "@/lib/cursor";
import type { Database } from "../client";
import { activityRecordDetails, activityRecords } from "../schema";
import { withTenant } from "../with-tenant";
import {
  activityDetailsColumns,
  buildActivityWhere,
  detailsOfRecord,
  escapeLike,
  type ActivityDetailsRow,
} from "./activity-records";
import type { TenantContext } from "@/lib/domain";

/*
 * The Partner Center–compatible read (GET /api/v1/auditrecords): a tenant's records of a range in
 * Partner Center's order, oldest first, a page at a time after a keyset position, with their details
 * and, for imported records, the record as Partner Center sent it. The where-clause is the log's own.
 */

type Scope = Pick<TenantContext, "tenantId" | "cloud">;

/** Partner Center's one filter per request, already validated. */
export type AuditRecordFilter =
  | { field: "CompanyName"; operator: "substring" | "equals"; value: string }
  | { field: "CustomerId"; value: string }
  | { field: "ResourceType"; value: string };

export type AuditRecordRow = ActivityDetailsRow;

function filterCondition(filter: AuditRecordFilter | null): SQL | undefined {
  if (!filter) return undefined;
  if (filter.field === "CustomerId") return eq(activityRecords.customerId, filter.value);
  if (filter.field === "ResourceType") return eq(activityRecords.resourceType, filter.value);
  if (filter.operator === "equals") return ilike(activityRecords.customerName, escapeLike(filter.value));
  return undefined; // substring: the log's own customer filter below
}

export async function listAuditRecords({
  ctx,
  range,
  filter,
  after,
  size,
  db,
}: {
  ctx: Scope;
  range: { start: Date; end: Date };
  filter: AuditRecordFilter | null;
  after: Cursor | null;
  size: number;
  db?: Database;
}): Promise<AuditRecordRow[]> {
  const customer = filter?.field === "CompanyName" && filter.operator === "substring" ? filter.value : undefined;
  const where = and(
    buildActivityWhere(ctx, { range, customer }, after ? { cursor: after, op: ">" } : undefined),
    filterCondition(filter),
  );
  return withTenant(
    ctx,
    (tx) =>
      tx
        .select(activityDetailsColumns)
        .from(activityRecords)
        .leftJoin(activityRecordDetails, detailsOfRecord)
        .where(where)
        .orderBy(asc(activityRecords.occurredAt), asc(activityRecords.id))
        .limit(size),
    db,
  );
}
