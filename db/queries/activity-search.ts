import { sql, type SQL } from "drizzle-orm";
import { classifySearch, type SearchTerm } from "@/lib/activity-log-params";
import {
  activityCustomerNameMonths,
  activityIngestEvents,
  activityRecordDetails,
  activityRecords,
  customers,
} from "../schema";
import type { Tx } from "../with-tenant";

/*
 * The search box, in two steps. Under row-level security the policy's quals come first, and a
 * later qual can only be an index condition if its operator is leakproof: `=` and `>` on text and
 * uuid are; LIKE, jsonb operators and any function applied to a column are not. So names are
 * folded when stored (customer_key, attempted_customer_key: migration 0011), and:
 *
 * 1. resolveSearch finds what the text stands for: the matching folded names, from the tenant's
 *    names per month (not from the records); the customers a domain names; the records a UUID is
 *    the subscription, order or ingested event id of.
 * 2. searchCondition turns that into equalities for the one where-builder, with the values as
 *    literals: the planner then knows how rare each is (measured: with the same arrays computed
 *    inside the statement, the planner could not tell, walked the page index and filtered 40,000
 *    records of a 40,000-record test tenant for one match; a parameter of a cached generic plan
 *    would hide the values the same way). Records found in another table are
 *    two arrays, their times and their ids: `occurred_at = any(...)` probes the primary key,
 *    `id = any(...)` keeps the pairs (ids are unique, so no other record passes both).
 */

type Scope = { tenantId: string; cloud: string };
type Range = { start: Date; end: Date };

const r = activityRecords;
const d = activityRecordDetails;

/** What a search stands for in one tenant and range; the where-builder's input. */
export interface ResolvedSearch {
  /** The text it was resolved from, so a stale resolution is never applied to another search. */
  q: string;
  term: SearchTerm;
  /** Folded customer names containing the folded text. */
  names: string[];
  /** Customers a domain names. */
  customerIds: string[];
  /** Records found through another table (details, ingested events), by their keys. */
  records: Array<{ occurredAt: Date; id: number }>;
}

const inRange = (
  column: typeof r.occurredAt | typeof d.occurredAt | typeof activityIngestEvents.occurredAt,
  range: Range,
) =>
  sql`${column} >= ${range.start.toISOString()}::timestamptz and ${column} < ${range.end.toISOString()}::timestamptz`;

/*
 * The records' folded customer names in the tenant and the range's months that contain the folded
 * text, from the names per month (migration 0016): a few thousand rows for the busiest tenant, read
 * in index order; strpos() runs on those rows, not on the records. A name of the range's first or
 * last month may have no record inside the range itself: the where-builder applies the range, so
 * it only finds nothing there.
 */
async function matchingCustomerNames(tx: Tx, ctx: Scope, text: string, range: Range): Promise<string[]> {
  const n = activityCustomerNameMonths;
  const rows = await tx
    .selectDistinct({ name: n.customerKey })
    .from(n)
    .where(
      sql`${n.tenantId} = ${ctx.tenantId} and ${n.cloud} = ${ctx.cloud}
        and ${n.month} >= date_trunc('month', ${range.start.toISOString()}::timestamptz at time zone 'UTC')::date
        and ${n.month} < ${range.end.toISOString()}::timestamptz at time zone 'UTC'
        and ${n.records} > 0 and strpos(${n.customerKey}, activity_search_fold(${text})) > 0`,
    );
  return rows.map((row) => row.name);
}

/*
 * The distinct attempted names (failed "Add customer" records) in the tenant and range that contain
 * the folded text, from their partial index: few records have one, so reading the range's entries
 * is cheaper than planning a walk over every partition (measured: about a third of the time).
 */
async function matchingAttemptedNames(tx: Tx, ctx: Scope, text: string, range: Range): Promise<string[]> {
  const key = d.attemptedCustomerKey;
  const rows = await tx
    .selectDistinct({ name: sql<string>`${key}` })
    .from(d)
    .where(
      sql`${d.tenantId} = ${ctx.tenantId} and ${inRange(d.occurredAt, range)} and ${key} is not null
        and strpos(${key}, activity_search_fold(${text})) > 0`,
    );
  return rows.map((row) => row.name);
}

