import { desc } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyRetention, listPartitions, retentionCutoff } from "@/db/partitions";
import { activityListColumns, buildActivityWhere } from "@/db/queries/activity-records";
import * as schema from "@/db/schema";
import { APP_ROLE } from "@/db/with-tenant";
import { generateActivity } from "@/db/seed/activity-generator";
import { parseActivityLogParams } from "@/lib/activity-log-params";
import { addTenants } from "../support/fixtures";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { at, firstRow } from "../support/present";

const TENANTS = [
  { id: "11111111-1111-4111-8111-111111111111", cloud: "commercial" as const, name: "Old Tenant A" },
  { id: "22222222-2222-4222-8222-222222222222", cloud: "usgov" as const, name: "Old Tenant B" },
];
const from = new Date("2019-01-01T00:00:00Z");
const to = new Date("2019-12-31T23:00:00Z");

describe("monthly partitions", () => {
  let db: TestDatabase;
  let app: postgres.Sql;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = postgres(db.url, { max: 2, onnotice: () => {} });
    await db.admin`select ensure_activity_partitions(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz)`;
    for (const [i, t] of TENANTS.entries()) {
      await addTenants(db.admin, [{ tenantId: t.id, cloud: t.cloud, name: t.name }]);
      await generateActivity(db.admin, {
        tenantId: t.id,
        cloud: t.cloud,
        count: 2400,
        from,
        to,
        seed: i,
        customers: [{ id: "33333333-3333-4333-8333-33333333333" + i, companyName: "Customer", domain: "c.example" }],
        userPrincipalNames: ["admin@old.example"],
      });
    }
  });

  afterAll(async () => {
    await app?.end();
    await db?.drop();
  });

  it("reads only the partitions of the requested range", async () => {
    const orm = drizzle(app, { schema });
    const parsed = parseActivityLogParams(
      { from: "2019-03-10", to: "2019-04-20" },
      { now: new Date("2019-06-01T00:00:00Z") },
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const tenant = at(TENANTS, 0, "the first tenant");
    const ctx = { tenantId: tenant.id, cloud: tenant.cloud };
    const query = orm
      .select(activityListColumns)
      .from(schema.activityRecords)
      .where(buildActivityWhere(ctx, parsed.value))
      .orderBy(desc(schema.activityRecords.occurredAt), desc(schema.activityRecords.id))
      .limit(26)
      .toSQL();
    const plan = await app.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${ctx.tenantId}, true), set_config('app.cloud', ${ctx.cloud}, true), set_config('role', ${APP_ROLE}, true)`;
      const row = await firstRow(tx.unsafe(`explain (format json) ${query.sql}`, query.params as never[]), "the plan");
      return JSON.stringify(row["QUERY PLAN"]);
    });
    const scanned = new Set([...plan.matchAll(/"Relation Name":"(activity_records[^"]*)"/g)].map((m) => m[1]));
    expect([...scanned].sort()).toEqual(["activity_records_y2019m03", "activity_records_y2019m04"]);
  });

  it("drops whole months past the retention period and says so in each tenant's log", async () => {
    const now = new Date("2026-07-15T00:00:00Z");
    const months = 84; // keeps 2019-07 onwards
    expect(retentionCutoff(now, months).toISOString()).toBe("2019-07-01T00:00:00.000Z");
    const { before } = await firstRow(
      db.admin`select count(*)::int as before from activity_records where occurred_at < '2019-07-01'`,
      "the count before 2019-07",
    );
    const { kept } = await firstRow(
      db.admin`select count(*)::int as kept from activity_records where occurred_at >= '2019-07-01'`,
      "the count from 2019-07",
    );
    expect(before).toBeGreaterThan(0);

    const result = await applyRetention(db.admin, { now, months });
    expect(result.dropped.filter((n) => n.startsWith("activity_records_")).sort()).toEqual(
      ["01", "02", "03", "04", "05", "06"].map((m) => `activity_records_y2019m${m}`),
    );
    const remaining = (await listPartitions(db.admin)).map((p) => p.name);
    expect(remaining).not.toContain("activity_records_y2019m06");
    expect(remaining).not.toContain("activity_record_details_y2019m06");
    expect(remaining).toContain("activity_records_y2019m07");

    const { now_kept } = await firstRow(
      db.admin`select count(*)::int as now_kept from activity_records where occurred_at >= '2019-07-01' and operation_type <> 'apply_log_retention'`,
      "the count from 2019-07 after retention",
    );
    expect(now_kept).toBe(kept);
    const traces = await db.admin`
      select r.tenant_id, r.cloud, d.customized_data from activity_records r
      join activity_record_details d on d.tenant_id = r.tenant_id and d.occurred_at = r.occurred_at and d.record_id = r.id
      where r.operation_type = 'apply_log_retention' order by r.tenant_id`;
    expect(traces.map((t) => [t.tenant_id, t.cloud])).toEqual(TENANTS.map((t) => [t.id, t.cloud]));
    const total = traces.reduce((sum, t) => sum + (t.customized_data as { recordsRemoved: number }).recordsRemoved, 0);
    expect(total).toBe(before);
    expect(at(traces, 0, "the first tenant's trace").customized_data).toMatchObject({
      retentionMonths: 84,
      droppedMonths: ["2019-01", "2019-02", "2019-03", "2019-04", "2019-05", "2019-06"],
    });

    // A second run has nothing left to drop.
    expect((await applyRetention(db.admin, { now, months })).dropped).toEqual([]);
  });

  it("is out of reach of the request role", async () => {
    await expect(
      app.begin(async (tx) => {
        await tx.unsafe(`set local role ${APP_ROLE}`);
        await tx`drop table activity_records_y2019m08`;
      }),
    ).rejects.toThrow(/must be owner/);
  });
});
