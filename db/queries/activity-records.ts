import { and, asc, desc, eq, gte, ilike, inArray, isNotNull, isNull, lt, notInArray, sql, type SQL } from "drizzle-orm";
import { LOG_ACCESS_ACTIONS, type ActivityLogParams } from "@/lib/activity-log-params";
import { decodeCursor, encodeCursor, type Cursor } from "@/lib/cursor";
import { AppError } from "@/lib/errors";
import type { Database } from "../client";
import { resolveSearch, searchCondition, type ResolvedSearch } from "./activity-search";
import {
  activityDayCounts,
  activityRecordDetails,
  activityRecords,
  activityUserDayCounts,
  type ActivityRecord,
} from "../schema";
import { singleRow } from "../single-row";
import { withTenant, type Tx } from "../with-tenant";
import type { OperationStatus, TenantContext } from "@/lib/domain";

/*
 * Reads of the activity log. Every function takes the tenant context first, runs inside
 * withTenant (row-level security as a non-owner role) and ALSO filters by tenant and cloud in SQL,
 * so either safeguard alone keeps tenants apart.
 *
 * Timestamps: `occurred_at` is stored at millisecond precision (the seed truncates with
 * date_trunc('milliseconds'), ingestion must too) and a JS Date holds milliseconds, so a row's
 * (occurred_at, id) survives the trip through a cursor exactly and keyset paging never skips or
 * repeats a row.
 */

type Scope = Pick<TenantContext, "tenantId" | "cloud">;

/** A filter's values as the parser gives them (a list) or as older callers do (one value, or null). */
type OneOrMany<T extends string> = T | readonly T[] | null;

/** A filter's values as a list: none for null, undefined or []. */
export function filterValues<T extends string>(value: OneOrMany<T> | undefined): T[] {
  return value == null ? [] : typeof value === "string" ? [value as T] : [...value];
}

/**
 * The filters a where-clause needs; page, size and cursor do not narrow the set. Only
 * `includeLogAccess: false` leaves the log's own access records out: the page and the export
 * always say (the parser gives a boolean), and callers that name no such choice (a customer's
 * audit trail, the compatible read API) read the log whole, as they always have.
 */
export type ActivityFilters = Pick<ActivityLogParams, "range"> &
  Partial<Pick<ActivityLogParams, "customer" | "q" | "correlation" | "includeLogAccess" | "excludeActions">> & {
    /** Any of these operation types (none of them with `excludeActions`); one value or a list. */
    action?: OneOrMany<string>;
    /** Any of these partner users (UPNs, matched without case). */
    user?: OneOrMany<string>;
    /** Any of these statuses. */
    status?: OneOrMany<OperationStatus>;
    /** What `q` stands for (resolveSearch); the functions below resolve it when it is missing. */
    search?: ResolvedSearch | null;
    /** shareSearch: this query resolves the search for another one side by side... */
    searchFor?: { resolve(search: ResolvedSearch): void; reject(error: unknown): void };
    /** ...or waits for that resolution in its own transaction instead of resolving again. */
    searchFrom?: Promise<ResolvedSearch>;
  };

/**
 * The filters with the search resolved, in the caller's transaction (so under its tenant scope).
 * Callers that run several queries for one view resolve once: up front, or with shareSearch.
 */
export async function withResolvedSearch<T extends ActivityFilters>(tx: Tx, ctx: Scope, params: T): Promise<T> {
  if (!params.q || params.search?.q === params.q) return params;
  if (params.searchFrom) return { ...params, search: await params.searchFrom };
  try {
    const search = await resolveSearch(tx, ctx, params.q, params.range);
    params.searchFor?.resolve(search);
    return { ...params, search };
  } catch (error) {
    params.searchFor?.reject(error);
    throw error;
  }
}

/**
 * Two queries of one view side by side with the search resolved once: `first` resolves it in its
 * own transaction and `second` waits for it in its own, which has begun meanwhile, so a search
 * costs no transaction of its own before them (nor the same lookups twice). Whatever ends `first`
 * without resolving ends the wait too.
 */
