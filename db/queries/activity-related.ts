import { and, asc, eq, ne, or, sql } from "drizzle-orm";
import type { Database } from "../client";
import { activityRecordDetails, activityRecords, type ActivityRecord } from "../schema";
import { withTenant } from "../with-tenant";
import type { OperationStatus, TenantContext } from "@/lib/domain";

/*
 * Records of one operation: everything that shares a correlation id (an order, its subscriptions
 * and licences; an operation "in progress" and its outcome). Read through the correlation index
 * of migration 0011, over the tenant's whole log (a chain may straddle a range's edge).
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

/** What a page row shows beyond its own columns, looked up for the few rows that need it. */
export interface RowAnnotation {
  /** A failed "Add customer" names no customer (none was created): the company name it tried. */
  attemptedCustomerName: string | null;
  /** A record in progress: how its operation ended, once a later record says so. */
  laterOutcome: LaterOutcome | null;
}

type PageRow = Pick<
  ActivityRecord,
  "id" | "occurredAt" | "customerId" | "operationType" | "operationStatus" | "correlationId"
>;

/** A SQL string literal (standard_conforming_strings: only the quote needs doubling). */
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * Annotations for a page's rows, in one transaction: the attempted names of failed "Add customer"
 * rows (a primary-key probe of the details each) and the outcomes of rows in progress (a probe of
 * the correlation index each). Outside the page's own statement, so its plan stays one index walk.
 * The values are the rows' own (times, integer ids, UUIDs, operation types), inlined as literals.
 */
export async function getRowAnnotations({
  ctx,
  rows,
  db,
}: {
  ctx: Scope;
  rows: PageRow[];
  db?: Database;
}): Promise<Map<number, RowAnnotation>> {
  const annotations = new Map<number, RowAnnotation>();
  const attempts = rows.filter((row) => row.customerId === null && row.operationType === "add_customer");
  const inProgress = rows.filter((row) => row.operationStatus === "progress");
  if (attempts.length === 0 && inProgress.length === 0) return annotations;
  const annotate = (id: number, part: Partial<RowAnnotation>) =>
    annotations.set(id, { attemptedCustomerName: null, laterOutcome: null, ...annotations.get(id), ...part });
  const d = activityRecordDetails;
  const r = activityRecords;
  await withTenant(
    ctx,
    async (tx) => {
      if (attempts.length > 0) {
        const times = attempts.map((row) => literal(row.occurredAt.toISOString())).join(", ");
        const ids = attempts.map((row) => String(Math.trunc(row.id))).join(", ");
        const found = (await tx.execute(sql`
          select ${d.recordId} as id, ${d.resourceNewValue}->>'companyName' as name from ${d}
          where ${d.tenantId} = ${ctx.tenantId}
            and ${d.occurredAt} = any(${sql.raw(`array[${times}]::timestamptz[]`)})
            and ${d.recordId} = any(${sql.raw(`array[${ids}]::bigint[]`)})`)) as unknown as {
          id: string;
          name: string | null;
        }[];
        for (const row of found) if (row.name) annotate(Number(row.id), { attemptedCustomerName: row.name });
      }
      if (inProgress.length > 0) {
        const values = inProgress
          .map(
            (row) =>
              `(${Math.trunc(row.id)}::bigint, ${literal(row.occurredAt.toISOString())}::timestamptz, ${literal(row.correlationId)}::uuid, ${literal(row.operationType)})`,
          )
          .join(", ");
        const found = (await tx.execute(sql`
          select p.id, o.status, o.at from (values ${sql.raw(values)}) as p(id, at, correlation_id, operation_type)
          cross join lateral (
            select ${r.operationStatus} as status, ${r.occurredAt} as at from ${r}
            where ${r.tenantId} = ${ctx.tenantId} and ${r.cloud} = ${ctx.cloud}
              and ${r.correlationId} = p.correlation_id and ${r.occurredAt} > p.at
              and ${r.operationType} = p.operation_type and ${r.operationStatus} in ('succeeded', 'failed')
            order by ${r.occurredAt}, ${r.id} limit 1) o`)) as unknown as {
          id: string;
          status: LaterOutcome["status"];
          at: string | Date;
        }[];
        for (const row of found)
          annotate(Number(row.id), { laterOutcome: { status: row.status, occurredAt: new Date(row.at) } });
      }
    },
    db,
  );
  return annotations;
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
