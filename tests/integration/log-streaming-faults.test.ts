import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkerSql } from "@/db/client";
import { startStreamWorker } from "@/lib/streaming/deliver";
import { generateWebhookSecret } from "@/lib/streaming/destination";
import { createTenant } from "../support/fixtures";
import { addDestination, ingest, pendingCount } from "../support/stream-fixtures";
import { startWebhookReceiver, waitFor } from "../support/stream-receivers";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

const RECORDS = 10_000;
const policy = { baseMs: 5, capMs: 50, maxFailures: 100_000 };

describe("log streaming faults", () => {
  let db: TestDatabase;
  let sql: postgres.Sql;

  beforeAll(async () => {
    db = await createTestDatabase();
    // The pool npm start and npm run stream-log give the worker.
    sql = createWorkerSql(db.url, 6, "stream-test");
  });
  afterAll(async () => {
    await sql.end({ timeout: 5 });
    await db.drop();
  });

  it(
    `the receiver down while ${RECORDS.toLocaleString("en-US")} records arrive, a dead worker's lease, a lost acknowledgement, two workers: every record once, in order`,
    { timeout: 180_000 },
    async () => {
      const secret = generateWebhookSecret();
      const receiver = await startWebhookReceiver(secret);
      const logs: string[] = [];
      const workers: Array<ReturnType<typeof startStreamWorker>> = [];
      try {
        const tenant = await createTenant(db.admin, "commercial");
        const destination = await addDestination(sql, tenant, {
          kind: "webhook",
          url: receiver.url(),
          secret,
          batchSize: 200,
        });
        await receiver.down();
        // Two instances of the worker, as two app servers would run.
        for (let i = 0; i < 2; i++) {
          workers.push(startStreamWorker({ sql, policy, pollMs: 20, timeoutMs: 1000, log: (l) => logs.push(l) }));
        }
        const start = new Date(Date.now() - 3_600_000);
        const ingestStarted = Date.now();
        const records = await ingest(sql, tenant, RECORDS, { start });
        const ingestMs = Date.now() - ingestStarted;
        await waitFor(
          async () => {
            const [d] = await db.admin<[{ n: number }]>`
              select consecutive_failures as n from stream_destinations where id = ${destination.id}`;
            return d!.n >= 3;
          },
          20_000,
          "the worker to fail against the stopped receiver",
        );
        expect(await pendingCount(db.admin, destination.id)).toBe(RECORDS);
        expect(logs.some((l) => /connection was refused/.test(l))).toBe(true);

        // A worker died holding the destination's lease: nobody sends until it runs out. The lease
        // is taken between two turns (when no live worker holds it), as a dead worker's would be.
        let lease: { until_ms: number } | undefined;
        await waitFor(
          async () => {
            [lease] = await db.admin<[{ until_ms: number }?]>`
              update stream_destinations set lease_owner = gen_random_uuid(), lease_until = now() + interval '1.5 seconds'
              where id = ${destination.id} and (lease_owner is null or lease_until < now())
              returning (extract(epoch from lease_until) * 1000)::float8 as until_ms`;
            return lease !== undefined;
          },
          20_000,
          "the lease to be free between two turns",
        );
        // Back, but slow: its first answers come after the worker stopped waiting (a lost
        // acknowledgement), so that batch is sent again with the same webhook-id, and the receiver
        // drops the copy.
        receiver.answerDelayMs = 1500;
        await receiver.up();
        await waitFor(() => receiver.requests > 0, 20_000, "a request to arrive");
        expect(Date.now()).toBeGreaterThanOrEqual(Number(lease!.until_ms));
        await waitFor(() => logs.some((l) => /did not answer within/.test(l)), 20_000, "a send to time out");
        receiver.answerDelayMs = 0;

        await waitFor(async () => (await pendingCount(db.admin, destination.id)) === 0, 120_000, "every record");
        const ids = receiver.events.map((e) => e.eventId as string);
        expect(ids).toHaveLength(RECORDS);
        expect(new Set(ids).size).toBe(RECORDS);
        expect(receiver.duplicateMessages).toBeGreaterThanOrEqual(1);
        expect(receiver.events.map((e) => e.time)).toEqual(records.map((r) => r.occurredAt.toISOString()));
        const [view] = await db.admin<[{ delivered: string; failures: number }]>`
          select delivered_count::text as delivered, consecutive_failures as failures
          from stream_destinations where id = ${destination.id}`;
        expect(view).toEqual({ delivered: String(RECORDS), failures: 0 });
        console.log(`ingested ${RECORDS} records in ${ingestMs} ms while the receiver was down`);
      } finally {
        await Promise.all(workers.map((w) => w.stop()));
        await receiver.close();
      }
    },
  );

  it(
    "the worker's database sessions killed mid-delivery: it carries on, every record once",
    { timeout: 120_000 },
    async () => {
      const secret = generateWebhookSecret();
      const receiver = await startWebhookReceiver(secret);
      const logs: string[] = [];
      const worker = startStreamWorker({ sql, policy, pollMs: 20, timeoutMs: 5000, log: (l) => logs.push(l) });
      try {
        const tenant = await createTenant(db.admin, "usgov");
        const destination = await addDestination(sql, tenant, {
          kind: "webhook",
          url: receiver.url(),
          secret,
          batchSize: 50,
        });
        receiver.answerDelayMs = 20; // slow enough that sessions die with batches in flight
        const records = await ingest(sql, tenant, 3000);
        for (let round = 0; round < 3; round++) {
          const before = receiver.events.length;
          await waitFor(() => receiver.events.length > before, 20_000, "delivery to go on");
          await db.admin`select pg_terminate_backend(pid) from pg_stat_activity
                       where application_name = 'stream-test' and datname = current_database()`;
        }
        await waitFor(async () => (await pendingCount(db.admin, destination.id)) === 0, 60_000, "every record");
        const ids = receiver.events.map((e) => e.eventId as string);
        expect(new Set(ids).size).toBe(records.length);
        expect(ids).toHaveLength(records.length);
      } finally {
        await worker.stop();
        await receiver.close();
      }
    },
  );
});