export function shareSearch<T extends ActivityFilters>(
  params: T,
): { first: T; second: T; settle<R>(first: Promise<R>): Promise<R> } {
  if (!params.q || params.search?.q === params.q) return { first: params, second: params, settle: (p) => p };
  let searchFor!: NonNullable<ActivityFilters["searchFor"]>;
  const searchFrom = new Promise<ResolvedSearch>((resolve, reject) => (searchFor = { resolve, reject }));
  // Seen by the waiting query when it matters; never an unhandled rejection of its own.
  searchFrom.catch(() => {});
  const unresolved = () => searchFor.reject(new Error("the search was not resolved"));
  return {
    first: { ...params, searchFor },
    second: { ...params, searchFrom },
    settle: (first) =>
      first.then(
        (value) => (unresolved(), value),
        (error: unknown) => {
          searchFor.reject(error);
          throw error;
        },
      ),
  };
}

/** resolveSearch in a transaction of its own, for callers outside one. */
export async function resolveActivitySearch<T extends ActivityFilters>({
  ctx,
  params,
  db,
}: {
  ctx: Scope;
  params: T;
  db?: Database;
}): Promise<T> {
  if (!params.q || params.search?.q === params.q) return params;
  return withTenant(ctx, (tx) => withResolvedSearch(tx, ctx, params), db);
}

/*
 * An explicitly chosen action is what the reader asked for, so it wins over the switch: picking
 * "Viewed the activity log" in the Action list shows views without also ticking the box, and for
 * any other action the exclusion could not remove a row anyway (so it is not added to the SQL).
 */
export function excludesLogAccess(params: ActivityFilters): boolean {
  return params.includeLogAccess === false && (filterValues(params.action).length === 0 || !!params.excludeActions);
}

/** The operation types the where-clause leaves out: the excluded actions and, unless shown, log access. */
export function excludedActions(params: ActivityFilters): string[] {
  const actions = filterValues(params.action);
  const excluded = params.excludeActions ? actions : [];
  return [...new Set([...excluded, ...(excludesLogAccess(params) ? LOG_ACCESS_ACTIONS : [])])];
}

/*
 * As a literal list, not parameters: the values are fixed in code, and with constants the planner
 * sees the same clause in every plan (and can use the operation_type the page's indexes include).
 */
const LOG_ACCESS_SQL_LIST = sql.raw(LOG_ACCESS_ACTIONS.map((a) => `'${a}'`).join(", "));

/** The columns a list (page or export) shows; the large details are never part of it. */
export const activityListColumns = {
  id: activityRecords.id,
  occurredAt: activityRecords.occurredAt,
  customerId: activityRecords.customerId,
  customerName: activityRecords.customerName,
  operationType: activityRecords.operationType,
  resourceType: activityRecords.resourceType,
  operationStatus: activityRecords.operationStatus,
  userPrincipalName: activityRecords.userPrincipalName,
  applicationId: activityRecords.applicationId,
  correlationId: activityRecords.correlationId,
};

export type ActivityListRow = Pick<ActivityRecord, keyof typeof activityListColumns>;

/** A record with its large part: for an expanded row, and for the Partner Center read API. */
export const activityDetailsColumns = {
  ...activityListColumns,
  resourceOldValue: activityRecordDetails.resourceOldValue,
  resourceNewValue: activityRecordDetails.resourceNewValue,
  customizedData: activityRecordDetails.customizedData,
  sourceRecord: activityRecordDetails.sourceRecord,
};

/** The details row of a record: same key, same partition. */
export const detailsOfRecord = and(
  eq(activityRecordDetails.tenantId, activityRecords.tenantId),
  eq(activityRecordDetails.occurredAt, activityRecords.occurredAt),
  eq(activityRecordDetails.recordId, activityRecords.id),
) as SQL;

