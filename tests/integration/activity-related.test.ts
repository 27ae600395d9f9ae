import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeDb } from "@/db/client";
import { getActivityPage } from "@/db/queries/activity-records";
import { getRelatedRecords, getRowAnnotations, laterOutcomeOf } from "@/db/queries/activity-related";
import * as schema from "@/db/schema";
import { generateActivity } from "@/db/seed/activity-generator";
import { getActivityRecord } from "@/lib/handlers/activity-record";
import { exportActivityLog } from "@/lib/handlers/export-activity-log";
import { route } from "@/lib/http/route";
import { addTenants } from "../support/fixtures";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { at } from "../support/present";

/*
 * Records of one operation (a shared correlation id): the demo data's chains, "Related records",
 * the correlation filter, the outcome of an operation in progress, and the attempted name of a
 * failed "Add customer" on the page, all as the request role under row-level security.
 */

const TENANT = { tenantId: "7e7e7e7e-0000-4000-8000-000000000001", cloud: "commercial" as const };
const OTHER = { tenantId: "7e7e7e7e-0000-4000-8000-000000000002", cloud: "commercial" as const };
const from = new Date("2026-06-01T00:00:00Z");
const to = new Date("2026-07-01T00:00:00Z");
const range = { start: from, end: to };

describe("records of one operation", () => {
  let db: TestDatabase;
  let app: postgres.Sql;
  let orm: ReturnType<typeof drizzle<typeof schema>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = postgres(db.url, { max: 2, onnotice: () => {} });
    orm = drizzle(app, { schema });
    await db.admin`select ensure_activity_partitions(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz)`;
    for (const [i, t] of [TENANT, OTHER].entries()) {
      await addTenants(db.admin, [{ ...t, name: `Related tenant ${i}` }]);
      await generateActivity(db.admin, {
        tenantId: t.tenantId,
        cloud: t.cloud,
        count: 4_000,
        from,
        to,
        // The same seed: both tenants' chains would share correlation ids but for the tenant in the hash.
        seed: 5,
        customers: [
          { id: `7e7e7e7e-1111-4111-8111-00000000000${i}`, companyName: "Société Générale", domain: "sg.example" },
          { id: `7e7e7e7e-1111-4111-8111-00000000001${i}`, companyName: "Škoda Dílny", domain: "skoda.example" },
        ],
        userPrincipalNames: ["admin@related.example"],
      });
    }
  }, 120_000);

  afterAll(async () => {
    await app?.end();
    await db?.drop();
  });

  const orderChain = async () => {
    const [row] = await db.admin<[{ correlation_id: string }]>`
      select correlation_id from activity_records where tenant_id = ${TENANT.tenantId}
      group by correlation_id having count(*) = 4 and bool_or(operation_type = 'create_order') limit 1`;
    return row.correlation_id;
  };

  it("demo data holds orders with their subscriptions and licences under one correlation id", async () => {
    const correlation = await orderChain();
    const rows = await db.admin<{ operation_type: string; customer_id: string; new_value: Record<string, unknown> }[]>`
      select r.operation_type, r.customer_id, d.resource_new_value as new_value
      from activity_records r join activity_record_details d on d.tenant_id = r.tenant_id and d.occurred_at = r.occurred_at and d.record_id = r.id
      where r.tenant_id = ${TENANT.tenantId} and r.correlation_id = ${correlation} order by r.occurred_at, r.id`;
    expect(rows.map((r) => r.operation_type)).toEqual([
      "create_order",
      "update_subscription",
      "update_subscription",
      "update_customer_user_licenses",
    ]);
    expect(new Set(rows.map((r) => r.customer_id)).size).toBe(1);
    const order = at(rows, 0, "the order record");
    const firstUpdate = at(rows, 1, "the first subscription update");
    const secondUpdate = at(rows, 2, "the second subscription update");
    const lines = (order.new_value.lineItems as { subscriptionId: string }[]).map((l) => l.subscriptionId);
    expect(lines).toContain(firstUpdate.new_value.subscriptionId);
    expect(lines).toContain(secondUpdate.new_value.subscriptionId);
  });

  it("demo data holds operations in progress and their outcomes", async () => {
    const chains = await db.admin<{ statuses: string[] }[]>`
      select array_agg(operation_status order by occurred_at, id) as statuses from activity_records
      where tenant_id = ${TENANT.tenantId} group by correlation_id having count(*) = 2`;
    expect(chains.length).toBeGreaterThan(0);
    const outcomes = new Set(chains.map((c) => c.statuses.join(">")));
    expect(outcomes).toEqual(new Set(["progress>succeeded", "progress>failed"]));
  });

  it("lists the other records of an operation, and never another tenant's", async () => {
    const correlation = await orderChain();
    // The other tenant gets a record with the very same correlation id.
    await db.admin`insert into activity_records (tenant_id, cloud, occurred_at, operation_type, resource_type, operation_status,
        user_principal_name, application_id, correlation_id)
      values (${OTHER.tenantId}, ${OTHER.cloud}, '2026-06-15T00:00:00Z', 'create_order', 'order', 'succeeded', 'x@other.example', 'Web', ${correlation})`;
    const page = await getActivityPage({ ctx: TENANT, params: { range, correlation, size: 25 }, db: orm });
    expect(page.rows).toHaveLength(4);
    const first = at(page.rows, -1, "the operation's first record");
    const related = await getRelatedRecords({ ctx: TENANT, correlationId: correlation, exclude: first, db: orm });
    expect(related.more).toBe(false);
    expect(related.records.map((r) => r.id)).toEqual(
      page.rows
        .slice(0, -1)
        .map((r) => r.id)
        .reverse(),
    );
    const other = await getActivityPage({ ctx: OTHER, params: { range, correlation, size: 25 }, db: orm });
    expect(other.rows.map((r) => r.userPrincipalName)).toEqual(["x@other.example"]);
  });

  it("shows on the page, and in the details, how an operation in progress ended", async () => {
    const page = await getActivityPage({ ctx: TENANT, params: { range, status: "progress", size: 100 }, db: orm });
    const annotations = await getRowAnnotations({ ctx: TENANT, rows: page.rows, db: orm });
    const settled = page.rows.filter((r) => annotations.get(r.id)?.laterOutcome);
    expect(settled.length).toBeGreaterThan(0);
    for (const row of settled) {
      const related = await getRelatedRecords({ ctx: TENANT, correlationId: row.correlationId, exclude: row, db: orm });
      expect(related.records).toHaveLength(1);
      const outcome = at(related.records, 0, "the outcome");
      const later = annotations.get(row.id)!.laterOutcome;
      expect(later).toEqual({ status: outcome.operationStatus, occurredAt: outcome.occurredAt });
      expect(laterOutcomeOf(row, related.records)).toEqual(later);
      expect(outcome.occurredAt.getTime()).toBeGreaterThan(row.occurredAt.getTime());
    }
    // Records that are not in progress have no later outcome.
    const done = await getActivityPage({ ctx: TENANT, params: { range, status: "succeeded", size: 50 }, db: orm });
    expect((await getRowAnnotations({ ctx: TENANT, rows: done.rows, db: orm })).size).toBe(0);
  });

  it("gives failed Add customer rows the name they tried, and no other row one", async () => {
    const failed = await getActivityPage({
      ctx: TENANT,
      params: { range, action: "add_customer", status: "failed", size: 50 },
      db: orm,
    });
    expect(failed.rows.length).toBeGreaterThan(0);
    const annotations = await getRowAnnotations({ ctx: TENANT, rows: failed.rows, db: orm });
    for (const row of failed.rows) {
      expect(row.customerId).toBeNull();
      expect(["Société Générale", "Škoda Dílny"]).toContain(annotations.get(row.id)?.attemptedCustomerName);
    }
    const others = await getActivityPage({ ctx: TENANT, params: { range, size: 100 }, db: orm });
    const otherAnnotations = await getRowAnnotations({ ctx: TENANT, rows: others.rows, db: orm });
    for (const row of others.rows.filter((r) => r.customerId !== null))
      expect(otherAnnotations.get(row.id)?.attemptedCustomerName ?? null).toBeNull();
  });

  describe("through the routes, as the signed-in user", () => {
    const signedIn = (scope: typeof TENANT) => ({
      ...scope,
      userId: "00000000-0000-4000-8000-0000000000a1",
      userPrincipalName: "admin@related.example",
      role: "global_admin" as const,
    });
    const SESSION = "00000000-0000-4000-8000-000000000000";
    const details = (scope: typeof TENANT, id: number, at: Date) =>
      route((request: NextRequest) =>
        getActivityRecord({ ctx: signedIn(scope), sessionId: SESSION, request, params: { id: String(id) } }),
      )(new NextRequest(`http://localhost/api/activity-log/records/${id}?at=${encodeURIComponent(at.toISOString())}`));

    beforeAll(() => {
      vi.stubEnv("DATABASE_URL", db.url);
    });
    afterAll(async () => {
      await closeDb();
      vi.unstubAllEnvs();
    });

    it("a record's details carry its related records and, in progress, its outcome; another tenant's is 404", async () => {
      const [progress] = await db.admin<[{ id: string; occurred_at: Date; correlation_id: string }]>`
        select r.id, r.occurred_at, r.correlation_id from activity_records r
        where r.tenant_id = ${TENANT.tenantId} and r.operation_status = 'progress'
          and exists (select 1 from activity_records o where o.tenant_id = r.tenant_id and o.correlation_id = r.correlation_id
                      and o.operation_status in ('succeeded', 'failed'))
        order by r.occurred_at limit 1`;
      const response = await details(TENANT, Number(progress.id), progress.occurred_at);
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body.related).toHaveLength(1);
      expect(body.relatedMore).toBe(false);
      expect(body.outcome).toEqual({
        status: body.related[0].operationStatus,
        occurredAt: body.related[0].occurredAt,
      });
      expect((await details(OTHER, Number(progress.id), progress.occurred_at)).status).toBe(404);
    });

    it("the export applies the search, and a bad search is a 400 naming it", async () => {
      const exportRoute = (query: string) =>
        route((request: NextRequest) =>
          exportActivityLog({ ctx: signedIn(TENANT), sessionId: SESSION, request, params: {} }),
        )(new NextRequest(`http://localhost/api/activity-log/export?from=2026-06-01&to=2026-06-30&${query}`));
      const correlation = await orderChain();
      const ok = await exportRoute(`q=${correlation}`);
      expect(ok.status).toBe(200);
      expect((await ok.text()).trimEnd().split("\r\n")).toHaveLength(5);
      const bad = await exportRoute(`q=${"x".repeat(500)}`);
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.message).toMatch(/"Search" can be at most 200 characters/);
    });
  });
});
