import { sql, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  countActivity,
  getActivityPage,
  pageRowsQuery,
  resolveActivitySearch,
  shareSearch,
  withResolvedSearch,
  type ActivityFilters,
} from "@/db/queries/activity-records";
import { getRowAnnotations } from "@/db/queries/activity-related";
import * as schema from "@/db/schema";
import { generateActivity } from "@/db/seed/activity-generator";
import { withTenant } from "@/db/with-tenant";
import { createActivityCsvStream } from "@/lib/export/activity-csv";
import { addTenants, insertRecord } from "../support/fixtures";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { at } from "../support/present";

/*
 * The search box against real PostgreSQL, as the request role under row-level security: folding of
 * case, accents and width in the database, the kinds of UUID it finds, domains, attempted names of
 * failed "Add customer" records, another tenant's records never found, and a plan that stays an
 * index probe for a rare name in a tenant with many records.
 */

const TENANT = { tenantId: "5e5e5e5e-0000-4000-8000-000000000001", cloud: "commercial" as const };
const OTHER = { tenantId: "5e5e5e5e-0000-4000-8000-000000000002", cloud: "commercial" as const };
const from = new Date("2026-06-01T00:00:00Z");
const to = new Date("2026-09-01T00:00:00Z");
const range = { start: from, end: to };

const ID = {
  societe: "5e5e5e5e-1111-4111-8111-000000000001",
  skoda: "5e5e5e5e-1111-4111-8111-000000000002",
  wide: "5e5e5e5e-1111-4111-8111-000000000003",
  correlation: "5e5e5e5e-2222-4222-8222-000000000001",
  subscription: "5e5e5e5e-3333-4333-8333-000000000001",
  order: "5e5e5e5e-3333-4333-8333-000000000002",
  event: "5e5e5e5e-4444-4444-8444-000000000001",
  otherCorrelation: "5e5e5e5e-2222-4222-8222-000000000009",
};

interface Row {
  tenant: typeof TENANT;
  at: string;
  customerId?: string | null;
  customerName?: string | null;
  operationType?: string;
  status?: string;
  correlationId?: string;
  newValue?: unknown;
}

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Relation Name"?: string;
  "Rows Removed by Filter"?: number;
  Plans?: PlanNode[];
}
const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