export interface ActivityDetailsRow extends ActivityListRow {
  resourceOldValue: unknown;
  resourceNewValue: unknown;
  customizedData: unknown;
  /** The record as an outside source (Partner Center) sent it; null for the log's own records. */
  sourceRecord: unknown;
}

export interface ActivityPage {
  /** Newest first. */
  rows: ActivityListRow[];
  /** Position for older rows (dir=next), or null on the last page. */
  nextCursor: string | null;
  /** Position for newer rows (dir=prev), or null on the first page. */
  prevCursor: string | null;
}

/** `\`, `%` and `_` are LIKE metacharacters (backslash is Postgres's default escape character). */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, "\\$&");
}

/** A position in the page's order and which side of it to keep: the keyset of a deep page. */
export interface Keyset {
  cursor: Cursor;
  op: "<" | "<=" | ">" | ">=";
}

/**
 * The one where-clause of the log, shared by the page, the count and the CSV export. Pure SQL on
 * `activity_records` columns, so the export can render it with PgDialect.sqlToQuery. The leading
 * `tenant_id = ... AND occurred_at` range matches the index (tenant_id, occurred_at desc, id desc)
 * and prunes monthly partitions. A keyset narrows it to one side of a page's cursor.
 */
export function buildActivityWhere(ctx: Scope, params: ActivityFilters, keyset?: Keyset): SQL {
  const conditions: SQL[] = [
    eq(activityRecords.tenantId, ctx.tenantId),
    eq(activityRecords.cloud, ctx.cloud),
    ...occurredBounds(params.range, keyset),
  ];
  if (params.customer) conditions.push(ilike(activityRecords.customerName, `%${escapeLike(params.customer)}%`));
  const actions = filterValues(params.action);
  if (actions.length > 0 && !params.excludeActions) conditions.push(inArray(activityRecords.operationType, actions));
  // Lower-cased here, never the column: see user_key in db/schema.ts.
  const users = filterValues(params.user).map((u) => u.toLowerCase());
  if (users.length > 0) conditions.push(inArray(activityRecords.userKey, users));
  const statuses = filterValues(params.status);
  if (statuses.length > 0) conditions.push(inArray(activityRecords.operationStatus, statuses));
  if (params.correlation) conditions.push(sql`${activityRecords.correlationId} = ${params.correlation}::uuid`);
  if (params.q) {
    // A programming error, never the reader's: the search must be resolved before it is applied.
    if (params.search?.q !== params.q) throw new Error("the search must be resolved (withResolvedSearch) first");
    conditions.push(searchCondition(params.search));
  }
  // Only log access left out: the constant list, the same clause in every plan.
  const excluded = excludedActions(params);
  if (params.excludeActions && actions.length > 0) conditions.push(notInArray(activityRecords.operationType, excluded));
  else if (excluded.length > 0) conditions.push(sql`${activityRecords.operationType} not in (${LOG_ACCESS_SQL_LIST})`);
  // and() of a non-empty list is never undefined.
  return and(...conditions) as SQL;
}

/*
 * The range's two bounds, with a keyset's bound in place of the one on its side. Never both on
 * one side: given `occurred_at < end` beside the row comparison `(occurred_at, id) < cursor`, a
 * backward index scan starts at `end` and steps over every entry between it and the cursor
 * (measured in npm run bench: 370 index pages at depth 1,000 of a 10M-record tenant, 5 without).
 * Whichever bound is tighter implies the other, so dropping the looser one keeps the same rows.
 */
function occurredBounds(range: ActivityFilters["range"], keyset: Keyset | undefined): SQL[] {
  const start = gte(activityRecords.occurredAt, range.start);
  const end = lt(activityRecords.occurredAt, range.end);
  if (!keyset) return [start, end];
  const at = keyset.cursor.occurredAt.getTime();
  if (keyset.op.startsWith("<")) return [start, at < range.end.getTime() ? beyond(keyset) : end];
  return [at >= range.start.getTime() ? beyond(keyset) : start, end];
}

