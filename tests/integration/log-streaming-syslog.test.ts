import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverDue } from "@/lib/streaming/deliver";
import { eventIdFor } from "@/lib/streaming/record";
import { createTenant } from "../support/fixtures";
import { addDestination, ingest, pendingCount } from "../support/stream-fixtures";
import { parseRfc5424, startRsyslog, startTlsSyslogReceiver, waitFor } from "../support/stream-receivers";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

const options = { policy: { baseMs: 1, capMs: 20, maxFailures: 1000 }, timeoutMs: 5000 };

describe("log streaming to rsyslog (RFC 5424 over TCP, octet counting)", () => {
  let db: TestDatabase;
  let sql: postgres.Sql;
  let rsyslog: Awaited<ReturnType<typeof startRsyslog>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = postgres(db.url, { max: 4, onnotice: () => {} });
    rsyslog = await startRsyslog();
  });
  afterAll(async () => {
    await rsyslog?.close();
    await sql.end({ timeout: 5 });
    await db.drop();
  });

  it("receives a burst once each, parseable, with facility 13 and the record's fields; an outage loses nothing", async () => {
    const tenant = await createTenant(db.admin, "usgov");
    const destination = await addDestination(sql, tenant, {
      kind: "syslog",
      host: "127.0.0.1",
      port: rsyslog.port,
      batchSize: 250,
    });
    const burst = await ingest(sql, tenant, 1000, { operationStatus: "failed", operationType: "update_subscription" });

    const drained = async () => {
      await deliverDue({ sql, ...options });
      return (await pendingCount(db.admin, destination.id)) === 0;
    };
    await waitFor(drained, 30_000, "the burst to be delivered");
    await waitFor(() => rsyslog.lines().length >= 1000, 15_000, "rsyslog to write the burst");

    // Down while more records arrive: they wait in the outbox, then arrive once rsyslog is back.
    await rsyslog.down();
    const later = await ingest(sql, tenant, 500, { start: new Date(Date.now() - 60_000) });
    await deliverDue({ sql, ...options });
    expect(await pendingCount(db.admin, destination.id)).toBe(500);
    await rsyslog.up();
    await db.admin`update stream_destinations set next_attempt_at = now() where id = ${destination.id}`;
    await waitFor(drained, 30_000, "the queue to drain after the outage");
    await waitFor(() => rsyslog.lines().length >= 1500, 15_000, "rsyslog to write the rest");

    const messages = rsyslog.lines().map(parseRfc5424);
    expect(messages).toHaveLength(1500);
    const ids = messages.map((m) => m.params.eventId);
    expect(new Set(ids).size).toBe(1500);
    const expected = [...burst, ...later];
    const byEvent = new Map(messages.map((m) => [m.params.eventId, m]));
    const [first] = messages;
    expect(first).toMatchObject({
      facility: 13,
      severity: 4,
      appName: "partner-activity-log",
      msgId: "update_subscription",
      sdId: "activity@32473",
      params: { tenantId: tenant.tenantId, cloud: "usgov", status: "failed", operation: "update_subscription" },
    });
    expect(first!.message).toMatchObject({ tenantId: tenant.tenantId, eventId: first!.params.eventId });
    // The escaped characters in the JSON message survive the trip.
    expect((first!.message.details as { resourceNewValue: { note: string } }).resourceNewValue.note).toBe(
      'quote " backslash \\ bracket ]',
    );
    expect(messages.filter((m) => m.severity === 6)).toHaveLength(500);
    const stored = await db.admin<Array<{ id: string }>>`
      select id::text from activity_records where tenant_id = ${tenant.tenantId}`;
    for (const r of stored) expect(byEvent.has(eventIdFor(tenant.tenantId, Number(r.id)))).toBe(true);
    expect(stored).toHaveLength(expected.length);
    // In the tenant's order: occurredAt never goes back within the burst, nor within the later ones.
    const times = messages.map((m) => Date.parse(m.timestamp));
    expect(times.slice(0, 1000)).toEqual([...times.slice(0, 1000)].sort((a, b) => a - b));
  });

  it("sends over TLS to a receiver whose certificate it was told to trust, and refuses one it was not", async () => {
    const receiver = await startTlsSyslogReceiver();
    try {
      const tenant = await createTenant(db.admin, "commercial");
      const untrusted = await addDestination(sql, tenant, {
        kind: "syslog",
        host: "127.0.0.1",
        port: receiver.port,
        tls: true,
      });
      const trusted = await addDestination(sql, tenant, {
        kind: "syslog",
        host: "127.0.0.1",
        port: receiver.port,
        tls: true,
        tlsCa: receiver.ca,
        format: "ocsf",
      });
      await ingest(sql, tenant, 20);
      await waitFor(
        async () => {
          await deliverDue({ sql, ...options });
          return (await pendingCount(db.admin, trusted.id)) === 0;
        },
        20_000,
        "delivery over TLS",
      );
      const parsed = receiver.messages.map(parseRfc5424);
      expect(parsed).toHaveLength(20);
      expect(parsed[0]!.message).toMatchObject({ class_uid: 6003, cloud: { cloud_partition: "AzureCloud" } });
      expect(parsed[0]!.severity).toBe(6);
      const [view] = await db.admin<[{ last_error: string }]>`
        select last_error from stream_destinations where id = ${untrusted.id}`;
      expect(view!.last_error).toMatch(/certificate .* was not accepted/);
      expect(await pendingCount(db.admin, untrusted.id)).toBe(20);
    } finally {
      await receiver.close();
    }
  });
});