type RecordKey = { occurredAt: Date; id: number };
const keysOf = (rows: Array<{ occurred_at: Date | string; record_id: number | string }>): RecordKey[] =>
  rows.map((row) => ({ occurredAt: new Date(row.occurred_at), id: Number(row.record_id) }));

/** Step 1: what `q` stands for, read as the request role (row-level security applies). */
export async function resolveSearch(tx: Tx, ctx: Scope, q: string, range: Range): Promise<ResolvedSearch> {
  const term = classifySearch(q);
  const resolved: ResolvedSearch = { q, term, names: [], customerIds: [], records: [] };
  if (term.kind === "uuid") {
    const e = activityIngestEvents;
    const rows = (await tx.execute(sql`
      select ${d.occurredAt} as occurred_at, ${d.recordId} as record_id from ${d}
        where ${d.tenantId} = ${ctx.tenantId} and ${d.resourceKey} = ${term.value}::uuid and ${inRange(d.occurredAt, range)}
      union
      select ${e.occurredAt}, ${e.recordId} from ${e}
        where ${e.tenantId} = ${ctx.tenantId} and ${e.cloud} = ${ctx.cloud} and ${e.eventId} = ${term.value}
          and ${inRange(e.occurredAt, range)}`)) as unknown as {
      occurred_at: string;
      record_id: string;
    }[];
    resolved.records = keysOf(rows);
    return resolved;
  }
  if (term.kind === "domain") {
    const rows = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(sql`${customers.tenantId} = ${ctx.tenantId} and lower(${customers.domain}) = ${term.value}`);
    resolved.customerIds = rows.map((row) => row.id);
  }
  // Sent together (one round trip): both read the same snapshot's tables, neither needs the other.
  const [names, attempted] = await Promise.all([
    matchingCustomerNames(tx, ctx, term.value, range),
    matchingAttemptedNames(tx, ctx, term.value, range),
  ]);
  resolved.names = names;
  if (attempted.length > 0) {
    // Only records that name no customer: a producer may also send a created customer's name
    // without its id, and those records are found by their own customer_key.
    const rows = await tx
      .select({ occurred_at: d.occurredAt, record_id: d.recordId })
      .from(d)
      .innerJoin(
        r,
        sql`${r.tenantId} = ${d.tenantId} and ${r.occurredAt} = ${d.occurredAt} and ${r.id} = ${d.recordId}`,
      )
      .where(
        sql`${d.tenantId} = ${ctx.tenantId} and ${d.attemptedCustomerKey} = any(${textArray(attempted)}) and ${inRange(d.occurredAt, range)} and ${r.customerId} is null`,
      );
    resolved.records = keysOf(rows);
  }
  return resolved;
}

/** A SQL string literal (standard_conforming_strings: only the quote needs doubling). */
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;
const textArray = (values: string[]) => sql.raw(`array[${values.map(literal).join(", ")}]::text[]`);
const uuidArray = (values: string[]) => sql.raw(`array[${values.map(literal).join(", ")}]::uuid[]`);

/** Step 2: the search as a condition on activity_records, with its values as literals. */
export function searchCondition(search: ResolvedSearch): SQL {
  const arms: SQL[] = [];
  const { term } = search;
  if (term.kind === "uuid") {
    const id = uuidArray([term.value]);
    arms.push(sql`${r.correlationId} = any(${id})`, sql`${r.customerId} = any(${id})`);
  }
  if (search.customerIds.length > 0) arms.push(sql`${r.customerId} = any(${uuidArray(search.customerIds)})`);
  if (search.names.length > 0) arms.push(sql`${r.customerKey} = any(${textArray(search.names)})`);
  if (search.records.length > 0) {
    // Validated on the way in: times from the database, ids as integers.
    const times = search.records.map((k) => literal(k.occurredAt.toISOString()));
    const ids = search.records.map((k) => String(Math.trunc(k.id)));
    const among = sql.raw(
      `(${r.occurredAt.name} = any(array[${times.join(", ")}]::timestamptz[]) and ${r.id.name} = any(array[${ids.join(", ")}]::bigint[]))`,
    );
    // An attempted name counts only where no customer was created (the record names none).
    arms.push(term.kind === "uuid" ? among : sql`(${r.customerId} is null and ${among})`);
  }
  if (arms.length === 0) return sql`false`;
  return sql`(${sql.join(arms, sql` or `)})`;
}
