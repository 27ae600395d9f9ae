import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db/client";
import { parseIngestBody, type IngestRecord } from "@/lib/ingest/record-schema";
import { storeRecords } from "@/db/mutations/ingest-batch";
import {
  CANONICAL_DETAIL_COLUMNS,
  CANONICAL_RECORD_COLUMNS,
  DETAIL_KEY_COLUMNS,
  OPTIONAL_DETAIL_COLUMNS,
} from "@/lib/seal/canonical";
import { hashParts } from "@/db/seals/canonical-rows";
import { SEAL_PERIOD_MS, sealHorizon, sealLog } from "@/db/seals/seal-log";
import { verifySeals } from "@/db/seals/verify-seals";
import { addTenants, insertRecord } from "../support/fixtures";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import type { Cloud } from "@/lib/domain";
import { at, firstRow } from "../support/present";

const HOUR = SEAL_PERIOD_MS;
const H = Math.floor(Date.now() / HOUR) * HOUR; // the current hour
const SEAL_NOW = new Date(H + 30 * 60_000); // past the grace, whatever the minute is now
const monthKey = (d: Date) => d.toISOString().slice(0, 7);
const monthStart = (monthsBack: number) => {
  const d = new Date(H);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - monthsBack, 1));
};
const OLD_MONTH = monthStart(2);
const PREV_MONTH = monthStart(1);

const TENANTS = ["ok", "update", "details", "delete", "insert", "sealDeleted", "sealAltered", "idle"] as const;
type Name = (typeof TENANTS)[number];

