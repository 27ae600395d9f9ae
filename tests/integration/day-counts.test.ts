import { LOG_ACCESS_ACTIONS } from "@/lib/activity-log-params";
import { randomUUID } from "node:crypto";
import { drizzle } from "drizzle-orm/postgres-js";
import fc from "fast-check";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/activity-records/route";
import { closeDb } from "@/db/client";
import { writeActivity } from "@/db/mutations/activity";
import { applyRetention } from "@/db/partitions";
import { countActivity, wholeDaysOf } from "@/db/queries/activity-records";
import * as schema from "@/db/schema";
import { generateActivity } from "@/db/seed/activity-generator";
import { DEMO_API_KEYS, DEMO_TENANTS } from "@/db/seed/demo-data";
import { seedDemo } from "@/db/seed/seed-demo";
import { APP_ROLE, withTenant } from "@/db/with-tenant";
import { resetIngestRateLimiter } from "@/lib/ingest/rate-limit";
import { addTenants } from "../support/fixtures";
import { firstRow, required } from "../support/present";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

/*
 * The per-day counts behind the page's "10,000+" (migration 0006). They may only ever spare the
 * page work: they must equal the log after every way records arrive or leave, stay inside their
 * tenant and cloud, and the count built on them must agree with counting the log itself.
 */

const contoso = required(DEMO_TENANTS[0], "the Contoso demo tenant");
const fabrikam = required(DEMO_TENANTS[1], "the Fabrikam demo tenant");
const tailspin = required(DEMO_TENANTS[2], "the Tailspin demo tenant");
const TENANT = { tenantId: "d0d0d0d0-0000-4000-8000-000000000001", cloud: "commercial" as const };
const WINDOW = { from: new Date("2026-03-01T00:00:00Z"), to: new Date("2026-03-11T00:00:00Z") };

type Counts = Record<string, number>;

/** Generated records of TENANT between two instants (ensure the months' partitions first). */
const history = (sql: postgres.Sql, count: number, from: string, to: string, seed: number, chunkSize?: number) =>
  generateActivity(sql, {
    ...TENANT,
    count,
    from: new Date(from),
    to: new Date(to),
    seed,
    chunkSize,
    customers: [{ id: "d0d0d0d0-1111-4111-8111-000000000001", companyName: "Day Customer", domain: "day.example" }],
    userPrincipalNames: ["admin@day.example", "agent@day.example"],
  });

