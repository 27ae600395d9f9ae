import { sql, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildActivityWhere,
  cappedCountQuery,
  countActivity,
  countQuery,
  DEFAULT_COUNT_CAP,
  excludesLogAccess,
  nearestBehindQuery,
  newerThanQuery,
  pageRowsQuery,
  type ActivityFilters,
} from "@/db/queries/activity-records";
import * as schema from "@/db/schema";
import { withTenant } from "@/db/with-tenant";
import { generateActivity } from "@/db/seed/activity-generator";
import { addTenants } from "../support/fixtures";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { at } from "../support/present";

/*
 * Why the page's cost does not grow with the tenant (the page's speed goal in the benchmark): its count reads only
 * index entries that match (index-only, no heap), and its filtered pages start at their first row.
 * Proved on real plans (EXPLAIN ANALYZE as the request role, under row-level security) of the very
 * queries the page runs, on a tenant big enough that a wrong plan would show.
 */

const BIG = { tenantId: "5a5a5a5a-0000-4000-8000-000000000001", cloud: "commercial" as const };
const NEIGHBOUR = { tenantId: "5a5a5a5a-0000-4000-8000-000000000002", cloud: "commercial" as const };
const from = new Date("2026-06-01T00:00:00Z");
const to = new Date("2026-09-01T00:00:00Z");
const range = { start: from, end: to };
// Mixed case on purpose: the user filter compares case-insensitively.
const USERS = ["Admin@Big.example", "agent@big.example", "sales@big.example", "billing@big.example"];
const ACCESS_RECORDS = 2_000;

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Relation Name"?: string;
  "Heap Fetches"?: number;
  "Rows Removed by Filter"?: number;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  Plans?: PlanNode[];
}

const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];
const scans = (plan: PlanNode) =>
  nodes(plan).filter((n) => /Scan/.test(n["Node Type"]) && n["Actual Rows"] !== undefined);
/*
 * Pages the scans touched. "Actual Rows" counts what a scan returned, not the index entries it
 * stepped over on its way to the first one; pages show those too.
 */
const pagesRead = (plan: PlanNode) =>
  scans(plan).reduce((sum, s) => sum + (s["Shared Hit Blocks"] ?? 0) + (s["Shared Read Blocks"] ?? 0), 0);

