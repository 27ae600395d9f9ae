import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { gunzipSync } from "node:zlib";
import type { AddressInfo } from "node:net";
import postgres from "postgres";
import { Webhook } from "standardwebhooks";
import { createWorkerSql } from "@/db/client";
import { storeRecords } from "@/db/mutations/ingest-batch";
import { scopeMaintenanceSql, type TenantScope } from "@/db/scope";
import { insertDestination } from "@/db/streaming/destinations";
import { withTenantSql } from "@/db/scope";
import type { IngestRecord } from "@/lib/ingest/record-schema";
import { startStreamWorker } from "@/lib/streaming/deliver";
import { generateWebhookSecret, parseDestinationInput } from "@/lib/streaming/destination";
import { eventIdFor } from "@/lib/streaming/record";
import type { BenchConfig } from "./config";
import { summarize, type Log, type Summary } from "../harness/util";

/*
 * Delivery against ingestion, side by side in one run: records are stored through the ingestion
 * path (batches of 500) into a fresh tenant with one webhook destination (NDJSON batches of 500), while the delivery
 * worker, as npm start runs it, sends them to a local receiver that verifies every signature with
 * the standardwebhooks library. Delivered per second (from the first store to the last event
 * received) against stored per second, and each record's lag: received minus stored.
 */

/** Events per webhook request (NDJSON): as many as the ingestion API takes in one request. */
const BATCH_SIZE = 500;

export interface StreamingResults {
  records: number;
  batchSize: number;
  ingestSeconds: number;
  deliverSeconds: number;
  ingestRecordsPerSecond: number;
  deliveredRecordsPerSecond: number;
  lagMs: Summary;
  maxLagMs: number;
  rejected: number;
}

function records(count: number, start: number): IngestRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    eventId: `bench-stream-${randomUUID()}`,
    occurredAt: new Date(start + i),
    operationType: i % 3 ? "update_subscription" : "create_order",
    resourceType: i % 3 ? "subscription" : "order",
    operationStatus: i % 17 ? "succeeded" : "failed",
    userPrincipalName: `user${i % 50}@contoso.example`,
    applicationId: "Bench",
    customerId: null,
    customerName: `Customer ${i % 40}`,
    correlationId: randomUUID(),
    resourceOldValue: { quantity: 10 + (i % 90) },
    resourceNewValue: { quantity: 11 + (i % 90), autoRenewEnabled: true },
    customizedData: null,
    payloadHash: randomUUID(),
    sourceRecord: null,
  }));
}

export async function measureLogStreaming(options: {
  databaseUrl: string;
  config: BenchConfig;
  log: Log;
}): Promise<StreamingResults> {
  const count = options.config.ingest.records;
  const sql = postgres(options.databaseUrl, { max: 4, onnotice: () => {} });
  const workerSql = createWorkerSql(options.databaseUrl, 6, "bench-stream");
  const secret = generateWebhookSecret();
  const webhook = new Webhook(secret);
  const received = new Map<string, number>();
  let rejected = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const body = (req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString("utf8");
      try {
        webhook.verify(body, req.headers as Record<string, string>, { jsonParse: false });
      } catch {
        rejected++;
        res.writeHead(401).end();
        return;
      }
      const at = performance.now();
      for (const line of body.split("\n")) {
        if (!line) continue;
        const id = (JSON.parse(line) as { eventId?: string }).eventId;
        if (id && !received.has(id)) received.set(id, at);
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.STREAM_PRIVATE_NETWORKS ??= "allow"; // the bench's receiver is on this machine
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  const worker = startStreamWorker({ sql: workerSql, pollMs: 50, timeoutMs: 30_000, log: () => {} });
  try {
    const scope: TenantScope = { tenantId: randomUUID(), cloud: "commercial" };
    await sql.begin(async (tx) => {
      await scopeMaintenanceSql(tx);
      await tx`insert into partner_tenants (id, cloud, name) values (${scope.tenantId}, 'commercial', 'Bench streaming')`;
    });
    const input = parseDestinationInput(
      { name: "Bench SIEM", kind: "webhook", url, secret, batchSize: BATCH_SIZE },
      { isNew: true },
    );
    await withTenantSql(sql, scope, (tx) => insertDestination(tx, scope, input));

    const all = records(count, Date.now() - 3_600_000);
    const storedAt = new Map<string, number>();
    options.log(`streaming: ${count.toLocaleString("en-US")} records stored while the worker delivers them`);
    const t0 = performance.now();
    for (let i = 0; i < all.length; i += 500) {
      const stored = await storeRecords(sql, scope, all.slice(i, i + 500), { knownCustomersOnly: false });
      const at = performance.now();
      for (const r of stored) storedAt.set(eventIdFor(scope.tenantId, r.id), at);
    }
    const ingestSeconds = (performance.now() - t0) / 1000;
    const deadline = performance.now() + 600_000;
    while (received.size < count) {
      if (performance.now() > deadline) throw new Error(`only ${received.size} of ${count} events arrived`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const last = Math.max(...received.values());
    const deliverSeconds = (last - t0) / 1000;
    const lags = [...storedAt].map(([id, at]) => Math.max(0, (received.get(id) ?? last) - at));
    const lagMs = summarize(lags);
    options.log(
      `  stored in ${ingestSeconds.toFixed(2)} s, all delivered after ${deliverSeconds.toFixed(2)} s; lag median ${lagMs.median.toFixed(0)} ms, max ${Math.max(...lags).toFixed(0)} ms`,
    );
    return {
      records: count,
      batchSize: BATCH_SIZE,
      ingestSeconds,
      deliverSeconds,
      ingestRecordsPerSecond: count / ingestSeconds,
      deliveredRecordsPerSecond: count / deliverSeconds,
      lagMs,
      maxLagMs: Math.max(...lags),
      rejected,
    };
  } finally {
    await worker.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await workerSql.end({ timeout: 5 });
    await sql.end({ timeout: 5 });
  }
}
