import { withTenantSql } from "@/db/scope";
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  getDestination,
  listDestinations,
  replaySince,
  resumeDestination,
  updateDestination,
} from "@/db/streaming/destinations";
import { deliverDue, serveDestination } from "@/lib/streaming/deliver";
import { generateWebhookSecret, parseDestinationInput } from "@/lib/streaming/destination";
import { eventIdFor } from "@/lib/streaming/record";
import { signedWebhookHeaders } from "@/lib/streaming/transports/webhook";
import { createTenant } from "../support/fixtures";
import { addDestination, ingest, pendingCount } from "../support/stream-fixtures";
import { startHecReceiver, startWebhookReceiver, waitFor } from "../support/stream-receivers";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

const policy = { baseMs: 1, capMs: 5, maxFailures: 3 };
const options = { policy, timeoutMs: 5000 };

describe("log streaming", () => {
  let db: TestDatabase;
  let sql: postgres.Sql;

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = postgres(db.url, { max: 4, onnotice: () => {} });
  });
  afterAll(async () => {
    await sql.end({ timeout: 5 });
    await db.drop();
  });

  /** Runs delivery passes until nothing is due (retries wait a few ms here). */
  const drain = async (destinationId: string) => {
    await waitFor(
      async () => {
        await deliverDue({ sql, ...options });
        const d = await db.admin<[{ paused: boolean }]>`
          select paused_at is not null as paused from stream_destinations where id = ${destinationId}`;
        return d[0]!.paused || (await pendingCount(db.admin, destinationId)) === 0;
      },
      20_000,
      "the queue to drain",
    );
  };

  it("queues a record in its own transaction, only for matching enabled destinations of its tenant", async () => {
    const tenant = await createTenant(db.admin, "commercial");
    const other = await createTenant(db.admin, "commercial");
    const all = await addDestination(sql, tenant, { kind: "webhook", url: "http://127.0.0.1:9/all" });
    const failures = await addDestination(sql, tenant, {
      kind: "webhook",
      url: "http://127.0.0.1:9/failed",
      statuses: ["failed"],
    });
    const orders = await addDestination(sql, tenant, {
      kind: "webhook",
      url: "http://127.0.0.1:9/orders",
      operationTypes: ["create_order"],
    });
    const off = await addDestination(sql, tenant, { kind: "webhook", url: "http://127.0.0.1:9/off", enabled: false });
    const elsewhere = await addDestination(sql, other, { kind: "webhook", url: "http://127.0.0.1:9/other" });

    await ingest(sql, tenant, 3);
    await ingest(sql, tenant, 2, { operationStatus: "failed", operationType: "delete_user" });
    expect(await pendingCount(db.admin, all.id)).toBe(5);
    expect(await pendingCount(db.admin, failures.id)).toBe(2);
    expect(await pendingCount(db.admin, orders.id)).toBe(3);
    expect(await pendingCount(db.admin, off.id)).toBe(0);
    expect(await pendingCount(db.admin, elsewhere.id)).toBe(0);

    // A record that rolls back leaves nothing queued.
    await expect(
      sql.begin(async (tx) => {
        await tx`select set_config('app.maintenance', 'on', true)`;
        await tx`insert into activity_records (tenant_id, cloud, occurred_at, operation_type, resource_type, operation_status,
                   user_principal_name, application_id, correlation_id)
                 values (${tenant.tenantId}, 'commercial', date_trunc('milliseconds', now()), 'create_order', 'order', 'succeeded',
                   'a@b.example', 'x', ${randomUUID()})`;
        expect(await pendingCount(tx as unknown as postgres.Sql, all.id)).toBe(6);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await pendingCount(db.admin, all.id)).toBe(5);

    // Row-level security: the other tenant sees neither the destinations nor the queue.
    const seen = await withTenantSql(sql, other, (tx) => listDestinations(tx, other));
    expect(seen.map((d) => d.id)).toEqual([elsewhere.id]);
    await expect(withTenantSql(sql, other, (tx) => getDestination(tx, other, all.id))).rejects.toThrow(/no such/);
    const queue = await withTenantSql(sql, other, (tx) => tx`select count(*)::int as n from stream_outbox`);
    expect(queue[0]!.n).toBe(0);
    const mine = await withTenantSql(sql, tenant, (tx) => getDestination(tx, tenant, all.id));
    expect(mine).toMatchObject({ pending: 5, hasSecret: true });
    expect(JSON.stringify(mine)).not.toContain("whsec_");
  });

  it("delivers signed webhooks the standardwebhooks library verifies; it rejects a tampered body and an old timestamp", async () => {
    const secret = generateWebhookSecret();
    const receiver = await startWebhookReceiver(secret);
    try {
      const tenant = await createTenant(db.admin, "commercial");
      const destination = await addDestination(sql, tenant, {
        kind: "webhook",
        url: receiver.url("/hook"),
        secret,
        batchSize: 7,
      });
      const records = await ingest(sql, tenant, 25);
      await drain(destination.id);
      expect(receiver.rejected).toEqual([]);
      expect(receiver.events).toHaveLength(25);
      const ids = receiver.events.map((e) => e.eventId);
      expect(new Set(ids).size).toBe(25);
      expect(receiver.events.map((e) => e.time)).toEqual(records.map((r) => r.occurredAt.toISOString()));
      const view = await withTenantSql(sql, tenant, (tx) => getDestination(tx, tenant, destination.id));
      expect(view).toMatchObject({ deliveredCount: 25, pending: 0, consecutiveFailures: 0 });
      expect(view.lastDeliveredAt).toBeInstanceOf(Date);

      // The receiver's own checks, against requests signed like ours.
      const body = JSON.stringify({ id: "1" });
      const good = signedWebhookHeaders(secret, "msg_manual", body);
      const post = (headers: Record<string, string>, payload: string) =>
        fetch(receiver.url("/hook"), {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: payload,
        });
      expect((await post(good, body.replace("1", "2"))).status).toBe(401);
      const old = signedWebhookHeaders(secret, "msg_old", body, new Date(Date.now() - 10 * 60_000));
      expect((await post(old, body)).status).toBe(401);
      expect(receiver.rejected.map((r) => r.reason)).toEqual([
        expect.stringMatching(/signature/i),
        expect.stringMatching(/timestamp/i),
      ]);
      expect((await post(good, body)).status).toBe(204);
    } finally {
      await receiver.close();
    }
  });

  it("compresses a large batch with gzip, and sends it plain to a receiver that answers 415, losing and doubling nothing", async () => {
    const secret = generateWebhookSecret();
    const accepting = await startWebhookReceiver(secret);
    const refusing = await startWebhookReceiver(secret);
    refusing.refuseGzip = true;
    try {
      const tenant = await createTenant(db.admin, "commercial");
      const gzipped = await addDestination(sql, tenant, {
        kind: "webhook",
        url: accepting.url("/z"),
        secret,
        batchSize: 50,
      });
      const plain = await addDestination(sql, tenant, {
        kind: "webhook",
        url: refusing.url("/p"),
        secret,
        batchSize: 50,
      });
      const records = await ingest(sql, tenant, 120);
      await drain(gzipped.id);
      await drain(plain.id);
      for (const receiver of [accepting, refusing]) {
        expect(receiver.rejected).toEqual([]);
        expect(receiver.events.map((e) => e.time)).toEqual(records.map((r) => r.occurredAt.toISOString()));
        expect(receiver.duplicateMessages).toBe(0);
      }
      // Three batches (50, 50, 20), each well over GZIP_MIN_BYTES.
      expect(accepting.encodings).toEqual(["gzip", "gzip", "gzip"]);
      // One refusal, the same message plain at once, then plain from the start.
      expect(refusing.encodings).toEqual(["gzip", "identity", "identity", "identity"]);
      const view = await withTenantSql(sql, tenant, (tx) => getDestination(tx, tenant, plain.id));
      expect(view).toMatchObject({ deliveredCount: 120, consecutiveFailures: 0, lastError: null });
    } finally {
      await accepting.close();
      await refusing.close();
    }
  });

  it("reads the next batch while one is on the wire, yet a pause during the send stops the turn after it", async () => {
    const secret = generateWebhookSecret();
    const receiver = await startWebhookReceiver(secret);
    try {
      const tenant = await createTenant(db.admin, "commercial");
      const destination = await addDestination(sql, tenant, {
        kind: "webhook",
        url: receiver.url("/slow"),
        secret,
        batchSize: 10,
      });
      const records = await ingest(sql, tenant, 30);
      receiver.answerDelayMs = 400;
      const turn = serveDestination(sql, { ...tenant, id: destination.id }, options);
      await waitFor(() => receiver.requests === 1, 10_000, "the first batch to be on the wire");
      await db.admin`update stream_destinations set paused_at = now(), paused_reason = 'test' where id = ${destination.id}`;
      expect(await turn).toMatchObject({ delivered: 10 });
      expect(receiver.requests).toBe(1);
      expect(await pendingCount(db.admin, destination.id)).toBe(20);

      receiver.answerDelayMs = 0;
      await withTenantSql(sql, tenant, (tx) => resumeDestination(tx, tenant, destination.id));
      expect(await serveDestination(sql, { ...tenant, id: destination.id }, options)).toMatchObject({ delivered: 20 });
      expect(receiver.events.map((e) => e.time)).toEqual(records.map((r) => r.occurredAt.toISOString()));
      expect(receiver.requests).toBe(3);
    } finally {
      await receiver.close();
    }
  });

  it("delivers OCSF to a Splunk HEC endpoint with the token; a wrong token fails in words and retries", async () => {
    const receiver = await startHecReceiver("hec-token-1");
    try {
      const tenant = await createTenant(db.admin, "usgov");
      const destination = await addDestination(sql, tenant, {
        kind: "splunk_hec",
        url: receiver.url(),
        secret: "wrong-token",
        format: "ocsf",
      });
      await ingest(sql, tenant, 5, { operationType: "update_subscription" });
      const turn = await serveDestination(sql, { ...tenant, id: destination.id }, options);
      expect(turn).toMatchObject({ delivered: 0, error: expect.stringContaining("Invalid token (HEC code 4)") });
      let view = await withTenantSql(sql, tenant, (tx) => getDestination(tx, tenant, destination.id));
      expect(view).toMatchObject({ consecutiveFailures: 1, pending: 5, pausedAt: null });
      expect(view.lastError).toMatch(/answered 403/);

      // A new token starts afresh: no failure count, no waiting for the back-off.
      const fixed = parseDestinationInput(
        { name: "SIEM", kind: "splunk_hec", url: receiver.url(), secret: "hec-token-1", format: "ocsf" },
        { isNew: false },
      );
      await withTenantSql(sql, tenant, (tx) => updateDestination(tx, tenant, destination.id, fixed));
      await drain(destination.id);
      expect(receiver.events).toHaveLength(5);
      const first = receiver.events[0] as { sourcetype: string; event: Record<string, unknown> };
      expect(first.sourcetype).toBe("ocsf:api_activity");
      expect(first.event).toMatchObject({
        class_uid: 6003,
        type_uid: 600303,
        cloud: { provider: "Azure", cloud_partition: "AzureUSGovernment" },
        metadata: { tenant_uid: tenant.tenantId },
      });
      view = await withTenantSql(sql, tenant, (tx) => getDestination(tx, tenant, destination.id));
      expect(view).toMatchObject({ deliveredCount: 5, consecutiveFailures: 0 });
    } finally {
      await receiver.close();
    }
  });

  it("pauses after repeated failures with the reason, at once on 410 Gone, and resumes; ingestion goes on", async () => {
    const secret = generateWebhookSecret();
    const receiver = await startWebhookReceiver(secret);
    try {
      const tenant = await createTenant(db.admin, "commercial");
      const destination = await addDestination(sql, tenant, { kind: "webhook", url: receiver.url(), secret });
      receiver.answerWith = 400;
      await ingest(sql, tenant, 3);
      await drain(destination.id);
      let view = await withTenantSql(sql, tenant, (tx) => getDestination(tx, tenant, destination.id));
      expect(view.pausedReason).toMatch(/^Paused after 3 failed attempts in a row\. Last error: .*answered 400/);
      expect(view.pending).toBe(3);
      await ingest(sql, tenant, 2); // a paused destination keeps queueing
      expect(await pendingCount(db.admin, destination.id)).toBe(5);
      expect(await deliverDue({ sql, ...options })).toEqual([]);

      receiver.answerWith = 410;
      await withTenantSql(sql, tenant, (tx) => resumeDestination(tx, tenant, destination.id));
      await serveDestination(sql, { ...tenant, id: destination.id }, options);
      view = await withTenantSql(sql, tenant, (tx) => getDestination(tx, tenant, destination.id));
      expect(view.consecutiveFailures).toBe(1);
      expect(view.pausedReason).toMatch(/no longer accepts events/);

      receiver.answerWith = null;
      await withTenantSql(sql, tenant, (tx) => resumeDestination(tx, tenant, destination.id));
      await drain(destination.id);
      expect(receiver.events).toHaveLength(5);
    } finally {
      await receiver.close();
    }
  });

  it("replays from a chosen time with the same event ids, and keeps clouds apart", async () => {
    const secret = generateWebhookSecret();
    const receiver = await startWebhookReceiver(secret);
    try {
      const commercial = await createTenant(db.admin, "commercial");
      const usgov = await createTenant(db.admin, "usgov");
      const commercialDest = await addDestination(sql, commercial, {
        kind: "webhook",
        url: receiver.url("/commercial"),
        secret,
      });
      const usgovDest = await addDestination(sql, usgov, { kind: "webhook", url: receiver.url("/usgov"), secret });
      const start = new Date(Date.now() - 2 * 3_600_000);
      const records = await ingest(sql, commercial, 10, { start });
      await ingest(sql, usgov, 4, { start });
      await drain(commercialDest.id);
      await drain(usgovDest.id);
      const byPath = (p: string) => receiver.events.filter((_, i) => receiver.paths[i] === p);
      expect(byPath("/usgov")).toHaveLength(4);
      expect(byPath("/usgov").every((e) => e.cloud === "usgov" && e.tenantId === usgov.tenantId)).toBe(true);
      expect(byPath("/commercial")).toHaveLength(10);
      expect(byPath("/commercial").every((e) => e.cloud === "commercial" && e.tenantId === commercial.tenantId)).toBe(
        true,
      );

      // The schema itself refuses a usgov row on a commercial destination's queue.
      const [someUsgovRecord] = await db.admin<[{ id: string; occurred_at: Date }]>`
        select id::text, occurred_at from activity_records where tenant_id = ${usgov.tenantId} limit 1`;
      await expect(
        db.admin`insert into stream_outbox (tenant_id, cloud, destination_id, record_id, occurred_at)
                 values (${commercial.tenantId}, 'usgov', ${commercialDest.id}, ${someUsgovRecord!.id}, ${someUsgovRecord!.occurred_at})`,
      ).rejects.toThrow(/stream_outbox_destination_fk/);

      const before = receiver.events.length;
      const queued = await withTenantSql(sql, commercial, (tx) =>
        replaySince(tx, commercial, commercialDest.id, records[6]!.occurredAt),
      );
      expect(queued).toBe(4);
      await drain(commercialDest.id);
      const replayed = receiver.events.slice(before);
      expect(replayed.map((e) => e.eventId)).toEqual(
        records
          .slice(6)
          .map((_, i) => receiver.events.find((e) => e.time === records[6 + i]!.occurredAt.toISOString())!.eventId),
      );
      const [firstReplayed] = replayed;
      expect(firstReplayed!.eventId).toBe(eventIdFor(commercial.tenantId, Number(firstReplayed!.id)));
    } finally {
      await receiver.close();
    }
  });
});
