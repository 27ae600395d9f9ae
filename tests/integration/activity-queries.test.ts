import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import {
  buildActivityWhere,
  countActivity,
  countNewerThan,
  getActivityDetails,
  getActivityPage,
  type ActivityListRow,
  type ActivityPage,
} from "@/db/queries/activity-records";
import { getCustomer, getCustomerSubscriptions, listOperationTypes, listPartnerUsers } from "@/db/queries/customers";
import * as schema from "@/db/schema";
import { parseActivityLogParams, type ActivityLogParams, type SearchParamsInput } from "@/lib/activity-log-params";
import { decodeCursor } from "@/lib/cursor";
import { AppError } from "@/lib/errors";
import { required } from "../support/present";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import type { Cloud, OperationStatus } from "@/lib/domain";

/*
 * Fixtures are written by hand as the superuser, so every expectation below is computed from the
 * same array in plain JS: the database has to agree with a simple filter-and-sort.
 */

const A = { tenantId: "0a000000-0000-4000-8000-00000000000a", cloud: "commercial" as Cloud };
const B = { tenantId: "0b000000-0000-4000-8000-00000000000b", cloud: "commercial" as Cloud };
const C = { tenantId: "0c000000-0000-4000-8000-00000000000c", cloud: "usgov" as Cloud };
const A_WRONG_CLOUD = { tenantId: A.tenantId, cloud: "usgov" as Cloud };

const CUSTOMERS = [
  { id: "c0000000-0000-4000-8000-000000000001", name: "Contoso Ltd" },
  { id: "c0000000-0000-4000-8000-000000000002", name: "Fabrikam 50% Off" },
  { id: "c0000000-0000-4000-8000-000000000003", name: "Fabrikam 500 Off" },
  { id: "c0000000-0000-4000-8000-000000000004", name: "Northwind_Traders" },
  { id: "c0000000-0000-4000-8000-000000000005", name: "NorthwindXTraders" },
  { id: "c0000000-0000-4000-8000-000000000006", name: "한국전자 주식회사" },
  { id: "c0000000-0000-4000-8000-000000000007", name: "Back\\slash Inc" },
] as const;
const ACTIONS = ["create_order", "update_subscription", "add_customer"];
const USERS = ["ana@a.example", "Ben@a.example"];

interface Fixture {
  id: number;
  tenantId: string;
  cloud: Cloud;
  occurredAt: Date;
  customerId: string | null;
  customerName: string | null;
  operationType: string;
  operationStatus: OperationStatus;
  userPrincipalName: string;
}

const records: Fixture[] = [];
function add(tenant: { tenantId: string; cloud: Cloud }, id: number, occurredAt: string | Date, i = id) {
  const customer = i % 11 === 10 ? null : CUSTOMERS[i % CUSTOMERS.length];
  const record: Fixture = {
    id,
    ...tenant,
    occurredAt: new Date(occurredAt),
    customerId: customer?.id ?? null,
    customerName: customer?.name ?? null,
    operationType: required(ACTIONS[i % ACTIONS.length], "a fixture action"),
    operationStatus: i % 5 === 0 ? "failed" : i % 7 === 0 ? "progress" : "succeeded",
    userPrincipalName: required(USERS[i % USERS.length], "a fixture user"),
  };
  records.push(record);
  return record;
}

// Paging window, 2026-01-01 .. 2026-01-07 UTC: 60 records of A, ids deliberately not in time
// order, with a group of six sharing one instant (ties broken by id) and a pair sharing another.
const PAGING = { from: "2026-01-01", to: "2026-01-07" };
const pagingStart = Date.parse("2026-01-01T00:00:00Z");
for (let i = 0; i < 60; i++) {
  const id = 1000 + ((i * 37) % 60); // a permutation of 1000..1059
  let at = pagingStart + i * 2 * 3_600_000 + 123;
  if (i >= 20 && i < 26) at = pagingStart + 20 * 2 * 3_600_000 + 123;
  if (i === 40 || i === 41) at = pagingStart + 40 * 2 * 3_600_000 + 456;
  add(A, id, new Date(at), i);
}
// The other tenants have records in the same window, even at the same instants.
for (let i = 0; i < 15; i++) {
  add(B, 2000 + i, new Date(pagingStart + i * 5 * 3_600_000 + 123), i);
  add(C, 3000 + i, new Date(pagingStart + i * 5 * 3_600_000 + 123), i);
}
const B_RECORD = 2003;
const C_RECORD = 3003;