/*
 * Rows whose (occurred_at, id) compares to the cursor's by `op`: a row-value comparison, so
 * Postgres walks the index from the position instead of filtering. The plain bound on occurred_at
 * beside it is redundant for the result, but it is what lets the planner prune partitions and
 * start the index at the cursor (measured: the "anything newer?" probe at depth 1,000 of a
 * 10M-record tenant walked a whole older month without it). Values are cast explicitly:
 * drizzle's postgres-js driver passes timestamptz parameters through untouched.
 */
function beyond({ cursor, op }: Keyset): SQL {
  const at = cursor.occurredAt.toISOString();
  const bound = sql.raw(op.startsWith("<") ? "<=" : ">=");
  return sql`${activityRecords.occurredAt} ${bound} ${at}::timestamptz and (${activityRecords.occurredAt}, ${activityRecords.id}) ${sql.raw(op)} (${at}::timestamptz, ${cursor.id}::bigint)`;
}

const cursorOf = (row: Pick<ActivityListRow, "occurredAt" | "id">): Cursor => ({
  occurredAt: row.occurredAt,
  id: row.id,
});
const sameKey = (a: Cursor, b: Cursor) => a.id === b.id && a.occurredAt.getTime() === b.occurredAt.getTime();

/**
 * The (at most two) matching rows nearest the cursor on the side we came from, the cursor's own
 * row included. Whether the list goes on that way follows from them without knowing the page:
 * every matching row beyond the page's edge is at or beyond the cursor, since the page begins at
 * the first match past it. Exported for plan tests.
 */
export function nearestBehindQuery(
  tx: Tx | Database,
  ctx: Scope,
  params: ActivityFilters,
  cursor: Cursor,
  backwards: boolean,
) {
  return tx
    .select({ occurredAt: activityRecords.occurredAt, id: activityRecords.id })
    .from(activityRecords)
    .where(buildActivityWhere(ctx, params, { cursor, op: backwards ? "<=" : ">=" }))
    .orderBy(
      ...(backwards
        ? [desc(activityRecords.occurredAt), desc(activityRecords.id)]
        : [asc(activityRecords.occurredAt), asc(activityRecords.id)]),
    )
    .limit(2);
}

/**
 * The rows of a page (plus lookahead) in the direction of travel; exported for plan tests.
 * Each row also says whether anything matches behind the cursor: an uncorrelated EXISTS, which
 * Postgres runs once per statement (an InitPlan of one index probe), so a deep page costs one
 * statement like the first page does (measured: a second, pipelined query cost a deep page of a
 * 10M-record tenant 40% more than the first).
 */
export function pageRowsQuery(
  tx: Tx | Database,
  ctx: Scope,
  params: ActivityFilters,
  cursor: Cursor | null,
  backwards: boolean,
  limit: number,
) {
  const behind = cursor
    ? sql<boolean>`exists(${nearestBehindQuery(tx, ctx, params, cursor, backwards)})`
    : sql<boolean>`false`;
  return tx
    .select({ ...activityListColumns, behind: behind.as("behind") })
    .from(activityRecords)
    .where(buildActivityWhere(ctx, params, cursor ? { cursor, op: backwards ? ">" : "<" } : undefined))
    .orderBy(
      ...(backwards
        ? [asc(activityRecords.occurredAt), asc(activityRecords.id)]
        : [desc(activityRecords.occurredAt), desc(activityRecords.id)]),
    )
    .limit(limit);
}

/*
 * Unordered on purpose: with one index per filter (migration 0005) every matching entry is an
 * index-only hit, and without an ORDER BY an index whose order is not the page's (action alone)
 * still stops after cap + 1 entries instead of sorting every match.
 */
