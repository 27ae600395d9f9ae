import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { recordLogAccess, VIEW_COALESCE_WINDOW_MS, type LogAccessParams } from "@/db/mutations/log-access";
import { countActivity, getActivityPage } from "@/db/queries/activity-records";
import * as schema from "@/db/schema";
import { DEMO_TENANTS } from "@/db/seed/demo-data";
import { seedDemo } from "@/db/seed/seed-demo";
import { LOG_ACCESS_ACTIONS, parseActivityLogParams, type ActivityLogParams } from "@/lib/activity-log-params";
import { buildActivityExportQuery } from "@/db/queries/activity-export";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import type { TenantContext } from "@/lib/domain";
import { insertRecord } from "../support/fixtures";
import { at } from "../support/present";

/*
 * The log's records of its own use: left out of the page, its count and the export unless asked
 * for, and one view record per user and view within a few minutes, even for loads at once.
 */

const contoso = at(DEMO_TENANTS, 0, "the Contoso demo tenant");
const admin: TenantContext = {
  tenantId: contoso.id,
  cloud: "commercial",
  userId: "00000000-0000-4000-8000-000000000001",
  userPrincipalName: "admin@contoso.example",
  role: "global_admin",
};
const agent: TenantContext = { ...admin, userPrincipalName: "agent@contoso.example", role: "admin_agent" };

