import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countWithChart, type ActivityChart } from "@/db/queries/activity-chart";
import { countActivity } from "@/db/queries/activity-records";
import * as schema from "@/db/schema";
import type { Database } from "@/db/client";
import { generateActivity } from "@/db/seed/activity-generator";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

/*
 * The activity chart: per day from the day counts, per hour (and with filters the counts do not
 * hold) from the records, each under row-level security as the request role; every number must
 * be what grouping the log by hand gives.
 */

const A = { tenantId: "c4a40000-0000-4000-8000-00000000000a", cloud: "commercial" as const };
const B = { tenantId: "c4a40000-0000-4000-8000-00000000000b", cloud: "commercial" as const };
const WINDOW = { start: new Date("2026-03-01T00:00:00Z"), end: new Date("2026-03-08T00:00:00Z") };

/** The chart as the page reads it, with its count; `cap` stands in for a tenant with too many records. */
const getActivityChart = async (args: Parameters<typeof countWithChart>[0]) => (await countWithChart(args)).chart;

const asMap = (chart: ActivityChart | null) =>
  Object.fromEntries(
    (chart?.points ?? []).flatMap((p) => Object.entries(p.counts).map(([s, n]) => [`${p.at}|${s}`, n])),
  );

describe("activity chart", () => {
  let db: TestDatabase;
  let client: postgres.Sql;
  let orm: Database;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.admin`select ensure_activity_partitions(${WINDOW.start.toISOString()}::timestamptz, ${WINDOW.end.toISOString()}::timestamptz)`;
    await db.admin`insert into partner_tenants (id, cloud, name) values (${A.tenantId}, 'commercial', 'Chart A'), (${B.tenantId}, 'commercial', 'Chart B')`;
    for (const [tenant, seed] of [
      [A, 3],
      [B, 4],
    ] as const)
      await generateActivity(db.admin, {
        ...tenant,
        count: 600,
        from: WINDOW.start,
        to: WINDOW.end,
        seed,
        customers: [
          { id: "c4a40000-1111-4111-8111-000000000001", companyName: "Chart Customer", domain: "chart.example" },
        ],
        userPrincipalNames: ["admin@chart.example", "agent@chart.example"],
      });
    client = postgres(db.url, { max: 2, onnotice: () => {} });
    orm = drizzle(client, { schema }) as unknown as Database;
  }, 120_000);

  afterAll(async () => {
    await client?.end({ timeout: 5 });
    await db?.drop();
  });

  const byHand = async (tenant: typeof A, bucket: "day" | "hour", where = db.admin``) => {
    const rows = await db.admin<{ k: string; n: number }[]>`
      select to_char(date_trunc(${bucket}, occurred_at at time zone 'UTC'), ${bucket === "hour" ? 'YYYY-MM-DD"T"HH24:00' : "YYYY-MM-DD"}) || '|' || operation_status as k,
             count(*)::int as n
      from activity_records
      where tenant_id = ${tenant.tenantId} and occurred_at >= ${WINDOW.start} and occurred_at < ${WINDOW.end} ${where}
      group by 1`;
    return Object.fromEntries(rows.map((r) => [r.k, r.n]));
  };

  it("counts per UTC day and status from the day counts, for this tenant only", async () => {
    const chart = await getActivityChart({ ctx: A, params: { range: WINDOW }, timeZone: "UTC", db: orm });
    expect(chart?.bucket).toBe("day");
    expect(chart?.zone).toBe("UTC");
    const want = await byHand(A, "day");
    expect(Object.keys(want).length).toBeGreaterThan(5);
    expect(asMap(chart)).toEqual(want);
  });

  it("adds up several statuses and actions, and leaves excluded actions out", async () => {
    const params = {
      range: WINDOW,
      status: ["failed", "succeeded"] as const,
      action: ["create_order"],
      excludeActions: true,
    };
    const chart = await getActivityChart({
      ctx: A,
      params: { ...params, status: [...params.status] },
      timeZone: "UTC",
      db: orm,
    });
    const want = await byHand(
      A,
      "day",
      db.admin`and operation_status in ('failed', 'succeeded') and operation_type <> 'create_order'`,
    );
    expect(asMap(chart)).toEqual(want);
  });

  it("counts per hour over two days or less, from the records", async () => {
    const range = { start: new Date("2026-03-03T00:00:00Z"), end: new Date("2026-03-05T00:00:00Z") };
    const chart = await getActivityChart({ ctx: A, params: { range }, timeZone: "UTC", db: orm });
    expect(chart?.bucket).toBe("hour");
    const rows = await db.admin<{ k: string; n: number }[]>`
      select to_char(date_trunc('hour', occurred_at at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:00') || '|' || operation_status as k, count(*)::int as n
      from activity_records where tenant_id = ${A.tenantId} and occurred_at >= ${range.start} and occurred_at < ${range.end} group by 1`;
    expect(asMap(chart)).toEqual(Object.fromEntries(rows.map((r) => [r.k, r.n])));
  });

  it("counts partner users (any case) from their day counts, however many records match", async () => {
    const params = { range: WINDOW, user: ["ADMIN@chart.example", "agent@chart.example"], status: ["failed" as const] };
    const want = await byHand(
      A,
      "day",
      db.admin`and user_key in ('admin@chart.example', 'agent@chart.example') and operation_status = 'failed'`,
    );
    expect(Object.keys(want).length).toBeGreaterThan(3);
    for (const cap of [undefined, 5]) {
      const chart = await getActivityChart({ ctx: A, params: { ...params }, timeZone: "UTC", cap, db: orm });
      expect(chart?.bucket).toBe("day");
      expect(asMap(chart)).toEqual(want);
    }
    const one = await getActivityChart({
      ctx: A,
      params: { range: WINDOW, user: "ADMIN@chart.example" },
      timeZone: "UTC",
      db: orm,
    });
    expect(asMap(one)).toEqual(await byHand(A, "day", db.admin`and user_key = 'admin@chart.example'`));
  });

  it("groups the records for a customer filter when few match, and draws nothing when too many do", async () => {
    const params = { range: WINDOW, customer: "Chart" };
    const chart = await getActivityChart({ ctx: A, params, timeZone: "UTC", db: orm });
    const want = await byHand(A, "day", db.admin`and customer_name ilike '%Chart%'`);
    expect(Object.keys(want).length).toBeGreaterThan(3);
    expect(asMap(chart)).toEqual(want);
    expect(await getActivityChart({ ctx: A, params, timeZone: "UTC", cap: 5, db: orm })).toBeNull();
  });

  it("reads the page's count with the chart, equal to the count alone, for every kind of chart", async () => {
    const views = [
      { range: WINDOW },
      { range: WINDOW, status: ["failed" as const] },
      { range: WINDOW, user: ["agent@chart.example"] },
      { range: { start: new Date("2026-03-03T00:00:00Z"), end: new Date("2026-03-05T00:00:00Z") } },
      { range: WINDOW, customer: "Chart" },
      { range: WINDOW, q: "chart customer" },
      // Not whole UTC days: the chart has edge days the count's day counts leave out.
      { range: { start: new Date("2026-03-01T13:00:00Z"), end: new Date("2026-03-06T05:00:00Z") } },
      {
        range: { start: new Date("2026-03-01T13:00:00Z"), end: new Date("2026-03-06T05:00:00Z") },
        user: ["agent@chart.example"],
      },
    ];
    for (const params of views) {
      const exact = (await countActivity({ ctx: A, params, cap: 1_000_000, db: orm })).count;
      for (const cap of [10_000, 7, exact - 1, exact]) {
        const { total, chart } = await countWithChart({ ctx: A, params, timeZone: "UTC", cap, db: orm });
        expect(total, JSON.stringify({ params, cap })).toEqual(await countActivity({ ctx: A, params, cap, db: orm }));
        expect(total.count).toBeGreaterThan(0);
        // Grouped from the records only when few match; never a chart that cannot be trusted.
        if (params.customer || params.q) expect(chart === null).toBe(total.capped);
      }
    }
  });

  it("shows another tenant nothing of this one's", async () => {
    const none = await getActivityChart({
      ctx: { tenantId: "c4a40000-0000-4000-8000-0000000000ff", cloud: "commercial" },
      params: { range: WINDOW },
      timeZone: "UTC",
      db: orm,
    });
    expect(none?.points).toEqual([]);
    const b = await getActivityChart({ ctx: B, params: { range: WINDOW }, timeZone: "UTC", db: orm });
    expect(asMap(b)).toEqual(await byHand(B, "day"));
  });
});