describe("seals", () => {
  let db: TestDatabase;
  let sql: postgres.Sql;
  const ids = Object.fromEntries(TENANTS.map((t) => [t, randomUUID()])) as Record<Name, string>;
  const verify = (name: Name, cloud: Cloud = "commercial") => verifySeals({ tenantId: ids[name], cloud, sql });

  /** One valid order record, as ingestion would store it. */
  function orderRecord(eventId: string, occurredAt: string): IngestRecord {
    const parsed = parseIngestBody({
      eventId,
      occurredAt,
      operationType: "create_order",
      resourceType: "order",
      operationStatus: "succeeded",
      userPrincipalName: "orders@contoso.example",
      applicationId: "Orders service",
      correlationId: randomUUID(),
    });
    if (!parsed.ok) throw new Error("invalid test record");
    return at(parsed.records, 0, "the parsed record");
  }

  /** Inserts records as the owner with an explicit recorded_at, as if ingested then. */
  const insertAt = (tenantId: string, recordedAt: Date, occurredAt: Date, name = "Northwind Traders") =>
    insertRecord(db.admin, {
      tenant: { tenantId, cloud: "commercial" },
      occurredAt,
      recordedAt,
      customerName: name,
      applicationId: "Orders service",
      newValue: { orderId: "order", lineItems: [{ quantity: 3 }] },
    });

  /** As an owner bent on tampering: the append-only trigger switched off around the change. */
  const tamper = (table: string, statement: string) =>
    db.admin.begin(async (tx) => {
      await tx.unsafe(`alter table ${table} disable trigger append_only`);
      await tx.unsafe(statement);
      await tx.unsafe(`alter table ${table} enable trigger append_only`);
    });

  const recordIdAt = async (name: Name, recordedAt: number) =>
    (
      await firstRow(
        db.admin`select id from activity_records where tenant_id = ${ids[name]} and recorded_at = ${new Date(recordedAt)} order by id limit 1`,
        `a record of tenant "${name}" recorded at ${new Date(recordedAt).toISOString()}`,
      )
    ).id as string;

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = postgres(db.url, { max: 2, onnotice: () => {} });
    await db.admin`select ensure_activity_partitions(${OLD_MONTH}, ${new Date(H)})`;
    for (const name of TENANTS) {
      await addTenants(db.admin, [{ tenantId: ids[name], cloud: "commercial", name: `Tenant ${name}` }]);
      if (name === "idle") {
        await insertAt(ids[name], new Date(H - 30 * HOUR + 60_000), new Date(H - 40 * HOUR));
        continue;
      }
      // Hour H-3: two rows in each of two months (two parts); hour H-2 empty; hour H-1: two rows.
      for (const occurred of [OLD_MONTH, OLD_MONTH, PREV_MONTH, PREV_MONTH]) {
        await insertAt(ids[name], new Date(H - 3 * HOUR + 10 * 60_000), new Date(occurred.getTime() + 86_400_000));
      }
      for (let i = 0; i < 2; i++) await insertAt(ids[name], new Date(H - HOUR + 10 * 60_000), new Date(H - HOUR));
    }
    // Rows of the current hour: not sealable yet.
    await insertAt(ids.ok, new Date(), new Date(H));
  });

  afterAll(async () => {
    await closeDb();
    await sql?.end();
    await db?.drop();
  });

  it("seals every ended hour with rows, chained, folding empty hours into the next seal", async () => {
    const run = await sealLog({ sql, now: SEAL_NOW });
    expect(run.horizon.getTime()).toBe(H);
    const ok = run.tenants.find((t) => t.tenantId === ids.ok)!;
    expect(ok).toMatchObject({ sealed: 2, rows: 6, busy: false });
    expect(ok.sealedUntil?.getTime()).toBe(H);

    const seals = await db.admin`
      select seq, period_start, period_end, row_count::int as rows, parts, prev_hash, hash
      from activity_seals where tenant_id = ${ids.ok} order by seq`;
    expect(
      seals.map((s) => [s.seq, (s.period_start as Date).getTime(), (s.period_end as Date).getTime(), s.rows]),
    ).toEqual([
      [1, H - 3 * HOUR, H - 2 * HOUR, 4],
      [2, H - 2 * HOUR, H, 2],
    ]);
    const first = at(seals, 0, "the first seal");
    const second = at(seals, 1, "the second seal");
    expect(first.parts.map((p: { month: string; rows: number }) => [p.month, p.rows])).toEqual([
      [monthKey(OLD_MONTH), 2],
      [monthKey(PREV_MONTH), 2],
    ]);
    expect(first.prev_hash).toBeNull();
    expect(second.prev_hash).toBe(first.hash);
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("closes a day of idle time with an empty seal", async () => {
    const seals = await db.admin`
      select seq, period_start, period_end, row_count::int as rows from activity_seals where tenant_id = ${ids.idle} order by seq`;
    expect(
      seals.map((s) => [s.seq, (s.period_start as Date).getTime(), (s.period_end as Date).getTime(), s.rows]),
    ).toEqual([
      [1, H - 30 * HOUR, H - 29 * HOUR, 1],
      [2, H - 29 * HOUR, H, 0],
    ]);
    expect((await verify("idle")).ok).toBe(true);
  });

  it("verifies an untouched log, and a second run adds nothing", async () => {
    const result = await verify("ok");
    expect(result).toMatchObject({ ok: true, sealCount: 2, rowsChecked: 6, firstFailure: null, unsealed: { rows: 1 } });
    expect(result.periods.map((p) => p.status)).toEqual(["ok", "ok"]);
    const again = await sealLog({ sql, now: SEAL_NOW });
    expect(again.tenants.every((t) => t.sealed === 0)).toBe(true);
    // Another cloud sees none of the tenant's seals.
    expect((await verify("ok", "usgov")).sealCount).toBe(0);
  });

  it("verifies through the app's own pool, as the admin view does", async () => {
    // Drizzle reconfigures that pool (timestamps and JSON pass through as text): same answer.
    process.env.DATABASE_URL = db.url;
    const viaApp = await verifySeals({ tenantId: ids.ok, cloud: "commercial" });
    const direct = await verify("ok");
    expect({ ...viaApp, checkedAt: null }).toEqual({ ...direct, checkedAt: null });
  });

  it("reads only the tenant and cloud it is asked for, under row-level security", async () => {
    const records = [orderRecord(`scope-${randomUUID()}`, new Date(Date.now() - 60_000).toISOString())];
    await storeRecords(sql, { tenantId: ids.idle, cloud: "commercial" }, records);
    const own = await verify("idle");
    expect(own.unsealed.rows).toBeGreaterThan(0);
    // The same tenant named with another cloud: the request role sees none of its seals or rows.
    const otherCloud = await verify("idle", "usgov");
    expect(otherCloud).toMatchObject({ ok: true, sealCount: 0, rowsChecked: 0, unsealed: { since: null, rows: 0 } });
  });

  it("does not count a late record (old occurredAt, ingested now) as tampering", async () => {
    const records = [orderRecord("late-1", new Date(OLD_MONTH.getTime() + 5 * 86_400_000).toISOString())];
    await storeRecords(sql, { tenantId: ids.ok, cloud: "commercial" }, records);
    const result = await verify("ok");
    expect(result.ok).toBe(true);
    expect(result.unsealed.rows).toBe(2);
  });

  it("finds a record changed after sealing, in the period it was sealed in", async () => {
    const id = await recordIdAt("update", H - HOUR + 10 * 60_000);
    await tamper("activity_records", `update activity_records set customer_name = 'Someone else' where id = ${id}`);
    const result = await verify("update");
    expect(result.ok).toBe(false);
    expect(result.firstFailure).toMatchObject({ seq: 2, status: "rows_changed", sealedRows: 2, actualRows: 2 });
    expect(result.firstFailure!.periodStart.getTime()).toBe(H - 2 * HOUR);
    expect(result.periods.map((p) => p.status)).toEqual(["ok", "rows_changed"]);
    // Other tenants are unaffected.
    expect((await verify("ok")).ok).toBe(true);
  });

  it("finds changed details JSON", async () => {
    const id = await recordIdAt("details", H - 3 * HOUR + 10 * 60_000);
    await tamper(
      "activity_record_details",
      `update activity_record_details set resource_new_value = jsonb_set(resource_new_value, '{lineItems,0,quantity}', '300') where record_id = ${id}`,
    );
    expect((await verify("details")).firstFailure).toMatchObject({ seq: 1, status: "rows_changed" });
  });

  it("finds a removed record", async () => {
    const id = await recordIdAt("delete", H - 3 * HOUR + 10 * 60_000);
    await tamper("activity_records", `delete from activity_records where id = ${id}`);
    const result = await verify("delete");
    expect(result.firstFailure).toMatchObject({ seq: 1, status: "rows_missing", sealedRows: 4, actualRows: 3 });
    expect(result.firstFailure!.problems[0]).toMatch(/^1 of 2 rows of \d{4}-\d{2} were removed after sealing\.$/);
  });

  it("finds a record inserted into a sealed period", async () => {
    await insertAt(ids.insert, new Date(H - 3 * HOUR + 20 * 60_000), new Date(PREV_MONTH.getTime() + 3_600_000));
    const result = await verify("insert");
    expect(result.firstFailure).toMatchObject({ seq: 1, status: "rows_added", sealedRows: 4, actualRows: 5 });
    expect(at(result.periods, 1, "the second period").status).toBe("ok");
  });

  it("finds a deleted seal (a broken chain) and an altered seal", async () => {
    await db.admin.begin(async (tx) => {
      await tx`select set_config('app.retention', 'on', true)`;
      await tx`delete from activity_seals where tenant_id = ${ids.sealDeleted} and seq = 1`;
    });
    const deleted = await verify("sealDeleted");
    expect(deleted.firstFailure).toMatchObject({ seq: 2, status: "chain_broken" });
    expect(deleted.firstFailure!.problems).toContain("Seals 1 to 1 are missing.");

    await tamper(
      "activity_seals",
      `update activity_seals set row_count = 3 where tenant_id = '${ids.sealAltered}' and seq = 2`,
    );
    expect((await verify("sealAltered")).firstFailure).toMatchObject({ seq: 2, status: "seal_altered" });
  });

  it("covers every written column of the log in the canonical row (generated ones are derived)", async () => {
    const columns = async (table: string) =>
      (
        await db.admin`select column_name::text as c from information_schema.columns where table_name = ${table} and table_schema = 'public' and is_generated = 'NEVER'`
      )
        .map((r) => r.c as string)
        .sort();
    expect(await columns("activity_records")).toEqual([...CANONICAL_RECORD_COLUMNS].sort());
    expect(await columns("activity_record_details")).toEqual(
      [...DETAIL_KEY_COLUMNS, ...CANONICAL_DETAIL_COLUMNS, ...OPTIONAL_DETAIL_COLUMNS].sort(),
    );
  });

  it("never seals past a transaction that is still open", async () => {
    const reserved = await db.admin.reserve();
    try {
      await reserved`begin`;
      const { started } = await firstRow(reserved`select now() as started`, "the transaction's start");
      const horizon = await sealHorizon(sql, new Date(Date.now() + 10 * HOUR), 0);
      expect(horizon.getTime()).toBe(Math.floor((started as Date).getTime() / HOUR) * HOUR);
      await reserved`rollback`;
    } finally {
      reserved.release();
    }
  });

  it("does not block ingestion while sealing reads", async () => {
    const writer = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      await sql.begin("isolation level repeatable read", async (tx) => {
        await tx`select set_config('app.maintenance', 'on', true)`;
        await tx`select pg_advisory_xact_lock(hashtextextended(${`activity_seals:${ids.ok}`}, 0))`;
        await hashParts(tx as unknown as postgres.Sql, ids.ok, null, new Date(H));
        const records = [orderRecord("during-seal", new Date(H).toISOString())];
        const stored = await Promise.race([
          storeRecords(writer, { tenantId: ids.ok, cloud: "commercial" }, records),
          new Promise((_, reject) => setTimeout(() => reject(new Error("ingestion waited for the sealer")), 5_000)),
        ]);
        expect(stored).toHaveLength(1);
      });
    } finally {
      await writer.end();
    }
  });

  it("reports months dropped by retention without calling them tampering", async () => {
    const table = `activity_records_y${OLD_MONTH.getUTCFullYear()}m${String(OLD_MONTH.getUTCMonth() + 1).padStart(2, "0")}`;
    await db.admin.unsafe(`drop table ${table}`);
    await db.admin.unsafe(`drop table ${table.replace("activity_records", "activity_record_details")}`);
    const result = await verify("ok");
    expect(result.ok).toBe(true);
    expect(result.periods[0]).toMatchObject({
      status: "ok",
      droppedMonths: [monthKey(OLD_MONTH)],
      sealedRows: 4,
      actualRows: 2,
    });
    // Tampering elsewhere is still found.
    expect((await verify("update")).firstFailure).toMatchObject({ seq: 2, status: "rows_changed" });
  });

  it("checks months of hourly seals in one set-based read, not a round trip per seal", async () => {
    const many = randomUUID();
    await addTenants(db.admin, [{ tenantId: many, cloud: "commercial", name: "Tenant many" }]);
    // 40 consecutive hours with a record each, every one in the current hour's month or the one before.
    const hours = Array.from({ length: 40 }, (_, k) => H - (41 - k) * HOUR + 10 * 60_000);
    for (const hour of hours) await insertAt(many, new Date(hour), new Date(Math.max(hour, PREV_MONTH.getTime())));
    await sealLog({ sql, now: SEAL_NOW });
    let statements = 0;
    const counting = postgres(db.url, { max: 1, onnotice: () => {}, debug: () => void statements++ });
    try {
      expect((await verifySeals({ tenantId: ids.idle, cloud: "commercial", sql: counting })).sealCount).toBe(2);
      // (Counted on a connection already set up, as the first call left it.)
      statements = 0;
      expect((await verifySeals({ tenantId: ids.idle, cloud: "commercial", sql: counting })).sealCount).toBe(2);
      const fewSeals = statements;
      statements = 0;
      const result = await verifySeals({ tenantId: many, cloud: "commercial", sql: counting });
      expect(result).toMatchObject({ ok: true, sealCount: 40, rowsChecked: 40 });
      // The same statements for 40 seals as for 2.
      expect(statements).toBe(fewSeals);
      // A record changed in the middle is found in its own period, and only there.
      const { id } = await firstRow(
        db.admin`select id from activity_records where tenant_id = ${many} and recorded_at = ${new Date(at(hours, 17, "hour 17"))}`,
        "the record of hour 17",
      );
      await tamper("activity_records", `update activity_records set customer_name = 'Someone else' where id = ${id}`);
      const tampered = await verifySeals({ tenantId: many, cloud: "commercial", sql: counting });
      expect(tampered.periods.filter((p) => p.status !== "ok").map((p) => [p.seq, p.status])).toEqual([
        [18, "rows_changed"],
      ]);
    } finally {
      await counting.end();
    }
  });
});