/** count(*) over at most `cap + 1` matching rows; exported for plan tests. */
export function cappedCountQuery(tx: Tx | Database, where: SQL, cap: number) {
  const limited = tx
    .select({ one: sql`1`.as("one") })
    .from(activityRecords)
    .where(where)
    .limit(cap + 1)
    .as("limited");
  return tx.select({ n: sql<number>`count(*)::int` }).from(limited);
}

const DAY_MS = 86_400_000;

/** The UTC days wholly inside a range, as [from, to) dates (YYYY-MM-DD), or null if there is none. */
export function wholeDaysOf(range: ActivityFilters["range"]): { from: string; to: string } | null {
  const from = Math.ceil(range.start.getTime() / DAY_MS) * DAY_MS;
  const to = Math.floor(range.end.getTime() / DAY_MS) * DAY_MS;
  const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return from < to ? { from: date(from), to: date(to) } : null;
}

/**
 * The per-day counts that hold a view's status, action and partner-user filters (migration 0006;
 * by partner user, 0015): the table, the rows to add up (every day; callers bound the days), and
 * each row's signed share. Chosen actions add their counts (the types are disjoint); otherwise
 * every action's count less the excluded actions' counts (the log access records, unless
 * included), which the triggers keep per action too. `byStatus` keeps one row per status, to
 * group by, instead of the rows for any status. Null when a filter has no counts (customer,
 * search, correlation).
 */
export function dayCountsOf(ctx: Scope, params: ActivityFilters, { byStatus = false } = {}) {
  if (params.customer || params.q || params.correlation) return null;
  // Lower-cased as buildActivityWhere does: the counts are kept by user_key.
  const users = filterValues(params.user).map((u) => u.toLowerCase());
  const c = users.length > 0 ? activityUserDayCounts : activityDayCounts;
  const statuses = filterValues(params.status);
  const excluded = excludedActions(params);
  const included = params.excludeActions ? [] : filterValues(params.action);
  const subtract = included.length === 0 && excluded.length > 0;
  const type =
    included.length > 0
      ? inArray(c.operationType, included)
      : subtract
        ? sql`(${c.operationType} is null or ${inArray(c.operationType, excluded)})`
        : isNull(c.operationType);
  return {
    table: c,
    where: and(
      eq(c.tenantId, ctx.tenantId),
      eq(c.cloud, ctx.cloud),
      users.length > 0 ? inArray(activityUserDayCounts.userKey, users) : undefined,
      statuses.length > 0
        ? inArray(c.operationStatus, statuses)
        : byStatus
          ? isNotNull(c.operationStatus)
          : isNull(c.operationStatus),
      type,
    ),
    records: subtract
      ? sql<number>`case when ${c.operationType} is null then ${c.records} else -${c.records} end`
      : sql<number>`${c.records}`,
  };
}

/**
 * Records of the whole UTC days inside the range that match the filters, from the per-day counts:
 * at most a row per day, user and chosen status/action (three per day and user without log
 * access). Null for a filter the counts do not hold, or a range without a whole day.
 */
export function dayCountsTotalQuery(tx: Tx | Database, ctx: Scope, params: ActivityFilters) {
  const days = wholeDaysOf(params.range);
  const counts = days && dayCountsOf(ctx, params);
  if (!days || !counts) return null;
  const c = counts.table;
  return tx
    .select({ total: sql<number>`coalesce(sum(${counts.records}), 0)` })
    .from(c)
    .where(and(counts.where, sql`${c.day} >= ${days.from}::date`, sql`${c.day} < ${days.to}::date`));
}

/**
 * The page's count in one statement: when the whole days of the range already hold more than the
 * cap, the answer is "more" at once; otherwise the capped count of the log. Both subqueries are
 * InitPlans, which Postgres runs only when the CASE reaches them, so a tenant with more than
 * 10,000 records in its range reads a row per day instead of 10,001 index entries. Exported for
 * plan tests.
 */