// Seoul window (UTC+9): "From" 2026-01-10 and "To" 2026-01-12 are [01-09T15:00Z, 01-12T15:00Z).
const SEOUL = { from: "2026-01-10", to: "2026-01-12", tz: "Asia/Seoul" };
const seoul = {
  atStart: add(A, 5001, "2026-01-09T15:00:00.000Z"), // 00:00 on From: in
  beforeStart: add(A, 5002, "2026-01-09T14:59:59.999Z"), // 23:59:59.999 the day before: out
  lastMoment: add(A, 5003, "2026-01-12T14:59:59.999Z"), // 23:59:59.999 on To: in
  nextDay: add(A, 5004, "2026-01-12T15:00:00.000Z"), // 00:00 the day after: out
  middle: add(A, 5005, "2026-01-11T03:00:00.000Z"),
};

// New York falls back on 2026-11-01, a 25-hour day: [04:00Z, 2026-11-02T05:00Z).
const NEW_YORK = { from: "2026-11-01", to: "2026-11-01", tz: "America/New_York" };
const newYork = {
  atStart: add(A, 6001, "2026-11-01T04:00:00.000Z"), // 00:00 EDT: in
  beforeStart: add(A, 6002, "2026-11-01T03:59:59.999Z"), // out
  lateEvening: add(A, 6003, "2026-11-02T04:30:00.000Z"), // 23:30 EST, past a naive 24 hours: in
  lastMoment: add(A, 6004, "2026-11-02T04:59:59.999Z"), // 23:59:59.999 EST: in
  nextDay: add(A, 6005, "2026-11-02T05:00:00.000Z"), // 00:00 on Nov 2: out
};

// Older than a year before NOW: its operation type must not be offered by the action filter.
const NOW = new Date("2026-01-20T12:00:00Z");
const ancient = add(A, 7001, "2024-12-01T00:00:00Z");
ancient.operationType = "ancient_operation";
const bOnly = add(B, 7002, "2026-01-05T00:00:00Z");
bOnly.operationType = "b_only_operation";

const byNewest = (a: { occurredAt: Date; id: number }, b: { occurredAt: Date; id: number }) =>
  b.occurredAt.getTime() - a.occurredAt.getTime() || b.id - a.id;

