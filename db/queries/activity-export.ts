import { desc, getTableName, sql as dsql } from "drizzle-orm";
import { QueryBuilder } from "drizzle-orm/pg-core";
import type { TransactionSql } from "postgres";
import { buildActivityWhere, type ActivityFilters } from "@/db/queries/activity-records";
import { activityRecordDetails, activityRecords } from "@/db/schema";
import { tenantScopeStatement } from "@/db/scope";
import type { TenantContext } from "@/lib/domain";

/*
 * The export's query and its transaction: the page's where-builder and order, each record's
 * details as a finished CSV cell, and the limits an export runs under. The stream that reads it
 * is db/cursor-stream.ts; the CSV around it is lib/export/activity-csv.ts.
 */

type Scope = Pick<TenantContext, "tenantId" | "cloud">;

export interface ExportLimits {
  /** Per statement, so per FETCH: a batch that takes longer than this is stuck, not slow. */
  statementTimeoutMs: number;
  /**
   * Between FETCHes, i.e. how long a reader may stop reading (the stream fetches only on demand):
   * a client that stalls but never disconnects cannot hold an export connection longer.
   */
  idleInTransactionTimeoutMs: number;
  /** The whole export, a backstop (Postgres 17+; ignored before). */
  transactionTimeoutMs: number;
}

export const DEFAULT_EXPORT_LIMITS: ExportLimits = {
  statementTimeoutMs: 60_000,
  idleInTransactionTimeoutMs: 60_000,
  transactionTimeoutMs: 60 * 60_000,
};

/** How exports show up in pg_stat_activity (set per transaction, so it reverts when the export ends). */
export const EXPORT_APPLICATION_NAME = "partner-activity-log:export";

/**
 * Scopes the current transaction to one tenant and cloud (the same scope as withTenant) and limits
 * it as an export, in one round trip; all settings are transaction-local, so the pooled connection
 * comes back clean. cursor_tuple_fraction = 1: the whole result is wanted, so plan for total time,
 * not first rows.
 */
export async function scopeExportTransaction(
  tx: TransactionSql,
  ctx: Scope,
  limits: ExportLimits = DEFAULT_EXPORT_LIMITS,
): Promise<void> {
  const statement = tenantScopeStatement(ctx, [
    { name: "application_name", value: EXPORT_APPLICATION_NAME },
    { name: "statement_timeout", value: String(limits.statementTimeoutMs) },
    { name: "idle_in_transaction_session_timeout", value: String(limits.idleInTransactionTimeoutMs) },
    { name: "cursor_tuple_fraction", value: "1" },
    { name: "transaction_timeout", value: String(limits.transactionTimeoutMs), sinceServerVersion: 170000 },
  ]);
  /*
   * As text and parameters, not as the tagged-template parts: postgres.js 3.4.9 keeps an Error
   * for every strings array it is called with as a tag (its `originCache`, never emptied), and
   * the parts are a new array on every call. That Error's unformatted stack holds this export's
   * closures, and through them the request, its response and the session's timer: measured, ~8.5
   * MiB of JS heap per 200 aborted exports, for good.
   */
  await tx.unsafe(statement.text, statement.values);
}

// A standalone builder: renders SQL with drizzle's Postgres dialect, no database attached.
const queryBuilder = new QueryBuilder();

/*
 * Positions in each row (FETCH results come as arrays: no per-row object). occurred_at comes as
 * epoch milliseconds, a float8 that postgres.js parses as a number whatever date parsers a client
 * has (drizzle replaces them on clients it wraps); details come as a finished CSV cell of JSON
 * text built by Postgres, so JavaScript never parses, re-serialises or even quotes them.
 */
export const EXPORT_COLUMN = {
  at: 0,
  customerName: 1,
  customerId: 2,
  operationType: 3,
  resourceType: 4,
  status: 5,
  user: 6,
  application: 7,
  correlationId: 8,
  details: 9,
} as const;

/*
 * The Details cell, finished by Postgres: the JSON text already quoted for CSV ('"' + text with
 * '"' doubled + '"'), so JavaScript appends it as is. It is most of every row's bytes, and
 * quoting it in JavaScript took several times longer than everything else in the row (measured:
 * ~5 s against ~1 s for 200k rows); Postgres does it on its own core while JavaScript formats the
 * previous batch. JSON text of an object starts with "{" (never a formula) and escapes control
 * characters, so the cell needs nothing else. Null (an empty cell) when the details row is missing,
 * rather than an object of nulls that was never logged.
 *
 * An imported record's verbatim source joins the cell only where there is one, so the log's own
 * rows export as they always have. (No SQL comments in here: the bench runs this text through a
 * one-line psql \copy.)
 *
 * Written with explicit qualifiers: drizzle renders columns unqualified in a single-table select,
 * so "occurred_at" = "occurred_at" inside the subquery would compare the details with themselves.
 */
const detailsCsvCell = (() => {
  const d = activityRecordDetails;
  const r = dsql.identifier(getTableName(activityRecords));
  const inner = (column: { name: string }) => dsql`d.${dsql.identifier(column.name)}`;
  const outer = (column: { name: string }) => dsql`${r}.${dsql.identifier(column.name)}`;
  return dsql<string | null>`(select '"' || replace((jsonb_build_object(
      'resourceOldValue', ${inner(d.resourceOldValue)},
      'resourceNewValue', ${inner(d.resourceNewValue)},
      'customizedData', ${inner(d.customizedData)})
      || case when ${inner(d.sourceRecord)} is null then '{}'::jsonb
              else jsonb_build_object('sourceRecord', ${inner(d.sourceRecord)}) end)::text, '"', '""') || '"'
    from ${d} d
    where ${inner(d.tenantId)} = ${outer(activityRecords.tenantId)}
      and ${inner(d.occurredAt)} = ${outer(activityRecords.occurredAt)}
      and ${inner(d.recordId)} = ${outer(activityRecords.id)})`;
})();

/**
 * The export query: the page's where-clause and order, each record's details looked up by its
 * full key. A correlated subquery rather than a join on purpose: it is always one primary-key
 * probe per row (run-time pruned to one partition), whatever the statistics say. A join let the
 * planner, on a partition without statistics yet, pick a range scan of the details with the key
 * as a mere filter, quadratic in the rows exported.
 */
export function buildActivityExportQuery(ctx: Scope, params: ActivityFilters): { sql: string; params: unknown[] } {
  const r = activityRecords;
  return queryBuilder
    .select({
      at: dsql<number>`(extract(epoch from ${r.occurredAt}) * 1000)::float8`,
      customerName: r.customerName,
      customerId: r.customerId,
      operationType: r.operationType,
      resourceType: r.resourceType,
      operationStatus: r.operationStatus,
      userPrincipalName: r.userPrincipalName,
      applicationId: r.applicationId,
      correlationId: r.correlationId,
      details: detailsCsvCell,
    })
    .from(r)
    .where(buildActivityWhere(ctx, params))
    .orderBy(desc(r.occurredAt), desc(r.id))
    .toSQL();
}