export function countQuery(tx: Tx | Database, ctx: Scope, params: ActivityFilters, cap: number): SQL {
  const exact = cappedCountQuery(tx, buildActivityWhere(ctx, params), cap);
  const days = dayCountsTotalQuery(tx, ctx, params);
  if (!days) return sql`select (${exact}) as n`;
  return sql`select case when (${days}) > ${cap}::bigint then ${cap + 1}::int else (${exact}) end as n`;
}

export interface PageQuery extends ActivityFilters {
  size: number;
  /** A decoded cursor, or an encoded one as a page returned it. */
  cursor?: Cursor | string | null;
  dir?: ActivityLogParams["dir"];
}

/**
 * One page of the log, newest first, by keyset, in one statement. Fetches one row more than the
 * page to know whether the list goes on in the direction of travel; whether it goes on the other
 * way is the rows' `behind` (only with a cursor: the first page has nothing newer by definition).
 */
export async function getActivityPage({
  ctx,
  params,
  db,
}: {
  ctx: Scope;
  params: PageQuery;
  db?: Database;
}): Promise<ActivityPage> {
  if (!Number.isSafeInteger(params.size) || params.size < 1 || params.size > 1000) {
    throw new AppError("bad_request", "The page size must be between 1 and 1000.");
  }
  const cursor = typeof params.cursor === "string" ? decodeCursor(params.cursor) : (params.cursor ?? null);
  if (typeof params.cursor === "string" && cursor === null) {
    throw new AppError("bad_request", "The page position in this link is not valid.");
  }
  // The oldest page reads the same way as a page before a cursor, from the range's start instead.
  const backwards = cursor !== null ? params.dir === "prev" : params.dir === "oldest";

  return withTenant(
    ctx,
    async (tx) => {
      const filters = await withResolvedSearch(tx, ctx, params);
      const fetched = await pageRowsQuery(tx, ctx, filters, cursor, backwards, params.size + 1);
      const more = fetched.length > params.size;
      const page = fetched.slice(0, params.size).map(({ behind: _, ...row }) => row);
      if (backwards) page.reverse();

      // Anything back where we came from: beyond the page's edge (any row's `behind`), or, when
      // the page is empty (a position past the end, from an old link), strictly beyond the
      // cursor: the cursor's own row is then not "behind" anything shown.
      const [nearest] = fetched;
      const otherSide =
        cursor !== null &&
        (nearest
          ? nearest.behind
          : (await nearestBehindQuery(tx, ctx, filters, cursor, backwards)).some(
              (row) => !sameKey(cursorOf(row), cursor),
            ));
      const hasOlder = backwards ? otherSide : more;
      const hasNewer = backwards ? more : otherSide;
      const [newestRow] = page;
      const oldestRow = page.at(-1);
      const oldest = oldestRow ? cursorOf(oldestRow) : cursor;
      const newest = newestRow ? cursorOf(newestRow) : cursor;

      return {
        rows: page,
        nextCursor: hasOlder && oldest ? encodeCursor(oldest) : null,
        prevCursor: hasNewer && newest ? encodeCursor(newest) : null,
      };
    },
    db,
  );
}

export const DEFAULT_COUNT_CAP = 10_000;

// cap + 1 travels as a PostgreSQL int.
function checkCap(cap: number): void {
  if (!Number.isSafeInteger(cap) || cap < 0 || cap >= 2 ** 31 - 1)
    throw new RangeError("cap must be an integer from 0 to 2^31 - 2");
}

/** A capped count as the page shows it: at most `cap`, and whether there were more. */
const cappedResult = (n: number, cap: number) => (n > cap ? { count: cap, capped: true } : { count: n, capped: false });

/**
 * How many rows match, counting at most cap + 1 of them: an exact count over a year of a busy
 * tenant is the slow part of the page, and nobody needs more than "10,000+".
 */
