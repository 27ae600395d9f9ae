import { and, eq, sql as dsql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { TransactionSql } from "postgres";
import { buildActivityWhere, type ActivityFilters } from "@/db/queries/activity-records";
import type { Database } from "@/db/client";
import { activityRecordDetails, activityRecords, partnerTenants } from "@/db/schema";
import { tenantScopeStatement } from "@/db/scope";
import { withTenant } from "@/db/with-tenant";
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
  errorCode: 9,
  errorMessage: 10,
  changes: 11,
  details: 12,
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
 * Beside it, three short cells a spreadsheet can filter on: a failure's code and message, and the
 * fields a change changed as "field: old → new" (in field order, "; " between), computed only
 * where both old and new are objects. The null test goes first: AND stops at a false, so an order
 * (no old value) never has its large new value detoasted a second time just to learn its type.
 */
const DETAILS_CSV_CELL = dsql.raw(`'"' || replace((jsonb_build_object(
      'resourceOldValue', d.resource_old_value,
      'resourceNewValue', d.resource_new_value,
      'customizedData', d.customized_data)
      || case when d.source_record is null then '{}'::jsonb
              else jsonb_build_object('sourceRecord', d.source_record) end)::text, '"', '""') || '"'`);

const ERROR_FIELD = (field: string) =>
  dsql.raw(`case when jsonb_typeof(d.customized_data) = 'object' then d.customized_data ->> '${field}' end`);

const CHANGES = dsql.raw(`case when d.resource_old_value is not null and jsonb_typeof(d.resource_old_value) = 'object'
       and jsonb_typeof(d.resource_new_value) = 'object' then (
    select string_agg(f.k || ': ' || coalesce((d.resource_old_value -> f.k) #>> '{}', '')
                      || ' → ' || coalesce((d.resource_new_value -> f.k) #>> '{}', ''), '; ' order by f.k)
    from (select jsonb_object_keys(d.resource_old_value) union select jsonb_object_keys(d.resource_new_value)) as f(k)
    where (d.resource_old_value -> f.k) is distinct from (d.resource_new_value -> f.k)) end`);

const dialect = new PgDialect();
const r = activityRecords;
const epochMs = dsql`(extract(epoch from ${r.occurredAt}) * 1000)::float8`;
const newestFirst = dsql`order by ${r.occurredAt} desc, ${r.id} desc`;

/*
 * A record's details row, looked up by its full key as a lateral subquery with LIMIT: the LIMIT
 * keeps Postgres from pulling it up into a plain join, so it is always one primary-key probe per
 * row (run-time pruned to one partition), whatever the statistics say. A join let the planner, on
 * a partition without statistics yet, pick a range scan of the details with the key as a mere
 * filter, quadratic in the rows exported. Written with explicit qualifiers ("d", and the
 * records table by name) so no column can resolve to the wrong side.
 */
const detailsOf = (columns: SQL) =>
  dsql`(select ${columns} from ${activityRecordDetails} d
      where d.tenant_id = ${r.tenantId} and d.occurred_at = ${r.occurredAt} and d.record_id = ${r.id}
      limit 1) dd`;

/**
 * The CSV export's query: the page's where-clause and order, and for each record its details
 * (a finished CSV cell), its error code and message and its changed fields.
 */
export function buildActivityExportQuery(ctx: Scope, params: ActivityFilters): { sql: string; params: unknown[] } {
  const details = detailsOf(
    dsql.join(
      [
        dsql`${ERROR_FIELD("errorCode")} as error_code`,
        dsql`${ERROR_FIELD("errorMessage")} as error_message`,
        dsql`${CHANGES} as changes`,
        dsql`${DETAILS_CSV_CELL} as details`,
      ],
      dsql`, `,
    ),
  );
  return dialect.sqlToQuery(dsql`select ${epochMs}, ${r.customerName}, ${r.customerId}, ${r.operationType},
      ${r.resourceType}, ${r.operationStatus}, ${r.userPrincipalName}, ${r.applicationId}, ${r.correlationId},
      dd.error_code, dd.error_message, dd.changes, dd.details
    from ${r} left join lateral ${details} on true
    where ${buildActivityWhere(ctx, params)}
    ${newestFirst}`);
}

/*
 * The NDJSON export's query: one column, each record as the finished JSON text of one line, built
 * by Postgres (json_build_object keeps the fields in this order): the whole record as the details
 * show it and its "Raw JSON" copies it, plus the verbatim source of an imported one (else null).
 * Times as ISO 8601 in UTC with milliseconds, as the API writes them.
 */
export function buildActivityNdjsonQuery(ctx: Scope, params: ActivityFilters): { sql: string; params: unknown[] } {
  const details = detailsOf(dsql.raw("d.resource_old_value, d.resource_new_value, d.customized_data, d.source_record"));
  return dialect.sqlToQuery(dsql`select json_build_object(
      'id', ${r.id},
      'occurredAt', to_char(${r.occurredAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'userPrincipalName', ${r.userPrincipalName},
      'applicationId', ${r.applicationId},
      'operationType', ${r.operationType},
      'resourceType', ${r.resourceType},
      'operationStatus', ${r.operationStatus},
      'customerId', ${r.customerId},
      'customerName', ${r.customerName},
      'correlationId', ${r.correlationId},
      'resourceOldValue', dd.resource_old_value,
      'resourceNewValue', dd.resource_new_value,
      'customizedData', dd.customized_data,
      'sourceRecord', dd.source_record)::text
    from ${r} left join lateral ${details} on true
    where ${buildActivityWhere(ctx, params)}
    ${newestFirst}`);
}

/** Positions in each row of the line-item export. */
export const LINE_ITEM_COLUMN = {
  at: 0,
  customerName: 1,
  customerId: 2,
  orderId: 3,
  line: 4,
  subscriptionId: 5,
  offer: 6,
  offerId: 7,
  quantity: 8,
  term: 9,
  billingCycle: 10,
  user: 11,
  status: 12,
  correlationId: 13,
} as const;

/*
 * An order's lines, in order: the log's own (resourceNewValue.lineItems, objects) and Partner
 * Center's (customizedData pairs with index-suffixed keys, OfferId-0, SubscriptionId-0,
 * SubscriptionName-0, Quantity-0, ...). Line numbers count from 1 in the order they came. Sorted
 * here, per record: a nested loop hands on each record's lines in this order, so the outer query
 * orders by the record alone and stays a plain index scan (no sort of the whole file).
 */
const ORDER_LINES = dsql.raw(`(select * from (
    select row_number() over (order by e.n) as line, e.item ->> 'subscriptionId' as subscription_id, e.item ->> 'offerName' as offer,
           e.item ->> 'offerId' as offer_id, (e.item -> 'quantity') #>> '{}' as quantity,
           e.item ->> 'termDuration' as term, e.item ->> 'billingCycle' as billing_cycle
    from jsonb_array_elements(case when jsonb_typeof(dd.resource_new_value -> 'lineItems') = 'array'
                                   then dd.resource_new_value -> 'lineItems' else '[]'::jsonb end)
         with ordinality as e(item, n)
    where jsonb_typeof(e.item) = 'object'
    union all
    select row_number() over (order by min(p.n)), max(p.pair ->> 'value') filter (where m[1] = 'SubscriptionId'),
           max(p.pair ->> 'value') filter (where m[1] = 'SubscriptionName'),
           max(p.pair ->> 'value') filter (where m[1] = 'OfferId'),
           max(p.pair ->> 'value') filter (where m[1] = 'Quantity'), null, null
    from jsonb_array_elements(case when jsonb_typeof(dd.customized_data) = 'array'
                                   then dd.customized_data else '[]'::jsonb end) with ordinality as p(pair, n),
         regexp_match(p.pair ->> 'key', '^(OfferId|SubscriptionId|SubscriptionName|Quantity)-([0-9]+)$') as m
    where m is not null
    group by m[2]
  ) as lines order by lines.line) li`);

/**
 * The line-item export's query: one row per order line of every record the page's filters match
 * (records without lines have none), newest record first as the page orders them, then by line.
 */
export function buildLineItemExportQuery(ctx: Scope, params: ActivityFilters): { sql: string; params: unknown[] } {
  const details = detailsOf(dsql.raw("d.resource_new_value, d.customized_data"));
  return dialect.sqlToQuery(dsql`select ${epochMs}, ${r.customerName}, ${r.customerId},
      coalesce(dd.resource_new_value ->> 'orderId', dd.resource_new_value ->> 'Id'), li.line, li.subscription_id,
      li.offer, li.offer_id, li.quantity, li.term, li.billing_cycle, ${r.userPrincipalName}, ${r.operationStatus},
      ${r.correlationId}
    from ${r} cross join lateral ${details} cross join lateral ${ORDER_LINES}
    where ${buildActivityWhere(ctx, params)}
    ${newestFirst}`);
}

/** The tenant's name for an export's file name; null when it cannot be read (the name goes without). */
export async function getExportTenantName({ ctx, db }: { ctx: Scope; db?: Database }): Promise<string | null> {
  const rows = await withTenant(
    ctx,
    (tx) =>
      tx
        .select({ name: partnerTenants.name })
        .from(partnerTenants)
        .where(and(eq(partnerTenants.id, ctx.tenantId), eq(partnerTenants.cloud, ctx.cloud))),
    db,
  );
  return rows?.[0]?.name ?? null;
}
