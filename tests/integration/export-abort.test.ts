import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { getActivityPage } from "@/db/queries/activity-records";
import * as schema from "@/db/schema";
import { parseActivityLogParams, type ActivityLogParams } from "@/lib/activity-log-params";
import { DEFAULT_EXPORT_LIMITS, EXPORT_APPLICATION_NAME } from "@/db/queries/activity-export";
import { createActivityCsvStream, type ActivityCsvStreamOptions } from "@/lib/export/activity-csv";
import { parseCsv } from "../support/rfc4180";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import type { Cloud } from "@/lib/domain";
import { at } from "../support/present";

/*
 * What happens to the database when an export does not end normally: the reader goes away at any
 * point, or the export's backend dies mid-way. The pool must come back healthy, and a download
 * that lost rows must fail rather than end as a shorter, valid-looking file.
 */

const A = { tenantId: "0a000000-0000-4000-8000-00000000000a", cloud: "commercial" as Cloud };
const ROWS = 3000;
const BATCH = 100;
// The pool's own name; an export transaction reports EXPORT_APPLICATION_NAME while it runs.
const POOL_NAME = "export-abort-test";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("export aborts and failures", () => {
  let testDb: TestDatabase;
  let exportSql: postgres.Sql;
  let pageClient: postgres.Sql;
  let db: Database;
  let p: ActivityLogParams;

  const stream = (options: Partial<ActivityCsvStreamOptions> = {}) =>
    createActivityCsvStream({ ctx: A, params: p, sql: exportSql, batchSize: BATCH, ...options });

  async function readRest(reader: ReadableStreamDefaultReader<Uint8Array>, chunks: Uint8Array[] = []): Promise<Buffer> {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return Buffer.concat(chunks);
      chunks.push(value);
    }
  }

  /** Connections of the export pool that are not idle, i.e. still running or holding a transaction. */
  const busyExportConnections = () => testDb.admin<Array<{ pid: number; state: string; application_name: string }>>`
    select pid, state, application_name from pg_stat_activity
    where datname = current_database() and application_name in (${POOL_NAME}, ${EXPORT_APPLICATION_NAME})
      and state <> 'idle'`;

  async function expectExportPoolIdle(withinMs = 3000) {
    const deadline = Date.now() + withinMs;
    let busy = await busyExportConnections();
    while (busy.length > 0 && Date.now() < deadline) {
      await sleep(25);
      busy = await busyExportConnections();
    }
    expect(busy).toEqual([]);
  }

  /** The one backend running an export right now. */
  async function exportBackend(): Promise<number> {
    const rows = await testDb.admin<Array<{ pid: number }>>`
      select pid from pg_stat_activity where datname = current_database() and application_name = ${EXPORT_APPLICATION_NAME}`;
    expect(rows).toHaveLength(1);
    return at(rows, 0, "the export's backend").pid;
  }

  async function terminate(pid: number) {
    await testDb.admin`select pg_terminate_backend(${pid})`;
    for (let i = 0; i < 200; i++) {
      const [{ n }] = await testDb.admin<
        [{ n: number }]
      >`select count(*)::int as n from pg_stat_activity where pid = ${pid}`;
      if (n === 0) break;
      await sleep(10);
    }
    // Let the client see the socket close, so the next read hits a dead connection between batches.
    await sleep(50);
  }

  async function expectFullExport() {
    const text = (await readRest(stream().getReader())).toString("utf8");
    // The fixture has no CR or LF inside cells (the strict parse is in the first test), so lines are records.
    expect(text.split("\r\n")).toHaveLength(ROWS + 2);
    expect(text.endsWith("\r\n")).toBe(true);
  }

  beforeAll(async () => {
    testDb = await createTestDatabase();
    const { admin } = testDb;
    await admin`select ensure_activity_partitions('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z')`;
    await admin`insert into partner_tenants ${admin({ id: A.tenantId, cloud: A.cloud, name: "Tenant A" })}`;
    await admin`
      insert into activity_records (id, tenant_id, cloud, occurred_at, customer_id, customer_name, operation_type,
                                    resource_type, operation_status, user_principal_name, application_id, correlation_id)
      select g, ${A.tenantId}, ${A.cloud}, timestamptz '2026-01-01 00:00:00Z' + g * interval '1 minute',
             null, 'Customer ' || (g % 50), 'create_order', 'order', 'succeeded', 'ana@a.example', 'Partner Center Web',
             md5(g::text)::uuid
      from generate_series(1, ${ROWS}) g`;
    await admin`
      insert into activity_record_details (tenant_id, occurred_at, record_id, resource_new_value)
      select ${A.tenantId}, timestamptz '2026-01-01 00:00:00Z' + g * interval '1 minute', g,
             jsonb_build_object('lineItems', (select jsonb_agg(jsonb_build_object('offer', 'Seat ' || i, 'quantity', i)) from generate_series(1, 5) i))
      from generate_series(1, ${ROWS}) g`;
    exportSql = postgres(testDb.url, { max: 3, onnotice: () => {}, connection: { application_name: POOL_NAME } });
    pageClient = postgres(testDb.url, { max: 2, onnotice: () => {} });
    db = drizzle(pageClient, { schema });
    const parsed = parseActivityLogParams(
      { from: "2026-01-01", to: "2026-01-05" },
      { now: new Date("2026-01-20T00:00:00Z") },
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    p = parsed.value;
  });

  afterAll(async () => {
    await exportSql?.end({ timeout: 5 });
    await pageClient?.end({ timeout: 5 });
    await testDb?.drop();
  });

  it("exports every row when read to the end", async () => {
    const rows = parseCsv((await readRest(stream().getReader())).subarray(3).toString("utf8"));
    expect(rows).toHaveLength(ROWS + 1);
    expect(rows.slice(1).every((cells) => cells.length === 14)).toBe(true);
    await expectExportPoolIdle(0);
  });

  it("leaves no connection busy after 50 exports cancelled or aborted at varying points", async () => {
    const modes = ["cancel", "abort", "cancel with a read in flight", "abort with a read in flight"] as const;
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const mode = at(modes, i % modes.length, "a way to stop");
        const abort = new AbortController();
        const reader = stream({ signal: mode.startsWith("abort") ? abort.signal : undefined }).getReader();
        // 0 reads stops before the first query; up to 12 stops anywhere in the first 1,200 rows.
        const reads = Math.floor(i / modes.length);
        let received = 0;
        for (let k = 0; k < reads; k++) {
          const { done, value } = await reader.read();
          if (done) break;
          received += value.length;
        }
        const inFlight = mode.endsWith("in flight") ? reader.read() : null;
        if (mode.startsWith("cancel")) await reader.cancel("test cancel");
        else abort.abort(new Error("client went away"));
        const last = await inFlight?.then(
          (r) => (r.done ? "done" : "chunk"),
          () => "error",
        );
        if (mode.startsWith("abort")) await expect(reader.read()).rejects.toThrow("client went away");
        return { mode, received, last };
      }),
    );
    expect(outcomes.some((o) => o.received > 0)).toBe(true);

    await expectExportPoolIdle();
    // Page queries never depended on the export pool, and still work.
    const page = await getActivityPage({ ctx: A, params: { ...p, size: 25 }, db });
    expect(page.rows).toHaveLength(25);
    // Every connection of the export pool can still run a whole export (three at once use all three).
    await Promise.all([expectFullExport(), expectFullExport(), expectFullExport()]);
    await expectExportPoolIdle();
  });

  it("never starts a query for a signal that was aborted before the stream", async () => {
    const abort = new AbortController();
    abort.abort(new Error("gone already"));
    const reader = stream({ signal: abort.signal }).getReader();
    await expect(reader.read()).rejects.toThrow("gone already");
    await expectExportPoolIdle(0);
  });

  it("fails the download when the backend dies between batches", async () => {
    const reader = stream().getReader();
    const chunks = [(await reader.read()).value!, (await reader.read()).value!];
    await terminate(await exportBackend());
    await expect(readRest(reader, chunks)).rejects.toThrow();
    await expectExportPoolIdle();
    await expectFullExport();
  });

  it("fails the download when the backend dies while a batch is being fetched", async () => {
    const reader = stream().getReader();
    const chunks = [(await reader.read()).value!, (await reader.read()).value!];
    const pid = await exportBackend();
    const rest = readRest(reader, chunks).then(
      () => "ended normally",
      (error: unknown) => error,
    );
    await terminate(pid);
    expect(await rest).toBeInstanceOf(Error);
    await expectExportPoolIdle();
    await expectFullExport();
  });

  it("ends an export whose reader stalls past the idle timeout, as a failed download", async () => {
    const reader = stream({ limits: { ...DEFAULT_EXPORT_LIMITS, idleInTransactionTimeoutMs: 300 } }).getReader();
    const chunks = [(await reader.read()).value!, (await reader.read()).value!];
    // Once the stream's one chunk of read-ahead is fetched, the export is honestly idle in its
    // transaction, which is what the timeout ends.
    let busy = await busyExportConnections();
    for (let i = 0; i < 100 && busy[0]?.state !== "idle in transaction"; i++) {
      await sleep(5);
      busy = await busyExportConnections();
    }
    expect(busy).toMatchObject([{ state: "idle in transaction", application_name: EXPORT_APPLICATION_NAME }]);
    // The server ends the idle transaction (and its session) after 300 ms.
    await expectExportPoolIdle();
    await expect(readRest(reader, chunks)).rejects.toThrow();
    await expectFullExport();
  });

  it("ends an export that outlives the transaction timeout, as a failed download", async () => {
    const reader = stream({ limits: { ...DEFAULT_EXPORT_LIMITS, transactionTimeoutMs: 300 } }).getReader();
    const chunks = [(await reader.read()).value!, (await reader.read()).value!];
    // The server ends the transaction (and its session) 300 ms after it began.
    await expectExportPoolIdle();
    await expect(readRest(reader, chunks)).rejects.toThrow();
    await expectExportPoolIdle();
    await expectFullExport();
  });

  it("keeps every pooled connection usable after its exports died in all those ways", async () => {
    // A connection the driver left in a bad state would hang here (the test would time out).
    const started = Date.now();
    await Promise.all(Array.from({ length: 6 }, () => expectFullExport()));
    expect(Date.now() - started).toBeLessThan(5000);
    await expectExportPoolIdle();
  });
});