export async function countActivity({
  ctx,
  params,
  cap = DEFAULT_COUNT_CAP,
  db,
}: {
  ctx: Scope;
  params: ActivityFilters;
  cap?: number;
  db?: Database;
}): Promise<CappedCount> {
  return withTenant(ctx, async (tx) => countIn(tx, ctx, await withResolvedSearch(tx, ctx, params), cap), db);
}

export interface CappedCount {
  count: number;
  capped: boolean;
}

/** countActivity inside a scoped transaction, for filters whose search is already resolved. */
export async function countIn(
  tx: Tx,
  ctx: Scope,
  filters: ActivityFilters,
  cap = DEFAULT_COUNT_CAP,
): Promise<CappedCount> {
  checkCap(cap);
  const { n } = singleRow(
    (await tx.execute(countQuery(tx, ctx, filters, cap))) as unknown as { n: number }[],
    "A capped count",
  );
  return cappedResult(n, cap);
}

/** The capped count of matching rows after `cursor` in time (newer); exported for plan tests. */
export function newerThanQuery(tx: Tx | Database, ctx: Scope, params: ActivityFilters, cursor: Cursor, cap: number) {
  return cappedCountQuery(tx, buildActivityWhere(ctx, params, { cursor, op: ">" }), cap);
}

/**
 * Where a page starts: how many matching rows are newer than its first row, counted like the total
 * (at most cap + 1, by the one where-builder with a keyset, so it walks the index from the row up
 * to the range's end and no further).
 */
export async function countNewerThan({
  ctx,
  params,
  row,
  cap = DEFAULT_COUNT_CAP,
  db,
}: {
  ctx: Scope;
  params: ActivityFilters;
  row: Pick<ActivityListRow, "occurredAt" | "id">;
  cap?: number;
  db?: Database;
}): Promise<{ count: number; capped: boolean }> {
  checkCap(cap);
  return withTenant(
    ctx,
    async (tx) => {
      const filters = await withResolvedSearch(tx, ctx, params);
      const { n } = singleRow(await newerThanQuery(tx, ctx, filters, cursorOf(row), cap), "A capped count");
      return cappedResult(n, cap);
    },
    db,
  );
}

/** A record id from code or a URL segment: a positive safe integer, anything else is a bad request. */
function parseRecordId(id: number | string): number {
  const n = typeof id === "number" ? id : /^[1-9][0-9]{0,15}$/.test(id) ? Number(id) : NaN;
  if (!Number.isSafeInteger(n) || n < 1)
    throw new AppError("bad_request", "The record id must be a positive whole number.");
  return n;
}

/**
 * One record with its large part, for an expanded row or a detail view; null when the id is not a
 * record of this tenant in this cloud (callers answer 404, never 403, so ids reveal nothing).
 *
 * `occurredAt`, when the caller knows it (the expanded row does), pins the lookup to one
 * partition and one index entry; without it the id is found by scanning the tenant's index, as
 * the key is (tenant_id, occurred_at, id).
 */
export async function getActivityDetails({
  ctx,
  id,
  occurredAt,
  db,
}: {
  ctx: Scope;
  id: number | string;
  occurredAt?: Date;
  db?: Database;
}): Promise<ActivityDetailsRow | null> {
  const recordId = parseRecordId(id);
  if (occurredAt !== undefined && Number.isNaN(occurredAt.getTime())) {
    throw new AppError("bad_request", "The record time is not a valid date.");
  }
  return withTenant(
    ctx,
    async (tx) => {
      const rows = await tx
        .select(activityDetailsColumns)
        .from(activityRecords)
        // Left join: a record whose details are missing still shows what the log knows.
        .leftJoin(activityRecordDetails, detailsOfRecord)
        .where(
          and(
            eq(activityRecords.tenantId, ctx.tenantId),
            eq(activityRecords.cloud, ctx.cloud),
            eq(activityRecords.id, recordId),
            occurredAt ? eq(activityRecords.occurredAt, occurredAt) : undefined,
          ),
        )
        .limit(1);
      return rows[0] ?? null;
    },
    db,
  );
}