describe("per-day counts of the log", () => {
  let db: TestDatabase;
  let app: postgres.Sql;
  let orm: ReturnType<typeof drizzle<typeof schema>>;

  /** What the counts should be: the log itself, counted the four ways. */
  const fromLog = async (): Promise<Counts> => {
    const rows = await db.admin<{ key: string; n: number }[]>`
      select concat_ws('|', tenant_id, cloud, coalesce(s, '*'), coalesce(t, '*'), day) as key, count(*)::int as n
      from (select tenant_id, cloud, operation_status as s, operation_type as t, (occurred_at at time zone 'UTC')::date as day
            from activity_records) a
      group by tenant_id, cloud, day, cube (s, t)`;
    return Object.fromEntries(rows.map((r) => [r.key, r.n]));
  };
  /** What the triggers kept (a day whose records all left keeps a zero: not a difference). */
  const stored = async (): Promise<Counts> => {
    const rows = await db.admin<{ key: string; n: number }[]>`
      select concat_ws('|', tenant_id, cloud, coalesce(operation_status, '*'), coalesce(operation_type, '*'), day) as key, records::int as n
      from activity_day_counts where records <> 0`;
    return Object.fromEntries(rows.map((r) => [r.key, r.n]));
  };
  /** The same per partner user (migration 0015): the log counted by lower-case UPN too. */
  const fromLogByUser = async (): Promise<Counts> => {
    const rows = await db.admin<{ key: string; n: number }[]>`
      select concat_ws('|', tenant_id, cloud, u, coalesce(s, '*'), coalesce(t, '*'), day) as key, count(*)::int as n
      from (select tenant_id, cloud, lower(user_principal_name) as u, operation_status as s, operation_type as t,
                   (occurred_at at time zone 'UTC')::date as day
            from activity_records) a
      group by tenant_id, cloud, u, day, cube (s, t)`;
    return Object.fromEntries(rows.map((r) => [r.key, r.n]));
  };
  const storedByUser = async (): Promise<Counts> => {
    const rows = await db.admin<{ key: string; n: number }[]>`
      select concat_ws('|', tenant_id, cloud, user_key, coalesce(operation_status, '*'), coalesce(operation_type, '*'), day) as key,
             records::int as n
      from activity_user_day_counts where records <> 0`;
    return Object.fromEntries(rows.map((r) => [r.key, r.n]));
  };
  /** The customer names per month (migration 0016): the log's folded names counted by UTC month. */
  const fromLogByName = async (): Promise<Counts> => {
    const rows = await db.admin<{ key: string; n: number }[]>`
      select concat_ws('|', tenant_id, cloud, to_char(occurred_at at time zone 'UTC', 'YYYY-MM'), customer_key) as key,
             count(*)::int as n
      from activity_records where customer_key is not null group by 1`;
    return Object.fromEntries(rows.map((r) => [r.key, r.n]));
  };
  const storedByName = async (): Promise<Counts> => {
    const rows = await db.admin<{ key: string; n: number }[]>`
      select concat_ws('|', tenant_id, cloud, to_char(month, 'YYYY-MM'), customer_key) as key, records::int as n
      from activity_customer_name_months where records <> 0`;
    return Object.fromEntries(rows.map((r) => [r.key, r.n]));
  };
  const expectCountsMatchLog = async () => {
    const want = await fromLog();
    expect(Object.keys(want).length).toBeGreaterThan(0);
    expect(await stored()).toEqual(want);
    const wantByUser = await fromLogByUser();
    expect(Object.keys(wantByUser).length).toBeGreaterThan(0);
    expect(await storedByUser()).toEqual(wantByUser);
    const wantByName = await fromLogByName();
    expect(Object.keys(wantByName).length).toBeGreaterThan(0);
    expect(await storedByName()).toEqual(wantByName);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    app = postgres(db.url, { max: 4, onnotice: () => {} });
    orm = drizzle(app, { schema });
    process.env.DATABASE_URL = db.url;
    process.env.INGEST_RATE_PER_SECOND = "1000";
    process.env.INGEST_RATE_BURST = "1000";
    resetIngestRateLimiter();
    // The demo seed: generated history and the portal's own records, in both clouds.
    await seedDemo(db.url, { recordsPerTenant: 300, customersPerTenant: 3 });
    await db.admin`select ensure_activity_partitions(${WINDOW.from.toISOString()}::timestamptz, ${WINDOW.to.toISOString()}::timestamptz)`;
    await addTenants(db.admin, [{ ...TENANT, name: "Day count tenant" }]);
    // Several statements (chunks) over ten days, so days straddle statements.
    await history(db.admin, 1_200, WINDOW.from.toISOString(), WINDOW.to.toISOString(), 5, 350);
  }, 120_000);

  afterAll(async () => {
    delete process.env.INGEST_RATE_PER_SECOND;
    delete process.env.INGEST_RATE_BURST;
    resetIngestRateLimiter();
    await closeDb();
    await app?.end();
    await db?.drop();
  });

  it("equal the log after seeding, generated history in several statements, and the portal's writes", async () => {
    await withTenant(
      { tenantId: contoso.id, cloud: contoso.cloud },
      (tx) =>
        writeActivity(
          tx,
          {
            tenantId: contoso.id,
            cloud: contoso.cloud,
            userId: randomUUID(),
            userPrincipalName: "admin@contoso.example",
            role: "global_admin",
          },
          {
            operationType: "update_subscription",
            resourceType: "subscription",
            operationStatus: "failed",
          },
        ),
      orm,
    );
    await expectCountsMatchLog();
  });

  it("count what the ingestion API stores, across days and statuses, and not its duplicates", async () => {
    const key = required(
      DEMO_API_KEYS.find((k) => k.tenantId === fabrikam.id),
      "Fabrikam's demo API key",
    ).key;
    const records = Array.from({ length: 60 }, (_, i) => ({
      eventId: `day-count-${i}`,
      occurredAt: new Date(Date.now() - i * 7 * 3_600_000).toISOString(),
      operationType: i % 3 === 0 ? "create_order" : "update_subscription",
      resourceType: "order",
      operationStatus: i % 4 === 0 ? "failed" : "succeeded",
      userPrincipalName: "orders-service@fabrikam.example",
      applicationId: "Orders service",
      correlationId: randomUUID(),
    }));
    const send = () =>
      POST(
        new Request("http://localhost/api/v1/activity-records", {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
          body: JSON.stringify({ records }),
        }),
      );
    expect((await send()).status).toBe(201);
    expect((await send()).status).toBe(200); // a retry: nothing new, nothing counted twice
    await expectCountsMatchLog();
  });

  it("lose no update when two transactions count into the same day at once", async () => {
    const at = new Date("2026-03-05T12:00:00Z");
    /** Transactions of this database stuck behind another's row lock. */
    const waitingOnLock = async () => {
      const [{ n }] = await db.admin<[{ n: number }]>`
        select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
      return n;
    };
    const insertOne = (i: number, hold?: () => Promise<void>) =>
      app.begin(async (tx) => {
        await tx`select set_config('app.tenant_id', ${TENANT.tenantId}, true), set_config('app.cloud', ${TENANT.cloud}, true),
                        set_config('role', ${APP_ROLE}, true)`;
        await tx`insert into activity_records (tenant_id, cloud, occurred_at, operation_type, resource_type, operation_status,
                                               user_principal_name, application_id, correlation_id)
                 values (${TENANT.tenantId}, ${TENANT.cloud}, ${new Date(at.getTime() + i).toISOString()}::timestamptz, 'create_order', 'order',
                         'succeeded', 'admin@day.example', 'Concurrency test', ${randomUUID()})`;
        await hold?.();
      });
    // The first holds its day's row locks until the pool's other three connections wait on them.
    let inserted!: () => void;
    const firstInserted = new Promise<void>((resolve) => (inserted = resolve));
    const first = insertOne(0, async () => {
      inserted();
      await expect.poll(waitingOnLock, { timeout: 10_000 }).toBe(3);
    });
    await firstInserted;
    await Promise.all([first, ...Array.from({ length: 7 }, (_, i) => insertOne(i + 1))]);
    await expectCountsMatchLog();
  });

  it("cannot be diverted into a temporary table of the same name", async () => {
    await app.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${TENANT.tenantId}, true), set_config('app.cloud', ${TENANT.cloud}, true),
                      set_config('role', ${APP_ROLE}, true)`;
      await tx`create temporary table activity_day_counts (like public.activity_day_counts including all) on commit drop`;
      await tx`create temporary table activity_user_day_counts (like public.activity_user_day_counts including all) on commit drop`;
      await tx`create temporary table activity_customer_name_months (like public.activity_customer_name_months including all) on commit drop`;
      await tx`insert into activity_records (tenant_id, cloud, occurred_at, customer_name, operation_type, resource_type,
                                             operation_status, user_principal_name, application_id, correlation_id)
               values (${TENANT.tenantId}, ${TENANT.cloud}, '2026-03-06T08:00:00Z', 'Shadow Customer', 'create_order', 'order',
                       'succeeded', 'admin@day.example', 'Shadowing test', ${randomUUID()})`;
      const { shadowed } = await firstRow(
        tx`select count(*)::int as shadowed from pg_temp.activity_day_counts`,
        "the count of a temporary activity_day_counts",
      );
      expect(shadowed).toBe(0);
      const { shadowedByUser } = await firstRow(
        tx`select count(*)::int as "shadowedByUser" from pg_temp.activity_user_day_counts`,
        "the count of a temporary activity_user_day_counts",
      );
      expect(shadowedByUser).toBe(0);
      const { shadowedByName } = await firstRow(
        tx`select count(*)::int as "shadowedByName" from pg_temp.activity_customer_name_months`,
        "the count of a temporary activity_customer_name_months",
      );
      expect(shadowedByName).toBe(0);
    });
    await expectCountsMatchLog();
  });

  for (const table of ["activity_day_counts", "activity_user_day_counts", "activity_customer_name_months"]) {
    it(`are readable by the request role for its own tenant and cloud only, and never writable (${table})`, async () => {
      const visible = (ctx: { tenantId: string; cloud: string }) =>
        app.begin(async (tx) => {
          await tx`select set_config('app.tenant_id', ${ctx.tenantId}, true), set_config('app.cloud', ${ctx.cloud}, true),
                          set_config('role', ${APP_ROLE}, true)`;
          return tx<{ tenant_id: string; cloud: string }[]>`select distinct tenant_id::text, cloud from ${tx(table)}`;
        });
      expect(await visible({ tenantId: contoso.id, cloud: contoso.cloud })).toEqual([
        { tenant_id: contoso.id, cloud: contoso.cloud },
      ]);
      expect(await visible({ tenantId: tailspin.id, cloud: tailspin.cloud })).toEqual([
        { tenant_id: tailspin.id, cloud: tailspin.cloud },
      ]);
      // A tenant in the wrong cloud sees nothing at all.
      expect(await visible({ tenantId: contoso.id, cloud: "usgov" })).toEqual([]);

      const [grants] = await db.admin<{ s: boolean; i: boolean; u: boolean; d: boolean }[]>`
        select has_table_privilege(${APP_ROLE}, ${table}, 'SELECT') as s,
               has_table_privilege(${APP_ROLE}, ${table}, 'INSERT') as i,
               has_table_privilege(${APP_ROLE}, ${table}, 'UPDATE') as u,
               has_table_privilege(${APP_ROLE}, ${table}, 'DELETE') as d`;
      expect(grants).toEqual({ s: true, i: false, u: false, d: false });
    });
  }

  it("give the page's count exactly, for any range, filter and cap", async () => {
    // The counts only decide "more than the cap"; every answer must be what counting the log says.
    const span = WINDOW.to.getTime() - WINDOW.from.getTime();
    const instant = fc.oneof(
      fc.integer({ min: -1, max: 11 }).map((d) => WINDOW.from.getTime() + d * 86_400_000), // midnights, and beyond the data
      fc.integer({ min: 0, max: span }).map((ms) => WINDOW.from.getTime() + ms),
    );
    await fc.assert(
      fc.asyncProperty(
        instant,
        instant,
        fc.constantFrom(undefined, "succeeded", "failed", "progress"),
        fc.constantFrom(undefined, "create_order", "update_subscription", "no_such_action"),
        fc.integer({ min: 0, max: 1_300 }),
        async (a, b, status, action, cap) => {
          const range = { start: new Date(Math.min(a, b)), end: new Date(Math.max(a, b)) };
          const [{ n }] = await db.admin<[{ n: number }]>`
            select count(*)::int as n from activity_records
            where tenant_id = ${TENANT.tenantId} and occurred_at >= ${range.start} and occurred_at < ${range.end}
              and (${status ?? null}::text is null or operation_status = ${status ?? null})
              and (${action ?? null}::text is null or operation_type = ${action ?? null})`;
          const counted = await countActivity({ ctx: TENANT, params: { range, status, action }, cap, db: orm });
          expect(counted).toEqual(n > cap ? { count: cap, capped: true } : { count: n, capped: false });
        },
      ),
      { numRuns: 150 },
    );
  });

  it("give the page's count exactly for several statuses and actions at once, chosen or excluded", async () => {
    const span = WINDOW.to.getTime() - WINDOW.from.getTime();
    const instant = fc.oneof(
      fc.integer({ min: -1, max: 11 }).map((d) => WINDOW.from.getTime() + d * 86_400_000),
      fc.integer({ min: 0, max: span }).map((ms) => WINDOW.from.getTime() + ms),
    );
    const statuses = fc.subarray(["succeeded", "failed", "progress"] as const);
    const actions = fc.subarray(["create_order", "update_subscription", "add_customer", "view_activity_log"]);
    await fc.assert(
      fc.asyncProperty(
        instant,
        instant,
        statuses,
        actions,
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 1_300 }),
        async (a, b, status, action, excludeActions, includeLogAccess, cap) => {
          const range = { start: new Date(Math.min(a, b)), end: new Date(Math.max(a, b)) };
          const params = { range, status, action, excludeActions, includeLogAccess };
          const rows = await db.admin<{ s: string; t: string }[]>`
            select operation_status as s, operation_type as t from activity_records
            where tenant_id = ${TENANT.tenantId} and occurred_at >= ${range.start} and occurred_at < ${range.end}`;
          const hidden = new Set([
            ...(excludeActions ? action : []),
            ...(!includeLogAccess && (action.length === 0 || excludeActions) ? LOG_ACCESS_ACTIONS : []),
          ]);
          const n = rows.filter(
            (r) =>
              (status.length === 0 || (status as readonly string[]).includes(r.s)) &&
              (action.length === 0 || excludeActions || action.includes(r.t)) &&
              !hidden.has(r.t),
          ).length;
          const counted = await countActivity({ ctx: TENANT, params, cap, db: orm });
          expect(counted).toEqual(n > cap ? { count: cap, capped: true } : { count: n, capped: false });
        },
      ),
      { numRuns: 120 },
    );
  });

  it("give the page's count exactly for partner users (any case) with statuses and actions", async () => {
    // Enough records per user that the counts decide "more" for small caps, and exactly otherwise.
    const span = WINDOW.to.getTime() - WINDOW.from.getTime();
    const instant = fc.oneof(
      fc.integer({ min: -1, max: 11 }).map((d) => WINDOW.from.getTime() + d * 86_400_000),
      fc.integer({ min: 0, max: span }).map((ms) => WINDOW.from.getTime() + ms),
    );
    const users = fc.subarray(["admin@day.example", "AGENT@Day.Example", "nobody@day.example"], { minLength: 1 });
    const statuses = fc.subarray(["succeeded", "failed", "progress"] as const);
    const actions = fc.subarray(["create_order", "update_subscription", "view_activity_log"]);
    await fc.assert(
      fc.asyncProperty(
        instant,
        instant,
        users,
        statuses,
        actions,
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 700 }),
        async (a, b, user, status, action, excludeActions, includeLogAccess, cap) => {
          const range = { start: new Date(Math.min(a, b)), end: new Date(Math.max(a, b)) };
          const params = { range, user, status, action, excludeActions, includeLogAccess };
          const rows = await db.admin<{ u: string; s: string; t: string }[]>`
            select user_principal_name as u, operation_status as s, operation_type as t from activity_records
            where tenant_id = ${TENANT.tenantId} and occurred_at >= ${range.start} and occurred_at < ${range.end}`;
          const keys = new Set(user.map((u) => u.toLowerCase()));
          const hidden = new Set([
            ...(excludeActions ? action : []),
            ...(!includeLogAccess && (action.length === 0 || excludeActions) ? LOG_ACCESS_ACTIONS : []),
          ]);
          const n = rows.filter(
            (r) =>
              keys.has(r.u.toLowerCase()) &&
              (status.length === 0 || (status as readonly string[]).includes(r.s)) &&
              (action.length === 0 || excludeActions || action.includes(r.t)) &&
              !hidden.has(r.t),
          ).length;
          const counted = await countActivity({ ctx: TENANT, params, cap, db: orm });
          expect(counted).toEqual(n > cap ? { count: cap, capped: true } : { count: n, capped: false });
        },
      ),
      { numRuns: 120 },
    );
  });

  it("take whole UTC days only", () => {
    const at = (iso: string) => new Date(iso);
    expect(wholeDaysOf({ start: at("2026-03-01T00:00:00Z"), end: at("2026-03-03T00:00:00Z") })).toEqual({
      from: "2026-03-01",
      to: "2026-03-03",
    });
    // Seoul's 2026-03-01..02: from 15:00 UTC the day before; only 03-01 is whole.
    expect(wholeDaysOf({ start: at("2026-02-28T15:00:00Z"), end: at("2026-03-02T15:00:00Z") })).toEqual({
      from: "2026-03-01",
      to: "2026-03-02",
    });
    expect(wholeDaysOf({ start: at("2026-03-01T00:00:00.001Z"), end: at("2026-03-01T23:59:59.999Z") })).toBeNull();
    expect(wholeDaysOf({ start: at("2026-03-01T05:00:00Z"), end: at("2026-03-02T04:00:00Z") })).toBeNull();
  });

  it("follow records out: a retention DELETE, a dropped month, a recount after a detached one, a TRUNCATE of a month and of the log", async () => {
    const retention = (fn: (tx: postgres.TransactionSql) => Promise<unknown>) =>
      db.admin.begin(async (tx) => {
        await tx`select set_config('app.maintenance', 'on', true), set_config('app.retention', 'on', true)`;
        await fn(tx);
      });
    await retention(
      (tx) =>
        tx`delete from activity_records where tenant_id = ${TENANT.tenantId} and occurred_at < '2026-03-03T07:30:00Z'`,
    );
    await expectCountsMatchLog();

    // Retention by month (the job's way): 2019 goes, with its counts; each affected tenant gets a
    // record of it, which is counted like any other.
    await db.admin`select ensure_activity_partitions('2019-05-01', '2019-05-31')`;
    await history(db.admin, 50, "2019-05-02T00:00:00Z", "2019-05-30T00:00:00Z", 6);
    const { before } = await firstRow(
      db.admin`select count(*)::int as before from activity_day_counts where day < '2020-01-01'`,
      "the count of 2019 day counts before retention",
    );
    expect(before).toBeGreaterThan(0);
    const result = await applyRetention(db.admin, { now: new Date("2026-03-15T00:00:00Z"), months: 60 });
    expect(result.dropped).toContain("activity_records_y2019m05");
    const { after } = await firstRow(
      db.admin`select count(*)::int as after from activity_day_counts where day < '2020-01-01'`,
      "the count of 2019 day counts after retention",
    );
    expect(after).toBe(0);
    const { afterByUser } = await firstRow(
      db.admin`select count(*)::int as "afterByUser" from activity_user_day_counts where day < '2020-01-01'`,
      "the count of 2019 per-user day counts after retention",
    );
    expect(afterByUser).toBe(0);
    const { afterByName } = await firstRow(
      db.admin`select count(*)::int as "afterByName" from activity_customer_name_months where month < '2020-01-01'`,
      "the count of 2019 customer name months after retention",
    );
    expect(afterByName).toBe(0);
    await expectCountsMatchLog();

    // A month detached by hand fires no trigger: its counts stay until they are recounted.
    await db.admin`select ensure_activity_partitions('2019-07-01', '2019-07-31')`;
    await history(db.admin, 40, "2019-07-02T00:00:00Z", "2019-07-30T00:00:00Z", 7);
    await db.admin`alter table activity_records detach partition activity_records_y2019m07`;
    expect(await stored()).not.toEqual(await fromLog());
    expect(await storedByUser()).not.toEqual(await fromLogByUser());
    await expect(db.admin`select rebuild_activity_day_counts()`).rejects.toThrow(/app.maintenance = on/);
    await db.admin.begin(async (tx) => {
      await tx`select set_config('app.maintenance', 'on', true)`;
      await tx`select rebuild_activity_day_counts()`;
    });
    await expectCountsMatchLog();
    const { executable } = await firstRow(
      db.admin`select has_function_privilege(${APP_ROLE}, 'rebuild_activity_day_counts()', 'EXECUTE') as executable`,
      "the request role's privilege on the rebuild",
    );
    expect(executable).toBe(false);

    await retention((tx) => tx`truncate activity_records_y2026m03`);
    const { march } = await firstRow(
      db.admin`select count(*)::int as march from activity_day_counts where day >= '2026-03-01' and day < '2026-04-01'`,
      "the count of March day counts after its truncate",
    );
    expect(march).toBe(0);
    const { marchByUser } = await firstRow(
      db.admin`select count(*)::int as "marchByUser" from activity_user_day_counts where day >= '2026-03-01' and day < '2026-04-01'`,
      "the count of March per-user day counts after its truncate",
    );
    expect(marchByUser).toBe(0);
    const { marchByName } = await firstRow(
      db.admin`select count(*)::int as "marchByName" from activity_customer_name_months where month = '2026-03-01'`,
      "the count of March customer name months after its truncate",
    );
    expect(marchByName).toBe(0);
    await expectCountsMatchLog();

    await retention((tx) => tx`truncate activity_records, activity_record_details`);
    const { left } = await firstRow(
      db.admin`select count(*)::int as left from activity_day_counts`,
      "the count of day counts after the log is truncated",
    );
    expect(left).toBe(0);
    const { leftByUser } = await firstRow(
      db.admin`select count(*)::int as "leftByUser" from activity_user_day_counts`,
      "the count of per-user day counts after the log is truncated",
    );
    expect(leftByUser).toBe(0);
    const { leftByName } = await firstRow(
      db.admin`select count(*)::int as "leftByName" from activity_customer_name_months`,
      "the count of customer name months after the log is truncated",
    );
    expect(leftByName).toBe(0);
  });
});
