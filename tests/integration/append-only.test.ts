import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TENANTS } from "@/db/seed/demo-data";
import { seedDemo } from "@/db/seed/seed-demo";
import { APP_ROLE } from "@/db/with-tenant";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { at, firstRow } from "../support/present";

const contoso = at(DEMO_TENANTS, 0, "the Contoso demo tenant");
const LOG_TABLES = ["activity_records", "activity_record_details", "activity_ingest_events", "activity_seals"];
const ANCHOR = new Date("2026-11-01T00:00:00Z");

describe("append-only log", () => {
  let db: TestDatabase;
  let app: postgres.Sql;
  let partition: string;

  /** As the request role, scoped to Contoso, the way withTenant does it. */
  const asApp = <T>(fn: (tx: postgres.TransactionSql) => Promise<T>) =>
    app.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${contoso.id}, true), set_config('app.cloud', 'commercial', true)`;
      await tx.unsafe(`set local role ${APP_ROLE}`);
      return fn(tx);
    }) as Promise<T>;

  /** As the owner (the migrations' role), in a transaction that is rolled back. */
  const asOwner = (fn: (tx: postgres.TransactionSql) => Promise<unknown>, settings: { retention?: boolean } = {}) =>
    db.admin.begin(async (tx) => {
      await tx`select set_config('app.maintenance', 'on', true)`;
      if (settings.retention) await tx`select set_config('app.retention', 'on', true)`;
      await fn(tx);
      throw new RolledBack();
    });

  class RolledBack extends Error {}
  const ownerOutcome = async (
    fn: (tx: postgres.TransactionSql) => Promise<unknown>,
    settings: { retention?: boolean } = {},
  ) => {
    try {
      await asOwner(fn, settings);
      return "impossible";
    } catch (error) {
      return error instanceof RolledBack ? "allowed" : (error as Error).message;
    }
  };

  const count = async (table: string) =>
    (await firstRow(db.admin.unsafe(`select count(*)::int as n from ${table}`), `the count of ${table}`)).n as number;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemo(db.url, { recordsPerTenant: 200, anchor: ANCHOR, tenants: [contoso] });
    app = postgres(db.url, { max: 2, onnotice: () => {} });
    // Something in every log table.
    await db.admin.begin(async (tx) => {
      await tx`select set_config('app.maintenance', 'on', true)`;
      await tx`insert into activity_ingest_events (tenant_id, cloud, event_id, payload_hash, record_id, occurred_at)
               select tenant_id, cloud, 'e' || id, 'h', id, occurred_at from activity_records limit 5`;
      await tx`insert into activity_seals (tenant_id, cloud, seq, period_start, period_end, row_count, parts, hash)
               values (${contoso.id}, 'commercial', 1, '2026-01-01', '2026-01-01 01:00', 0, '[]', 'x')`;
    });
    [{ partition }] = await db.admin`
      select c.relname as partition from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = 'activity_records'::regclass and c.relname like 'activity_records_y2026m10'`;
  });

  afterAll(async () => {
    await app?.end();
    await db?.drop();
  });

  it("grants the request role no UPDATE, DELETE or TRUNCATE on any log table", async () => {
    for (const table of LOG_TABLES) {
      const [privileges] = await db.admin`
        select has_table_privilege(${APP_ROLE}, ${table}, 'UPDATE') as u,
               has_table_privilege(${APP_ROLE}, ${table}, 'DELETE') as d,
               has_table_privilege(${APP_ROLE}, ${table}, 'TRUNCATE') as t`;
      expect(privileges, table).toEqual({ u: false, d: false, t: false });
    }
  });

  it("refuses UPDATE, DELETE and TRUNCATE by the request role, on the parents and on a partition", async () => {
    for (const table of LOG_TABLES) {
      await expect(
        asApp((tx) => tx.unsafe(`update ${table} set tenant_id = tenant_id`)),
        table,
      ).rejects.toThrow(/permission denied/);
      await expect(
        asApp((tx) => tx.unsafe(`delete from ${table}`)),
        table,
      ).rejects.toThrow(/permission denied/);
      await expect(
        asApp((tx) => tx.unsafe(`truncate ${table}`)),
        table,
      ).rejects.toThrow(/permission denied/);
    }
    await expect(asApp((tx) => tx.unsafe(`truncate ${partition}`))).rejects.toThrow(/permission denied/);
    await expect(asApp((tx) => tx.unsafe(`delete from ${partition}`))).rejects.toThrow(/permission denied/);
    await expect(asApp((tx) => tx.unsafe(`drop table ${partition}`))).rejects.toThrow(/must be owner/);
    // The app can still read and append.
    const { n } = await firstRow(
      asApp((tx) => tx`select count(*)::int as n from activity_records`),
      "the count the app reads",
    );
    expect(n).toBe(200);
  });

  it("refuses even the owner an UPDATE, and DELETE or TRUNCATE without the retention switch", async () => {
    for (const table of LOG_TABLES) {
      expect(await ownerOutcome((tx) => tx.unsafe(`update ${table} set tenant_id = tenant_id`)), table).toMatch(
        /UPDATE on .* is not allowed: the activity log is append-only/,
      );
      expect(
        await ownerOutcome((tx) => tx.unsafe(`update ${table} set tenant_id = tenant_id`), { retention: true }),
        table,
      ).toMatch(/append-only/);
      expect(await ownerOutcome((tx) => tx.unsafe(`delete from ${table}`)), table).toMatch(
        /DELETE on .* is not allowed/,
      );
      expect(await ownerOutcome((tx) => tx.unsafe(`truncate ${table}`)), table).toMatch(
        /TRUNCATE on .* is not allowed/,
      );
    }
    // A partition named directly is protected too.
    expect(await ownerOutcome((tx) => tx.unsafe(`truncate ${partition}`))).toMatch(
      /TRUNCATE on activity_records_y2026m10 is not allowed/,
    );
    expect(await ownerOutcome((tx) => tx.unsafe(`delete from ${partition}`))).toMatch(
      /DELETE on activity_records_y2026m10 is not allowed/,
    );
  });

  it("lets the owner delete and truncate with app.retention = on (the retention job), but not the request role", async () => {
    for (const table of LOG_TABLES) {
      expect(await ownerOutcome((tx) => tx.unsafe(`delete from ${table}`), { retention: true }), table).toBe("allowed");
      expect(await ownerOutcome((tx) => tx.unsafe(`truncate ${table}`), { retention: true }), table).toBe("allowed");
    }
    await expect(
      asApp(async (tx) => {
        await tx`select set_config('app.retention', 'on', true)`;
        return tx`delete from activity_records`;
      }),
    ).rejects.toThrow(/permission denied/);
    expect(await count("activity_records")).toBe(200);
  });

  it("protects partitions created later, and lets the owner drop an old partition", async () => {
    await db.admin`select ensure_activity_partitions('2031-01-01', '2031-01-31')`;
    const triggers = await db.admin`
      select c.relname, array_agg(t.tgname::text order by t.tgname) as names
      from pg_trigger t join pg_class c on c.oid = t.tgrelid
      where c.relname in ('activity_records_y2031m01', 'activity_record_details_y2031m01')
      group by c.relname order by c.relname`;
    expect(triggers).toEqual([
      { relname: "activity_record_details_y2031m01", names: ["append_only", "append_only_truncate"] },
      {
        relname: "activity_records_y2031m01",
        names: ["append_only", "append_only_truncate", "day_counts_remove", "day_counts_truncated"],
      },
    ]);
    expect(await ownerOutcome((tx) => tx`truncate activity_records_y2031m01`)).toMatch(
      /TRUNCATE on activity_records_y2031m01 is not allowed/,
    );

    // Every existing partition of both parents carries the TRUNCATE trigger.
    const { unprotected } = await firstRow(
      db.admin`
      select count(*)::int as unprotected from (
        select relid from pg_partition_tree('activity_records') where level > 0
        union all select relid from pg_partition_tree('activity_record_details') where level > 0) p
      where not exists (select 1 from pg_trigger t where t.tgrelid = p.relid and t.tgname = 'append_only_truncate')`,
      "the count of unprotected partitions",
    );
    expect(unprotected).toBe(0);

    // Retention by month: the owner drops whole partitions, no switch needed, no trigger in the way.
    const { n: inMay } = await firstRow(
      db.admin`select count(*)::int as n from activity_records_y2026m05`,
      "the count of May 2026",
    );
    expect(inMay).toBeGreaterThan(0);
    await db.admin`alter table activity_records detach partition activity_records_y2026m05`;
    await db.admin`drop table activity_records_y2026m05`;
    await db.admin`drop table activity_record_details_y2026m05`;
    expect(await count("activity_records")).toBe(200 - inMay);
  });
});