function params(input: SearchParamsInput, now = NOW): ActivityLogParams {
  const result = parseActivityLogParams(input, { now });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

/** The ids the database should return for a tenant and parsed params, newest first. */
function expected(
  tenant: { tenantId: string; cloud: Cloud },
  p: ActivityLogParams,
  extra: (r: Fixture) => boolean = () => true,
) {
  return records
    .filter(
      (r) =>
        r.tenantId === tenant.tenantId &&
        r.cloud === tenant.cloud &&
        r.occurredAt >= p.range.start &&
        r.occurredAt < p.range.end &&
        extra(r),
    )
    .sort(byNewest)
    .map((r) => r.id);
}

describe("activity queries", () => {
  let testDb: TestDatabase;
  let client: postgres.Sql;
  let db: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    const { admin } = testDb;
    await admin`select ensure_activity_partitions('2024-12-01T00:00:00Z', '2026-12-01T00:00:00Z')`;
    await admin`insert into partner_tenants ${admin([
      { id: A.tenantId, cloud: A.cloud, name: "Tenant A" },
      { id: B.tenantId, cloud: B.cloud, name: "Tenant B" },
      { id: C.tenantId, cloud: C.cloud, name: "Tenant C" },
    ])}`;
    await admin`insert into partner_users ${admin([
      {
        id: "00000000-0000-4000-8000-0000000000a1",
        tenant_id: A.tenantId,
        user_principal_name: "ana@a.example",
        display_name: "Ana",
        role: "global_admin",
      },
      {
        id: "00000000-0000-4000-8000-0000000000a2",
        tenant_id: A.tenantId,
        user_principal_name: "Ben@a.example",
        display_name: "Ben",
        role: "sales_agent",
      },
      {
        id: "00000000-0000-4000-8000-0000000000b1",
        tenant_id: B.tenantId,
        user_principal_name: "bo@b.example",
        display_name: "Bo",
        role: "global_admin",
      },
    ])}`;
    await admin`insert into customers ${admin(CUSTOMERS.map((c) => ({ id: c.id, tenant_id: A.tenantId, company_name: c.name, domain: "a.example" })))}`;
    await admin`insert into customers ${admin({ id: "cb000000-0000-4000-8000-000000000001", tenant_id: B.tenantId, company_name: "B's customer", domain: "b.example" })}`;
    await admin`insert into subscriptions ${admin([
      {
        id: "50000000-0000-4000-8000-000000000001",
        customer_id: CUSTOMERS[0].id,
        tenant_id: A.tenantId,
        offer_name: "Old",
        quantity: 1,
        status: "active",
        billing_cycle: "monthly",
        created_at: new Date("2025-01-01T00:00:00Z"),
      },
      {
        id: "50000000-0000-4000-8000-000000000002",
        customer_id: CUSTOMERS[0].id,
        tenant_id: A.tenantId,
        offer_name: "New",
        quantity: 5,
        status: "active",
        billing_cycle: "annual",
        created_at: new Date("2025-06-01T00:00:00Z"),
      },
      {
        id: "50000000-0000-4000-8000-000000000003",
        customer_id: CUSTOMERS[1].id,
        tenant_id: A.tenantId,
        offer_name: "Other",
        quantity: 2,
        status: "active",
        billing_cycle: "annual",
        created_at: new Date("2025-03-01T00:00:00Z"),
      },
    ])}`;
    await admin`insert into activity_records ${admin(
      records.map((r) => ({
        id: r.id,
        tenant_id: r.tenantId,
        cloud: r.cloud,
        occurred_at: r.occurredAt,
        customer_id: r.customerId,
        customer_name: r.customerName,
        operation_type: r.operationType,
        resource_type: "order",
        operation_status: r.operationStatus,
        user_principal_name: r.userPrincipalName,
        application_id: "Partner Center Web",
        correlation_id: `00000000-0000-4000-8000-${String(r.id).padStart(12, "0")}`,
      })),
    )}`;
    await admin`insert into activity_record_details ${admin(
      records.map((r) => ({
        tenant_id: r.tenantId,
        occurred_at: r.occurredAt,
        record_id: r.id,
        resource_old_value: null,
        resource_new_value: admin.json({ lineItems: [{ offer: "Seat", quantity: r.id }] }),
        customized_data: admin.json({ tenant: r.tenantId }),
      })),
    )}`;
    client = postgres(testDb.url, { max: 3, onnotice: () => {} });
    db = drizzle(client, { schema });
  });

  afterAll(async () => {
    await client?.end({ timeout: 5 });
    await testDb?.drop();
  });

  /** Every page forward from the first, then every page back from the last. */
  async function walk(tenant: typeof A, p: ActivityLogParams, size: number) {
    const forward: ActivityPage[] = [];
    let page = await getActivityPage({ ctx: tenant, params: { ...p, size }, db });
    forward.push(page);
    while (page.nextCursor) {
      page = await getActivityPage({ ctx: tenant, params: { ...p, size, cursor: page.nextCursor, dir: "next" }, db });
      forward.push(page);
      expect(forward.length).toBeLessThan(200);
    }
    const backward: ActivityPage[] = [page];
    while (page.prevCursor) {
      page = await getActivityPage({ ctx: tenant, params: { ...p, size, cursor: page.prevCursor, dir: "prev" }, db });
      backward.unshift(page);
      expect(backward.length).toBeLessThan(200);
    }
    return { forward, backward };
  }

  const ids = (rows: ActivityListRow[]) => rows.map((r) => r.id);

  describe("where a page is", () => {
    it.each([1, 7, 25])(
      "counts the rows newer than each page's first row, by filter and with ties (size %i)",
      async (size) => {
        for (const input of [PAGING, { ...PAGING, status: "failed" }, { ...PAGING, customer: "Fabrikam" }]) {
          const p = params(input);
          const { forward } = await walk(A, p, size);
          let seen = 0;
          for (const page of forward) {
            if (page.rows.length === 0) continue;
            const first = required(page.rows[0], "the page's first row");
            expect(await countNewerThan({ ctx: A, params: p, row: first, db })).toEqual({
              count: seen,
              capped: false,
            });
            seen += page.rows.length;
          }
          expect(await countActivity({ ctx: A, params: p, db })).toEqual({ count: seen, capped: false });
          expect(seen).toBeGreaterThan(0);
        }
      },
    );

    it("caps the position like the total, and stays within the tenant and the range", async () => {
      const p = params(PAGING);
      const oldest = required(
        records.find((r) => r.id === expected(A, p).at(-1)),
        "the oldest fixture of the paging days",
      );
      expect(await countNewerThan({ ctx: A, params: p, row: oldest, cap: 10, db })).toEqual({
        count: 10,
        capped: true,
      });
      expect(await countNewerThan({ ctx: A, params: p, row: oldest, cap: 59, db })).toEqual({
        count: 59,
        capped: false,
      });
      // B has records at the same instants: none of them count for A.
      expect(await countNewerThan({ ctx: B, params: p, row: oldest, db })).toEqual({
        count: expected(B, p).length,
        capped: false,
      });
    });

    it("reads the oldest page from the range's start, newest first, and pages newer from it", async () => {
      for (const size of [1, 7, 25]) {
        const p = params({ ...PAGING, dir: "oldest" });
        const want = expected(A, p);
        const oldest = await getActivityPage({ ctx: A, params: { ...p, size }, db });
        expect(ids(oldest.rows)).toEqual(want.slice(-size));
        expect(oldest.nextCursor).toBeNull();
        expect(oldest.prevCursor).not.toBeNull();
        // Newer from the oldest page, then Older back: the same boundaries as walking from the top.
        const newer = await getActivityPage({
          ctx: A,
          params: { ...p, size, cursor: oldest.prevCursor, dir: "prev" },
          db,
        });
        expect(ids(newer.rows)).toEqual(want.slice(-2 * size, -size));
        const back = await getActivityPage({
          ctx: A,
          params: { ...p, size, cursor: newer.nextCursor, dir: "next" },
          db,
        });
        expect(ids(back.rows)).toEqual(ids(oldest.rows));
        expect(back.nextCursor).toBeNull();
      }
      // A range with fewer rows than a page: the oldest page is the whole range, with no links.
      const all = await getActivityPage({ ctx: A, params: { ...params({ ...PAGING, dir: "oldest" }), size: 100 }, db });
      expect(ids(all.rows)).toEqual(expected(A, params(PAGING)));
      expect([all.prevCursor, all.nextCursor]).toEqual([null, null]);
    });

    it("jumps to the last record at or before the end of a day in the zone", async () => {
      const p = params({ ...SEOUL, at: "2026-01-11" });
      const page = await getActivityPage({ ctx: A, params: { ...p, size: 25 }, db });
      const dayEnd = Date.parse("2026-01-11T15:00:00Z");
      expect(ids(page.rows)).toEqual(expected(A, p, (r) => r.occurredAt.getTime() < dayEnd));
      expect(required(page.rows[0], "the page's first row").id).toBe(seoul.middle.id);
      // The last day of the range holds a newer record: the page says there is one.
      expect(page.prevCursor).not.toBeNull();
    });
  });

  describe("keyset paging", () => {
    it.each([1, 2, 3, 7, 25, 100])("walks forward then back through every row exactly once (size %i)", async (size) => {
      const p = params(PAGING);
      const want = expected(A, p);
      expect(want).toHaveLength(60);
      const { forward, backward } = await walk(A, p, size);

      expect(forward.flatMap((pg) => ids(pg.rows))).toEqual(want);
      expect(backward.flatMap((pg) => ids(pg.rows))).toEqual(want);
      // Same page boundaries both ways, full pages but the last, and null cursors only at the ends.
      expect(backward.map((pg) => ids(pg.rows))).toEqual(forward.map((pg) => ids(pg.rows)));
      expect(forward.slice(0, -1).every((pg) => pg.rows.length === size)).toBe(true);
      expect(required(forward[0], "the first page").prevCursor).toBeNull();
      expect(required(forward.at(-1), "the last page").nextCursor).toBeNull();
      expect(forward.slice(1).every((pg) => pg.prevCursor !== null)).toBe(true);
      expect(forward.slice(0, -1).every((pg) => pg.nextCursor !== null)).toBe(true);
    });

    it("breaks ties on the same instant by id, across a page boundary", async () => {
      const p = params(PAGING);
      const tied = records.filter(
        (r) => r.tenantId === A.tenantId && r.occurredAt.getTime() === pagingStart + 40 * 3_600_000 + 123,
      );
      expect(tied).toHaveLength(6);
      const { forward } = await walk(A, p, 4);
      const all = forward.flatMap((pg) => pg.rows);
      const tiedRows = all.filter((r) => tied.some((t) => t.id === r.id));
      expect(ids(tiedRows)).toEqual(tied.map((t) => t.id).sort((a, b) => b - a));
      // The group really straddles pages: some page ends inside it.
      const boundaries = forward.slice(0, -1).map((pg) => required(pg.rows.at(-1), "the last row of a full page").id);
      expect(boundaries.some((id) => tied.some((t) => t.id === id) && id !== Math.min(...tied.map((t) => t.id)))).toBe(
        true,
      );
    });

    it("returns the list columns only, with exact millisecond timestamps", async () => {
      const { rows } = await getActivityPage({ ctx: A, params: { ...params(PAGING), size: 1 }, db });
      const row = required(rows[0], "the page's row");
      expect(Object.keys(row).sort()).toEqual(
        [
          "applicationId",
          "correlationId",
          "customerId",
          "customerName",
          "id",
          "occurredAt",
          "operationStatus",
          "operationType",
          "resourceType",
          "userPrincipalName",
        ].sort(),
      );
      const fixture = required(
        records.find((r) => r.id === row.id),
        `the fixture of row ${row.id}`,
      );
      expect(row.occurredAt).toEqual(fixture.occurredAt);
      expect(row.occurredAt.getUTCMilliseconds()).toBe(123);
    });

    it("positions a cursor from another tenant within the caller's own rows only", async () => {
      const other = await getActivityPage({ ctx: B, params: { ...params(PAGING), size: 3 }, db });
      expect(other.nextCursor).not.toBeNull();
      const position = required(
        decodeCursor(required(other.nextCursor, "B's next cursor")),
        "B's next cursor, decoded",
      );
      const page = await getActivityPage({
        ctx: A,
        params: { ...params(PAGING), size: 100, cursor: other.nextCursor, dir: "next" },
        db,
      });
      const want = records
        .filter((r) => r.tenantId === A.tenantId && r.id < 5000 && byNewest(r, position) > 0)
        .sort(byNewest)
        .map((r) => r.id);
      expect(ids(page.rows)).toEqual(want);
    });

    it("gives an empty first page with no cursors when nothing matches", async () => {
      const page = await getActivityPage({
        ctx: A,
        params: { ...params({ ...PAGING, action: "no_such_action" }), size: 25 },
        db,
      });
      expect(page).toEqual({ rows: [], nextCursor: null, prevCursor: null });
    });

    it("past either end: an empty page that links back the way rows remain", async () => {
      const p = params(PAGING);
      const want = expected(A, p);
      const at = (id: number) => {
        const r = required(
          records.find((x) => x.id === id),
          `the fixture with id ${id}`,
        );
        return { occurredAt: r.occurredAt, id: r.id };
      };
      const pastOldest = await getActivityPage({
        ctx: A,
        params: { ...p, size: 10, cursor: at(required(want.at(-1), "the oldest id")), dir: "next" },
        db,
      });
      expect(pastOldest.rows).toEqual([]);
      expect(pastOldest.nextCursor).toBeNull();
      expect(pastOldest.prevCursor).not.toBeNull();
      const back = await getActivityPage({
        ctx: A,
        params: { ...p, size: 10, cursor: pastOldest.prevCursor, dir: "prev" },
        db,
      });
      expect(ids(back.rows)).toEqual(want.slice(-11, -1));

      const pastNewest = await getActivityPage({
        ctx: A,
        params: { ...p, size: 10, cursor: at(required(want[0], "the newest id")), dir: "prev" },
        db,
      });
      expect(pastNewest.rows).toEqual([]);
      expect(pastNewest.prevCursor).toBeNull();
      expect(pastNewest.nextCursor).not.toBeNull();
    });

    it.each([
      ["the paging days", PAGING],
      // Seoul's range has rows at its first instant, its last millisecond and just past its end.
      ["Seoul's days, rows on the edges", SEOUL],
    ])("keeps to the range with a cursor on, inside or beyond either of its edges (%s)", async (_, input) => {
      // The cursor's bound replaces the range's bound on its side only when tighter (see
      // occurredBounds): every position below must give exactly the rows both allow.
      const p = params(input);
      const inRange = records.filter(
        (r) => r.tenantId === A.tenantId && r.occurredAt >= p.range.start && r.occurredAt < p.range.end,
      );
      const { start, end } = { start: p.range.start.getTime(), end: p.range.end.getTime() };
      const someRow = required(inRange[Math.floor(inRange.length / 2)], "a row in the middle of the range");
      expect(records.some((r) => r.tenantId === A.tenantId && r.occurredAt.getTime() < start)).toBe(true);
      expect(records.some((r) => r.tenantId === A.tenantId && r.occurredAt.getTime() >= end)).toBe(true);
      const positions = [
        // Far enough out that A has rows between the cursor and the range on both sides.
        { occurredAt: new Date(start - 500 * 86_400_000), id: 1 },
        { occurredAt: new Date(start - 1), id: 1 },
        { occurredAt: new Date(start - 1), id: 9_999_999 },
        { occurredAt: new Date(start), id: 1 },
        { occurredAt: new Date(start), id: 9_999_999 },
        { occurredAt: someRow.occurredAt, id: someRow.id },
        { occurredAt: new Date(end - 1), id: 1 },
        { occurredAt: new Date(end - 1), id: 9_999_999 },
        { occurredAt: new Date(end), id: 1 },
        { occurredAt: new Date(end), id: 9_999_999 },
        { occurredAt: new Date(end + 300 * 86_400_000), id: 1 },
      ];
      for (const cursor of positions) {
        for (const dir of ["next", "prev"] as const) {
          const page = await getActivityPage({ ctx: A, params: { ...p, size: 100, cursor, dir }, db });
          const older = (r: Fixture) => byNewest(r, cursor) > 0;
          const newer = (r: Fixture) => byNewest(r, cursor) < 0;
          const want = inRange
            .filter(dir === "next" ? older : newer)
            .sort(byNewest)
            .map((r) => r.id);
          const where = `${dir} from ${cursor.occurredAt.toISOString()}/${cursor.id}`;
          expect(ids(page.rows), where).toEqual(want);
          // The way back: with rows, anything at or beyond the cursor on the side we came from;
          // on an empty page, anything strictly beyond it.
          const behind =
            want.length > 0
              ? inRange.some((r) => (dir === "next" ? !older(r) : !newer(r)))
              : inRange.some((r) => (dir === "next" ? newer(r) : older(r)));
          expect(dir === "next" ? page.prevCursor !== null : page.nextCursor !== null, where).toBe(behind);
        }
      }
    });

    it("rejects a malformed cursor string as a bad request", async () => {
      await expect(
        getActivityPage({ ctx: A, params: { ...params(PAGING), size: 25, cursor: "garbage!" }, db }),
      ).rejects.toMatchObject({ code: "bad_request" });
    });
  });

  describe("time range", () => {
    it("includes 00:00 on From and 23:59:59.999 on To in Seoul, and nothing outside", async () => {
      const p = params(SEOUL);
      expect(p.range.start.toISOString()).toBe("2026-01-09T15:00:00.000Z");
      const { rows } = await getActivityPage({ ctx: A, params: p, db });
      expect(ids(rows)).toEqual([seoul.lastMoment.id, seoul.middle.id, seoul.atStart.id]);
    });

    it("covers all 25 hours of the day New York falls back", async () => {
      const p = params(NEW_YORK, new Date("2026-11-20T12:00:00Z"));
      const { rows } = await getActivityPage({ ctx: A, params: p, db });
      expect(ids(rows)).toEqual([newYork.lastMoment.id, newYork.lateEvening.id, newYork.atStart.id]);
    });
  });

  describe("filters", () => {
    const base = params(PAGING);
    const cases: Array<[string, SearchParamsInput, (r: Fixture) => boolean]> = [
      ["customer, case-insensitive substring", { customer: "contoso" }, (r) => r.customerName === "Contoso Ltd"],
      ["customer containing %", { customer: "50%" }, (r) => r.customerName === "Fabrikam 50% Off"],
      ["customer containing _", { customer: "d_T" }, (r) => r.customerName === "Northwind_Traders"],
      ["customer containing \\", { customer: "k\\s" }, (r) => r.customerName === "Back\\slash Inc"],
      ["customer in Korean", { customer: "한국" }, (r) => r.customerName === "한국전자 주식회사"],
      ["action", { action: "update_subscription" }, (r) => r.operationType === "update_subscription"],
      ["user, any case", { user: "BEN@A.EXAMPLE" }, (r) => r.userPrincipalName === "Ben@a.example"],
      ["status", { status: "failed" }, (r) => r.operationStatus === "failed"],
      ["status progress", { status: "progress" }, (r) => r.operationStatus === "progress"],
      [
        "several statuses",
        { status: ["failed", "progress"] },
        (r) => r.operationStatus === "failed" || r.operationStatus === "progress",
      ],
      [
        "several actions",
        { action: ["create_order", "add_customer"] },
        (r) => r.operationType === "create_order" || r.operationType === "add_customer",
      ],
      [
        "actions excluded",
        { action: ["create_order"], actionMode: "exclude" },
        (r) => r.operationType !== "create_order",
      ],
      [
        "several users, any case",
        { user: ["ANA@a.example", "ben@A.example"] },
        (r) => USERS.includes(r.userPrincipalName),
      ],
      [
        "several of each, combined",
        {
          status: ["failed", "succeeded"],
          action: ["update_subscription"],
          actionMode: "exclude",
          user: ["ben@a.example"],
        },
        (r) =>
          r.operationStatus !== "progress" &&
          r.operationType !== "update_subscription" &&
          r.userPrincipalName === "Ben@a.example",
      ],
      [
        "all combined",
        { customer: "fabrikam", action: "create_order", user: "ana@a.example", status: "succeeded" },
        (r) =>
          (r.customerName ?? "").toLowerCase().includes("fabrikam") &&
          r.operationType === "create_order" &&
          r.userPrincipalName === "ana@a.example" &&
          r.operationStatus === "succeeded",
      ],
    ];

    it.each(cases)("%s", async (_label, filter, predicate) => {
      const p = params({ ...PAGING, ...filter });
      const want = expected(A, p, predicate);
      expect(want.length).toBeGreaterThan(0);
      const { rows } = await getActivityPage({ ctx: A, params: { ...p, size: 100 }, db });
      expect(ids(rows)).toEqual(want);
      expect(await countActivity({ ctx: A, params: p, db })).toEqual({ count: want.length, capped: false });
    });

    it("is one pure SQL condition scoped to the tenant and cloud", () => {
      const query = db
        .select()
        .from(schema.activityRecords)
        .where(buildActivityWhere(A, { ...base, customer: "50%" }))
        .toSQL();
      expect(query.sql).toMatch(/"tenant_id" = \$1 and "activity_records"."cloud" = \$2/);
      expect(query.params).toEqual([
        A.tenantId,
        A.cloud,
        base.range.start.toISOString(),
        base.range.end.toISOString(),
        "%50\\%%",
      ]);
    });
  });

  describe("count", () => {
    it("counts exactly up to the cap and says 'more' beyond it", async () => {
      const p = params(PAGING);
      expect(await countActivity({ ctx: A, params: p, cap: 5, db })).toEqual({ count: 5, capped: true });
      expect(await countActivity({ ctx: A, params: p, cap: 59, db })).toEqual({ count: 59, capped: true });
      expect(await countActivity({ ctx: A, params: p, cap: 60, db })).toEqual({ count: 60, capped: false });
      expect(await countActivity({ ctx: A, params: p, db })).toEqual({ count: 60, capped: false });
    });
  });

  describe("tenant and cloud scoping", () => {
    it("never shows another tenant's records, in the same cloud or the other", async () => {
      const p = params(PAGING);
      const a = await getActivityPage({ ctx: A, params: { ...p, size: 100 }, db });
      const b = await getActivityPage({ ctx: B, params: { ...p, size: 100 }, db });
      const c = await getActivityPage({ ctx: C, params: { ...p, size: 100 }, db });
      expect(ids(a.rows)).toEqual(expected(A, p));
      expect(ids(b.rows)).toEqual(expected(B, p));
      expect(ids(c.rows)).toEqual(expected(C, p));
      expect(ids(b.rows).every((id) => (id >= 2000 && id < 3000) || id === bOnly.id)).toBe(true);
      expect(ids(c.rows).every((id) => id >= 3000 && id < 4000)).toBe(true);
      expect(await countActivity({ ctx: B, params: p, db })).toEqual({ count: 16, capped: false });
    });

    it("shows nothing to a context whose cloud is not its tenant's", async () => {
      const p = params(PAGING);
      expect(await getActivityPage({ ctx: A_WRONG_CLOUD, params: p, db })).toEqual({
        rows: [],
        nextCursor: null,
        prevCursor: null,
      });
      expect(await countActivity({ ctx: A_WRONG_CLOUD, params: p, db })).toEqual({ count: 0, capped: false });
      expect(await getActivityDetails({ ctx: A_WRONG_CLOUD, id: 1000, db })).toBeNull();
      expect(await getCustomer({ ctx: A_WRONG_CLOUD, customerId: CUSTOMERS[0].id, db })).toBeNull();
      expect(await getCustomerSubscriptions({ ctx: A_WRONG_CLOUD, customerId: CUSTOMERS[0].id, db })).toEqual([]);
      expect(await listPartnerUsers({ ctx: A_WRONG_CLOUD, db })).toEqual([]);
      expect(await listOperationTypes({ ctx: A_WRONG_CLOUD, now: NOW, db })).toEqual([]);
    });
  });

  describe("details", () => {
    it("returns a record of the tenant with its large part", async () => {
      const fixture = required(
        records.find((r) => r.id === 1005),
        "the fixture with id 1005",
      );
      const row = await getActivityDetails({ ctx: A, id: 1005, db });
      expect(row).toMatchObject({
        id: 1005,
        occurredAt: fixture.occurredAt,
        customerName: fixture.customerName,
        operationType: fixture.operationType,
        resourceOldValue: null,
        resourceNewValue: { lineItems: [{ offer: "Seat", quantity: 1005 }] },
        customizedData: { tenant: A.tenantId },
      });
      expect(await getActivityDetails({ ctx: A, id: "1005", occurredAt: fixture.occurredAt, db })).toEqual(row);
      expect(
        await getActivityDetails({ ctx: A, id: 1005, occurredAt: new Date(fixture.occurredAt.getTime() + 1), db }),
      ).toBeNull();
    });

    it("returns null for another tenant's record id, in either cloud", async () => {
      expect(await getActivityDetails({ ctx: A, id: B_RECORD, db })).toBeNull();
      expect(await getActivityDetails({ ctx: A, id: C_RECORD, db })).toBeNull();
      expect(await getActivityDetails({ ctx: B, id: 1005, db })).toBeNull();
      expect(await getActivityDetails({ ctx: B, id: B_RECORD, db })).toMatchObject({
        id: B_RECORD,
        customizedData: { tenant: B.tenantId },
      });
      expect(await getActivityDetails({ ctx: A, id: 999_999, db })).toBeNull();
    });

    it.each<[string, number | string]>([
      ["zero", 0],
      ["negative", -1],
      ["fractional", 1.5],
      ["unsafe", 2 ** 53],
      ["NaN", Number.NaN],
      ["text", "abc"],
      ["padded text", " 12"],
      ["exponent text", "1e3"],
    ])("rejects a %s id as a bad request before querying", async (_label, id) => {
      const error = await getActivityDetails({ ctx: A, id, db }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: "bad_request", status: 400 });
    });
  });

  describe("customers and filter choices", () => {
    it("finds the tenant's customer, and nothing for a foreign or malformed id", async () => {
      expect(await getCustomer({ ctx: A, customerId: CUSTOMERS[5].id, db })).toMatchObject({
        companyName: "한국전자 주식회사",
        tenantId: A.tenantId,
      });
      expect(await getCustomer({ ctx: A, customerId: CUSTOMERS[5].id.toUpperCase(), db })).toMatchObject({
        id: CUSTOMERS[5].id,
      });
      expect(await getCustomer({ ctx: A, customerId: "cb000000-0000-4000-8000-000000000001", db })).toBeNull();
      expect(await getCustomer({ ctx: B, customerId: CUSTOMERS[0].id, db })).toBeNull();
      expect(await getCustomer({ ctx: A, customerId: "not-a-uuid", db })).toBeNull();
      expect(await getCustomer({ ctx: A, customerId: "'; drop table customers; --", db })).toBeNull();
    });

    it("lists subscriptions newest first", async () => {
      const subs = await getCustomerSubscriptions({ ctx: A, customerId: CUSTOMERS[0].id, db });
      expect(subs.map((s) => s.offerName)).toEqual(["New", "Old"]);
      expect(await getCustomerSubscriptions({ ctx: B, customerId: CUSTOMERS[0].id, db })).toEqual([]);
      expect(await getCustomerSubscriptions({ ctx: A, customerId: "x", db })).toEqual([]);
    });

    it("lists the tenant's partner users", async () => {
      expect(await listPartnerUsers({ ctx: A, db })).toEqual([
        { userPrincipalName: "ana@a.example", displayName: "Ana" },
        { userPrincipalName: "Ben@a.example", displayName: "Ben" },
      ]);
      expect(await listPartnerUsers({ ctx: C, db })).toEqual([]);
    });

    it("lists the operation types of the tenant's last year, distinct and sorted", async () => {
      expect(await listOperationTypes({ ctx: A, now: NOW, db })).toEqual([...ACTIONS].sort());
      expect(await listOperationTypes({ ctx: B, now: NOW, db })).toEqual([...ACTIONS, "b_only_operation"].sort());
      // A year later only the November records are within reach.
      expect(await listOperationTypes({ ctx: A, now: new Date("2027-10-01T00:00:00Z"), db })).toEqual(
        [...new Set(Object.values(newYork).map((r) => r.operationType))].sort(),
      );
    });
  });
});