describe("the page's query plans", () => {
  let db: TestDatabase;
  let app: postgres.Sql;
  let orm: ReturnType<typeof drizzle<typeof schema>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = postgres(db.url, { max: 2, onnotice: () => {} });
    orm = drizzle(app, { schema });
    await db.admin`select ensure_activity_partitions(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz)`;
    for (const [i, t] of [BIG, NEIGHBOUR].entries()) {
      await addTenants(db.admin, [{ ...t, name: `Plan tenant ${i}` }]);
      await generateActivity(db.admin, {
        tenantId: t.tenantId,
        cloud: t.cloud,
        count: i === 0 ? 60_000 : 20_000,
        from,
        to,
        seed: 11 + i,
        customers: [
          { id: `5a5a5a5a-1111-4111-8111-00000000000${i}`, companyName: "Plan Customer", domain: "plan.example" },
        ],
        userPrincipalNames: USERS,
      });
    }
    // The log's own access records, spread over the range among the rest (about 3%), so leaving
    // them out is work the plans below must show to be small.
    await db.admin`
      insert into activity_records (tenant_id, cloud, occurred_at, operation_type, resource_type, operation_status,
                                    user_principal_name, application_id, correlation_id)
      select ${BIG.tenantId}::uuid, ${BIG.cloud}, date_trunc('milliseconds', ${from}::timestamptz + (${to.getTime() - from.getTime()}::float8 * ((hashint8extended(g, 7) & 9007199254740991)::float8 / 9007199254740992.0)) * interval '1 millisecond'),
             (array['view_activity_log', 'export_activity_log'])[1 + g % 2], 'activity_log',
             (array['succeeded', 'failed'])[1 + (g / 2) % 2], (${USERS}::text[])[1 + g % 4], 'Partner Center Web', gen_random_uuid()
      from generate_series(1, ${ACCESS_RECORDS}) g`;
    // Rewritten in time order, as a log written as things happen lies on disk: the access records
    // came in one statement after the rest, and a page would otherwise fetch them from far away.
    await db.admin.unsafe("cluster activity_records using activity_records_page_idx");
    // As autovacuum does for an append-only table: statistics, and the visibility map that lets
    // index-only scans skip the heap. The test cluster commits asynchronously, and VACUUM marks a
    // page all-visible only once the inserting commit is flushed: hence the checkpoint first.
    await db.admin.unsafe("checkpoint");
    await db.admin.unsafe("vacuum (analyze) activity_records");
  }, 120_000);

  afterAll(async () => {
    await app?.end();
    await db?.drop();
  });

  const explain = (query: { getSQL(): SQL }) =>
    withTenant(
      BIG,
      async (tx) => {
        const rows = (await tx.execute(sql`explain (analyze, buffers, format json) ${query.getSQL()}`)) as unknown as {
          "QUERY PLAN": [{ Plan: PlanNode }];
        }[];
        return at(rows, 0, "the query plan")["QUERY PLAN"][0].Plan;
      },
      orm,
    );

  const matching = async (filters: ActivityFilters) => {
    const [{ n }] = await db.admin<[{ n: number }]>`
      select count(*)::int as n from activity_records where tenant_id = ${BIG.tenantId} and occurred_at >= ${from} and occurred_at < ${to}
        and (${filters.status ?? null}::text is null or operation_status = ${filters.status ?? null})
        and (${filters.action ?? null}::text is null or operation_type = ${filters.action ?? null})
        and (${filters.user ?? null}::text is null or lower(user_principal_name) = lower(${filters.user ?? null}))
        and (${excludesLogAccess(filters)} is false or operation_type not in ('view_activity_log', 'export_activity_log'))`;
    return n;
  };
  /** The access records the filters would match but for the exclusion: what it may skip over. */
  const accessOnly = async (filters: ActivityFilters) =>
    excludesLogAccess(filters)
      ? (await matching({ ...filters, includeLogAccess: true })) - (await matching(filters))
      : 0;

  const variants: { name: string; filters: ActivityFilters; index: RegExp | null }[] = [
    { name: "no filter", filters: { range }, index: null },
    { name: "status", filters: { range, status: "failed" }, index: /operation_status/ },
    { name: "action", filters: { range, action: "update_subscription" }, index: /operation_type/ },
    {
      name: "action and status",
      filters: { range, action: "update_subscription", status: "failed" },
      index: /operation_type/,
    },
    { name: "partner user, any case", filters: { range, user: "ADMIN@big.EXAMPLE" }, index: /user_key/ },
    // The page's default: the log's own access records left out, checked on the index entry.
    // (Partitions name their own indexes: the page index is the one a filterless count already uses.)
    { name: "no filter, without log access", filters: { range, includeLogAccess: false }, index: null },
    {
      name: "status, without log access",
      filters: { range, status: "failed", includeLogAccess: false },
      index: /operation_status/,
    },
    {
      name: "partner user, without log access",
      filters: { range, user: "agent@big.example", includeLogAccess: false },
      index: /user_key/,
    },
  ];

  for (const { name, filters, index } of variants) {
    it(`counts by reading matching index entries only (${name})`, async () => {
      const expected = await matching(filters);
      expect(expected).toBeGreaterThan(0);
      const plan = await explain(cappedCountQuery(orm, buildActivityWhere(BIG, filters), DEFAULT_COUNT_CAP));
      const read = scans(plan);
      expect(read.length).toBeGreaterThan(0);
      // Without log access, the entries skipped are access records only (and no more of them
      // than lie among the matches counted).
      const skippable = await accessOnly(filters);
      if (excludesLogAccess(filters)) expect(skippable).toBeGreaterThan(0);
      for (const scan of read) {
        expect(scan["Node Type"]).toBe("Index Only Scan");
        expect(scan["Heap Fetches"]).toBe(0);
        expect(scan["Rows Removed by Filter"] ?? 0).toBeLessThanOrEqual(skippable);
        if (index) expect(scan["Index Name"]).toMatch(index);
      }
      // Entries read = matches, capped: the cost follows the answer, not the tenant's size.
      const entries = read.reduce((sum, s) => sum + (s["Actual Rows"] ?? 0), 0);
      expect(entries).toBe(Math.min(expected, DEFAULT_COUNT_CAP + 1));

      const counted = await countActivity({ ctx: BIG, params: filters, db: orm });
      expect(counted).toEqual(
        expected > DEFAULT_COUNT_CAP ? { count: DEFAULT_COUNT_CAP, capped: true } : { count: expected, capped: false },
      );
    });
  }

  // Users with statuses (the multi-select): the status is checked on the user index's entry
  // (migration 0014 includes it), so the count never visits the heap.
  it("counts a partner user with a status by reading the user index only", async () => {
    const filters: ActivityFilters = { range, user: "agent@big.example", status: "failed" };
    const expected = await matching(filters);
    expect(expected).toBeGreaterThan(0);
    const read = scans(await explain(cappedCountQuery(orm, buildActivityWhere(BIG, filters), DEFAULT_COUNT_CAP)));
    expect(read.length).toBeGreaterThan(0);
    for (const scan of read) {
      expect(scan["Node Type"]).toBe("Index Only Scan");
      expect(scan["Index Name"]).toMatch(/user_key/);
      expect(scan["Heap Fetches"]).toBe(0);
    }
    expect(await countActivity({ ctx: BIG, params: filters, db: orm })).toEqual({
      count: Math.min(expected, DEFAULT_COUNT_CAP),
      capped: expected > DEFAULT_COUNT_CAP,
    });
  });

  // A partner user's counts are their own table's (migration 0015), read the same way.
  for (const { name, filters } of variants) {
    it(`says "more than 10,000" from the day counts, without reading the log (${name})`, async () => {
      const expected = await matching(filters);
      const plan = await explain(countQuery(orm, BIG, filters, DEFAULT_COUNT_CAP));
      const read = scans(plan).filter((s) => (s["Actual Loops"] ?? 0) > 0);
      const dayCounts = read.filter((s) =>
        /activity_(user_)?day_counts/.test(s["Relation Name"] ?? s["Index Name"] ?? ""),
      );
      // One index scan, or (without log access, whose OR the planner may split) one per branch
      // under a BitmapOr: which one depends on the table's statistics at the time, not on the data.
      expect(dayCounts.length).toBeGreaterThanOrEqual(1);
      expect(dayCounts.length).toBeLessThanOrEqual(excludesLogAccess(filters) ? 3 : 1);
      // At most a row per day of the range (92 days), whatever the tenant's size; without log
      // access, also each access action's row to subtract.
      const dayRows = dayCounts
        .filter((s) => s["Node Type"] !== "Bitmap Index Scan") // its rows are the heap scan's again
        .reduce((sum, s) => sum + (s["Actual Rows"] ?? 0), 0);
      expect(dayRows).toBeLessThanOrEqual(excludesLogAccess(filters) ? 3 * 92 : 92);
      const log = read.filter((s) => !dayCounts.includes(s));
      if (expected > DEFAULT_COUNT_CAP) expect(log).toEqual([]);
      else expect(log.reduce((sum, s) => sum + (s["Actual Rows"] ?? 0), 0)).toBe(expected);
    });
  }

  it("has a variant of each kind: over the cap from the day counts, and under it counted exactly", async () => {
    const sizes = await Promise.all(variants.map((v) => matching(v.filters)));
    expect(sizes.some((n) => n > DEFAULT_COUNT_CAP)).toBe(true);
    expect(sizes.some((n) => n <= DEFAULT_COUNT_CAP)).toBe(true);
  });

  for (const { name, filters } of variants.filter((v) => v.name !== "action")) {
    it(`starts a page at its first row, without sorting (${name})`, async () => {
      const plan = await explain(pageRowsQuery(orm, BIG, filters, null, false, 26));
      expect(nodes(plan).map((n) => n["Node Type"])).not.toContain("Sort");
      const entries = scans(plan).reduce((sum, s) => sum + (s["Actual Rows"] ?? 0), 0);
      expect(entries).toBeLessThanOrEqual(26);
      // Only access records among the first rows are stepped over, when they are left out (about
      // 3% of them here): a handful, never a walk.
      const skippable = Math.min(await accessOnly(filters), 26);
      for (const scan of scans(plan)) expect(scan["Rows Removed by Filter"] ?? 0).toBeLessThanOrEqual(skippable);
    });

    it(`reads the oldest page from the range's start, without sorting (${name})`, async () => {
      const plan = await explain(pageRowsQuery(orm, BIG, filters, null, true, 26));
      expect(nodes(plan).map((n) => n["Node Type"])).not.toContain("Sort");
      expect(scans(plan).reduce((sum, s) => sum + (s["Actual Rows"] ?? 0), 0)).toBeLessThanOrEqual(26);
      const skippable = Math.min(await accessOnly(filters), 26);
      for (const scan of scans(plan)) expect(scan["Rows Removed by Filter"] ?? 0).toBeLessThanOrEqual(skippable);
    });

    it(`counts a deep page's position by reading the entries above it only (${name})`, async () => {
      const positions = await withTenant(BIG, (tx) => pageRowsQuery(tx, BIG, filters, null, false, 400), orm);
      const index = Math.min(positions.length - 1, 300);
      expect(index).toBeGreaterThan(25);
      const position = at(positions, index, `row ${index} of the filter's rows`);
      const cursor = { occurredAt: position.occurredAt, id: position.id };
      const plan = await explain(newerThanQuery(orm, BIG, filters, cursor, DEFAULT_COUNT_CAP));
      const read = scans(plan);
      expect(read.length).toBeGreaterThan(0);
      for (const scan of read) {
        expect(scan["Node Type"]).toBe("Index Only Scan");
        expect(scan["Heap Fetches"]).toBe(0);
      }
      // The entries counted are the rows above the position: the walk starts at the range's end
      // and stops at the cursor, whatever lies below it.
      expect(read.reduce((sum, s) => sum + (s["Actual Rows"] ?? 0), 0)).toBe(index);
      const skipped = read.reduce((sum, s) => sum + (s["Rows Removed by Filter"] ?? 0), 0);
      expect(skipped).toBeLessThanOrEqual(Math.min(await accessOnly(filters), 400) + 1);
    });

    it(`starts a deep page and its probe at the cursor, both ways (${name})`, async () => {
      // A position thousands of rows in: the 200th page of 25 (or as deep as the filter goes).
      const positions = await withTenant(BIG, (tx) => pageRowsQuery(tx, BIG, filters, null, false, 5_000), orm);
      const position = at(positions, Math.min(positions.length - 1, 199 * 25), "a row thousands in");
      expect(positions.indexOf(position)).toBeGreaterThan(500);
      const cursor = { occurredAt: position.occurredAt, id: position.id };
      // The first page's pages touched, as the measure of "no walk from the range's edge".
      const firstPage = pagesRead(await explain(pageRowsQuery(orm, BIG, filters, null, false, 26)));
      for (const backwards of [false, true]) {
        const plan = await explain(pageRowsQuery(orm, BIG, filters, cursor, backwards, 26));
        expect(nodes(plan).map((n) => n["Node Type"])).not.toContain("Sort");
        // 26 rows and the one entry that answers "anything behind the cursor?" (its InitPlan).
        const entries = scans(plan).reduce((sum, s) => sum + (s["Actual Rows"] ?? 0), 0);
        expect(entries).toBeLessThanOrEqual(27);
        expect(pagesRead(plan)).toBeLessThanOrEqual(firstPage + 4 + 4); // + the probe's descent

        const probe = await explain(nearestBehindQuery(orm, BIG, filters, cursor, backwards));
        expect(scans(probe).reduce((sum, s) => sum + (s["Actual Rows"] ?? 0), 0)).toBeLessThanOrEqual(2);
        expect(pagesRead(probe)).toBeLessThanOrEqual(firstPage + 4);
      }
    });
  }
});