describe("the search box", () => {
  let db: TestDatabase;
  let app: postgres.Sql;
  let orm: ReturnType<typeof drizzle<typeof schema>>;
  const ids: Record<string, number> = {};

  const insert = async (name: string, row: Row) => {
    const id = await insertRecord(db.admin, {
      tenant: row.tenant,
      occurredAt: row.at,
      customerId: row.customerId,
      customerName: row.customerName,
      operationType: row.operationType ?? "update_subscription",
      resourceType: "subscription",
      status: row.status,
      user: "admin@search.example",
      correlationId: row.correlationId,
      newValue: row.newValue,
    });
    ids[name] = id;
    return id;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    app = postgres(db.url, { max: 2, onnotice: () => {} });
    orm = drizzle(app, { schema });
    await db.admin`select ensure_activity_partitions(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz)`;
    for (const [i, t] of [TENANT, OTHER].entries()) {
      await addTenants(db.admin, [{ ...t, name: `Search tenant ${i}` }]);
      // Many records of common customers around the rare ones, so a wrong plan would show.
      await generateActivity(db.admin, {
        tenantId: t.tenantId,
        cloud: t.cloud,
        count: i === 0 ? 40_000 : 5_000,
        from,
        to,
        seed: 31 + i,
        customers: ["Northwind Traders", "Contoso", "Fabrikam", "Adventure Works"].map((companyName, c) => ({
          id: `5e5e5e5e-9999-4999-8999-00000000000${i * 4 + c}`,
          companyName,
          domain: `common${c}.example`,
        })),
        userPrincipalNames: ["admin@search.example"],
      });
    }
    await db.admin`insert into customers (id, tenant_id, company_name, domain) values
      (${ID.societe}, ${TENANT.tenantId}, 'Société Générale d''Ingénierie', 'sgi.example'),
      (${ID.skoda}, ${TENANT.tenantId}, 'Škoda Dílny s.r.o.', 'skoda-dilny.example')`;

    await insert("societe", {
      tenant: TENANT,
      at: "2026-07-01T10:00:00Z",
      customerId: ID.societe,
      customerName: "Société Générale d'Ingénierie",
      correlationId: ID.correlation,
      newValue: { subscriptionId: ID.subscription, offerName: "Microsoft 365 E3", quantity: 5 },
    });
    await insert("skoda", {
      tenant: TENANT,
      at: "2026-07-02T10:00:00Z",
      customerId: ID.skoda,
      customerName: "Škoda Dílny s.r.o.",
      operationType: "create_order",
      newValue: { orderId: ID.order, lineItems: [] },
    });
    await insert("wide", {
      tenant: TENANT,
      at: "2026-07-03T10:00:00Z",
      customerId: ID.wide,
      customerName: "ＺＥＮＩＴＨ Ｔｒａｄｉｎｇ",
    });
    await insert("attempted", {
      tenant: TENANT,
      at: "2026-07-04T10:00:00Z",
      operationType: "add_customer",
      status: "failed",
      newValue: { companyName: "Ærøskøbing Fiskeri ApS", domain: "aero.example", country: "DK" },
    });
    const eventRecordId = await insert("event", {
      tenant: TENANT,
      at: "2026-07-05T10:00:00Z",
      customerName: "Unrelated",
    });
    await db.admin`insert into activity_ingest_events (tenant_id, cloud, event_id, payload_hash, record_id, occurred_at)
      values (${TENANT.tenantId}, ${TENANT.cloud}, ${ID.event}, 'hash', ${eventRecordId}, '2026-07-05T10:00:00Z')`;
    // The other tenant has a customer of the same name, the same correlation id and subscription id.
    await insert("otherSociete", {
      tenant: OTHER,
      at: "2026-07-01T11:00:00Z",
      customerName: "Société Générale d'Ingénierie",
      correlationId: ID.correlation,
      newValue: { subscriptionId: ID.subscription },
    });
    await insert("otherAttempted", {
      tenant: OTHER,
      at: "2026-07-04T11:00:00Z",
      operationType: "add_customer",
      status: "failed",
      newValue: { companyName: "Ærøskøbing Fiskeri ApS" },
    });
    await insert("otherOnly", {
      tenant: OTHER,
      at: "2026-07-06T11:00:00Z",
      customerName: "Only Elsewhere",
      correlationId: ID.otherCorrelation,
    });
    await db.admin.unsafe("checkpoint");
    await db.admin.unsafe("vacuum (analyze) activity_records, activity_record_details");
  }, 120_000);

  afterAll(async () => {
    await app?.end();
    await db?.drop();
  });

  const found = async (q: string, ctx = TENANT, extra: Partial<ActivityFilters> = {}) => {
    const page = await getActivityPage({ ctx, params: { range, q, size: 100, ...extra }, db: orm });
    return page.rows.map((r) => r.id).sort((a, b) => a - b);
  };

  it.each([
    ["societe", "societe"],
    ["SOCIÉTÉ", "societe"],
    ["générale d'ing", "societe"],
    ["skoda", "skoda"],
    ["ŠKODA DÍLNY", "skoda"],
    // Full-width letters in the query and in the stored name.
    ["ｓｋｏｄａ", "skoda"],
    ["zenith trading", "wide"],
    ["Zenith", "wide"],
  ])("folds case, accents and width: %s", async (q, name) => {
    expect(await found(q)).toEqual([ids[name]]);
  });

  it("finds the attempted name of a failed Add customer, which names no customer", async () => {
    expect(await found("aeroskobing")).toEqual([ids.attempted]);
    expect(await found("Ærøskøbing fiskeri")).toEqual([ids.attempted]);
  });

  it("gives the page row of a failed Add customer the name it tried", async () => {
    const page = await getActivityPage({ ctx: TENANT, params: { range, q: "aeroskobing", size: 25 }, db: orm });
    const annotations = await getRowAnnotations({ ctx: TENANT, rows: page.rows, db: orm });
    expect(page.rows.map((r) => [r.customerId, r.customerName, annotations.get(r.id)?.attemptedCustomerName])).toEqual([
      [null, null, "Ærøskøbing Fiskeri ApS"],
    ]);
    // Another tenant's context finds no details for it.
    expect((await getRowAnnotations({ ctx: OTHER, rows: page.rows, db: orm })).size).toBe(0);
  });

  it.each([
    ["correlation id", ID.correlation, "societe"],
    ["customer id", ID.skoda, "skoda"],
    ["subscription id", ID.subscription, "societe"],
    ["order id", ID.order, "skoda"],
    ["ingested event id", ID.event, "event"],
  ])("finds a record by its %s", async (_kind, q, name) => {
    expect(await found(q)).toEqual([ids[name]]);
    expect(await found(q.toUpperCase())).toEqual([ids[name]]);
  });

  it("finds a customer by its domain", async () => {
    expect(await found("SGI.example")).toEqual([ids.societe]);
  });

  it("never finds another tenant's records, by name, attempted name or id", async () => {
    expect(await found("only elsewhere")).toEqual([]);
    expect(await found(ID.otherCorrelation)).toEqual([]);
    // The other tenant finds its own copies only.
    expect(await found("societe", OTHER)).toEqual([ids.otherSociete]);
    expect(await found(ID.subscription, OTHER)).toEqual([ids.otherSociete]);
    expect(await found(ID.correlation, OTHER)).toEqual([ids.otherSociete]);
    expect(await found("aeroskobing", OTHER)).toEqual([ids.otherAttempted]);
  });

  it("shares one resolution between the page and its count, and a failed or missing one ends the wait", async () => {
    for (const q of ["societe", "sgi.example", ID.subscription, "aeroskobing", "nothing like it"]) {
      const search = shareSearch({ range, q });
      const [page, count] = await Promise.all([
        search.settle(getActivityPage({ ctx: TENANT, params: { ...search.first, size: 25 }, db: orm })),
        countActivity({ ctx: TENANT, params: search.second, db: orm }),
      ]);
      const alone = await getActivityPage({ ctx: TENANT, params: { range, q, size: 25 }, db: orm });
      expect(
        page.rows.map((r) => r.id),
        q,
      ).toEqual(alone.rows.map((r) => r.id));
      expect(count, q).toEqual(await countActivity({ ctx: TENANT, params: { range, q }, db: orm }));
    }
    // The first fails before it resolves anything: the second fails with it instead of waiting.
    const failing = shareSearch({ range, q: "societe" });
    const first = failing.settle(getActivityPage({ ctx: TENANT, params: { ...failing.first, size: 0 }, db: orm }));
    await expect(first).rejects.toThrow(/page size/);
    await expect(countActivity({ ctx: TENANT, params: failing.second, db: orm })).rejects.toThrow(/page size/);
    // The first ends without resolving: the second is told so.
    const idle = shareSearch({ range, q: "societe" });
    await idle.settle(Promise.resolve("no query"));
    await expect(countActivity({ ctx: TENANT, params: idle.second, db: orm })).rejects.toThrow(/not resolved/);
    // No search: nothing to share.
    const plain = shareSearch({ range });
    expect(plain.first).toBe(plain.second);
  });

  it("counts what it finds, and combines with the other filters", async () => {
    expect(await countActivity({ ctx: TENANT, params: { range, q: "societe" }, db: orm })).toEqual({
      count: 1,
      capped: false,
    });
    expect(await found("societe", TENANT, { status: "failed" })).toEqual([]);
    expect(await found("aeroskobing", TENANT, { action: "add_customer", status: "failed" })).toEqual([ids.attempted]);
  });

  it("exports what it finds: the same where-builder, resolved once", async () => {
    for (const q of ["societe", ID.subscription, "aeroskobing"]) {
      const params = await resolveActivitySearch({ ctx: TENANT, params: { range, q }, db: orm });
      const stream = createActivityCsvStream({ ctx: TENANT, params, sql: app });
      const text = await new Response(stream).text();
      // The header line and one record.
      expect(text.trimEnd().split("\r\n"), q).toHaveLength(2);
    }
    // An unresolved search is a programming error, never a silently unfiltered file.
    expect(() => createActivityCsvStream({ ctx: TENANT, params: { range, q: "societe" }, sql: app })).toThrow(
      /resolved/,
    );
  });

  it("finds a common name's many records, newest first, a page at a time", async () => {
    const page = await getActivityPage({ ctx: TENANT, params: { range, q: "northwind", size: 25 }, db: orm });
    expect(page.rows).toHaveLength(25);
    expect(page.rows.every((r) => r.customerName === "Northwind Traders")).toBe(true);
    expect(page.nextCursor).not.toBeNull();
    const next = await getActivityPage({
      ctx: TENANT,
      params: { range, q: "northwind", size: 25, cursor: page.nextCursor },
      db: orm,
    });
    expect(at(next.rows, 0, "the next page's first row").occurredAt.getTime()).toBeLessThanOrEqual(
      at(page.rows, 24, "the first page's last row").occurredAt.getTime(),
    );
  });

  it("finds a rare name by index probes, under row-level security", async () => {
    const plan = await withTenant(
      TENANT,
      async (tx) => {
        const filters = await withResolvedSearch(tx, TENANT, { range, q: "skoda", includeLogAccess: false });
        const query = pageRowsQuery(tx, TENANT, filters, null, false, 26);
        const rows = (await tx.execute(
          sql`explain (analyze, format json) ${(query as unknown as { getSQL(): SQL }).getSQL()}`,
        )) as unknown as { "QUERY PLAN": [{ Plan: PlanNode }] }[];
        return at(rows, 0, "the query plan")["QUERY PLAN"][0].Plan;
      },
      orm,
    );
    const all = nodes(plan);
    const names = all.map((n) => n["Index Name"] ?? "").join(" ");
    expect(names).toMatch(/customer_key/);
    // The folded names are literals in the plan's index condition, not a filter.
    expect(JSON.stringify(plan)).toMatch(/"Index Cond":"[^"]*customer_key = ANY/);
    // No scan of the log walks its records to filter them: every row read is a match or a name.
    // (Empty partitions may plan a sequential scan that never runs.)
    const seqScans = all.filter((n) => /Seq Scan/.test(n["Node Type"]) && (n["Actual Loops"] ?? 0) > 0);
    expect(seqScans.map((n) => n["Relation Name"])).toEqual([]);
    const removed = all.reduce((sum, n) => sum + (n["Rows Removed by Filter"] ?? 0), 0);
    expect(removed).toBeLessThan(100);
  });
});