const params = (input: Record<string, string> = {}): ActivityLogParams => {
  const parsed = parseActivityLogParams(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.value;
};

describe("the log's own access records", () => {
  let db: TestDatabase;
  let client: postgres.Sql;
  let orm: Database;

  const accessRecords = async (user: string) =>
    db.admin<{ id: number; operation_type: string; data: Record<string, unknown> }[]>`
      select r.id::int, r.operation_type, d.customized_data as data
      from activity_records r
      join activity_record_details d on d.tenant_id = r.tenant_id and d.occurred_at = r.occurred_at and d.record_id = r.id
      where r.tenant_id = ${contoso.id} and r.operation_type in ('view_activity_log', 'export_activity_log')
        and r.user_principal_name = ${user}
      order by r.occurred_at, r.id`;

  const logCount = async (where: "all" | "customers" | "access") => {
    const [{ n }] = await db.admin<[{ n: number }]>`
      select count(*)::int as n from activity_records
      where tenant_id = ${contoso.id} and cloud = 'commercial'
        and occurred_at >= ${params().range.start} and occurred_at < ${params().range.end}
        and (${where} = 'all'
             or (${where} = 'access') = (operation_type in ('view_activity_log', 'export_activity_log')))`;
    return n;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemo(db.url, { recordsPerTenant: 120, customersPerTenant: 3, tenants: [contoso] });
    // Enough connections that concurrent loads really run at once.
    client = postgres(db.url, { max: 8, onnotice: () => {} });
    orm = drizzle(client, { schema });
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it("leaves views and exports out of the page, the count and the export unless asked for", async () => {
    await recordLogAccess({ ctx: admin, kind: "view", params: params({ status: "failed" }), rowCount: 3, db: orm });
    await recordLogAccess({ ctx: admin, kind: "export", params: params(), rowCount: 120, db: orm });
    const access = await logCount("access");
    const customers = await logCount("customers");
    expect(access).toBeGreaterThanOrEqual(2);
    expect(customers).toBeGreaterThan(0);

    const off = params();
    const on = params({ access: "include" });
    expect(await countActivity({ ctx: admin, params: off, db: orm })).toEqual({ count: customers, capped: false });
    expect(await countActivity({ ctx: admin, params: on, db: orm })).toEqual({
      count: customers + access,
      capped: false,
    });
    // The day-count shortcut agrees when it is the one that answers (a cap below the total).
    expect(await countActivity({ ctx: admin, params: off, cap: customers - 1, db: orm })).toEqual({
      count: customers - 1,
      capped: true,
    });
    expect(await countActivity({ ctx: admin, params: off, cap: customers, db: orm })).toEqual({
      count: customers,
      capped: false,
    });

    const types = async (p: ActivityLogParams) =>
      (await getActivityPage({ ctx: admin, params: { ...p, size: 1000 }, db: orm })).rows.map((r) => r.operationType);
    const isAccess = (t: string) => (LOG_ACCESS_ACTIONS as readonly string[]).includes(t);
    expect((await types(off)).filter(isAccess)).toEqual([]);
    expect((await types(on)).filter(isAccess)).toHaveLength(access);

    // Choosing the action is asking for those records: shown with the switch off.
    const views = params({ action: "view_activity_log" });
    expect(views.includeLogAccess).toBe(false);
    expect((await types(views)).length).toBeGreaterThan(0);
    expect(new Set(await types(views))).toEqual(new Set(["view_activity_log"]));

    // The CSV runs the same where-clause.
    const exported = async (p: ActivityLogParams) => {
      const query = buildActivityExportQuery(admin, p);
      return (await db.admin.unsafe(query.sql, query.params as never[])) as unknown as { operationType: string }[];
    };
    expect((await exported(off)).filter((r) => isAccess(r.operationType))).toEqual([]);
    expect(await exported(off)).toHaveLength(customers);
    expect(await exported(on)).toHaveLength(customers + access);
  });

  it("writes one view record per user and view within the window, with the count the page knew", async () => {
    const view = params({ customer: "Coalesce one" });
    const first = await recordLogAccess({
      ctx: agent,
      kind: "view",
      params: view,
      rowCount: 10_000,
      rowCountIsLowerBound: true,
      db: orm,
    });
    expect(first.coalesced).toBe(false);
    // A reload, a language switch, another page size: the same look at the log.
    const again = await recordLogAccess({
      ctx: agent,
      kind: "view",
      params: { ...view, size: 50 },
      rowCount: 0,
      db: orm,
    });
    expect(again).toMatchObject({ id: first.id, coalesced: true });
    // Another filter, the switch, another zone or another user is another view.
    const others: [TenantContext, LogAccessParams][] = [
      [agent, params({ customer: "Coalesce one", status: "failed" })],
      [agent, params({ customer: "Coalesce one", access: "include" })],
      [agent, params({ customer: "Coalesce one", tz: "Asia/Seoul" })],
      [admin, view],
    ];
    for (const [ctx, p] of others) {
      expect((await recordLogAccess({ ctx, kind: "view", params: p, rowCount: 1, db: orm })).coalesced).toBe(false);
    }
    // Exports are each a download of their own: never coalesced.
    for (let i = 0; i < 2; i++) {
      expect(
        (await recordLogAccess({ ctx: agent, kind: "export", params: view, rowCount: 5, db: orm })).coalesced,
      ).toBe(false);
    }

    const records = await accessRecords("agent@contoso.example");
    const ofView = records.filter(
      (r) => r.operation_type === "view_activity_log" && JSON.stringify(r.data.filters).includes("Coalesce one"),
    );
    expect(ofView).toHaveLength(4);
    expect(at(ofView, 0, "the first coalesced view").data).toMatchObject({
      rowCount: 10_000,
      rowCountIsLowerBound: true,
      filters: { customer: "Coalesce one", includeLogAccess: false },
    });
    expect(at(ofView, 1, "the second coalesced view").data).not.toHaveProperty("rowCountIsLowerBound");
    expect(records.filter((r) => r.operation_type === "export_activity_log")).toHaveLength(2);
  });

  it("writes again once the window has passed", async () => {
    const view = params({ customer: "Coalesce window" });
    const first = await recordLogAccess({ ctx: agent, kind: "view", params: view, rowCount: 1, db: orm });
    // The log is append-only (no record can be aged), so the owner writes one of another view
    // just outside the window.
    const stale = new Date(Date.now() - VIEW_COALESCE_WINDOW_MS - 60_000);
    const otherView = params({ customer: "Coalesce stale" });
    const id = await insertRecord(db.admin, {
      tenant: { tenantId: contoso.id, cloud: "commercial" },
      occurredAt: stale,
      operationType: "view_activity_log",
      resourceType: "activity_log",
      customizedData: {
        range: {
          from: otherView.from,
          to: otherView.to,
          timeZone: otherView.tz,
          start: otherView.range.start.toISOString(),
          end: otherView.range.end.toISOString(),
        },
        filters: { customer: "Coalesce stale", action: null, user: null, status: null, includeLogAccess: false },
        rowCount: 1,
      },
    });
    const fresh = await recordLogAccess({ ctx: agent, kind: "view", params: otherView, rowCount: 1, db: orm });
    expect(fresh.coalesced).toBe(false);
    expect(fresh.id).not.toBe(id);
    // And the recent one still coalesces.
    expect(await recordLogAccess({ ctx: agent, kind: "view", params: view, rowCount: 1, db: orm })).toMatchObject({
      id: first.id,
      coalesced: true,
    });
  });

  it("writes one record for identical loads at the same moment", async () => {
    const view = params({ customer: "Coalesce race" });
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        recordLogAccess({ ctx: admin, kind: "view", params: view, rowCount: 7, db: orm }),
      ),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => !r.coalesced)).toHaveLength(1);
    const written = (await accessRecords("admin@contoso.example")).filter((r) =>
      JSON.stringify(r.data.filters).includes("Coalesce race"),
    );
    expect(written).toHaveLength(1);
  });
});
