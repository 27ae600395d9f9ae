import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { APPLICATIONS, LICENSE_SKUS, OFFERS, OPERATION_MIX } from "@/db/seed/demo-data";
import { pick, seededRandom } from "@/db/seed/random";
import { createApiKey } from "@/db/api-keys";
import { SEAL_PERIOD_MS, sealLog } from "@/db/seals/seal-log";
import type { AppServer } from "../harness/app-server";
import type { BenchConfig } from "./config";
import { insertDirectory } from "./dataset";
import { benchTenant, type BenchTenant } from "./directory";
import { summarize, type Log, type Summary } from "../harness/util";
import { scopeMaintenanceSql } from "@/db/scope";

/*
 * Ingestion through the real API (POST /api/v1/activity-records, batches of 500 with a tenant's
 * API key) against a raw multi-row INSERT of the same rows through psql (records and details,
 * the same columns, the same batch size, one transaction per batch) into another tenant.
 *
 * Sealing is on: sealing is not on the request path (it runs periodically over whole ended hours
 * of `recorded_at`), so the API's timed window is the ingestion PLUS one seal run that covers
 * every ingested row (sealLog for that tenant with its clock moved to the end of the current
 * hour, so the hour holding the rows counts as ended). The ratio charges the API with sealing's
 * whole cost; ingestion alone is reported beside it.
 *
 * Each repetition uses two fresh, empty tenants (so a seal covers exactly the run's rows and a
 * kept data set can be measured again), and alternates which side runs first.
 */

interface RecordBody {
  eventId: string;
  occurredAt: string;
  operationType: string;
  resourceType: string;
  operationStatus: "succeeded" | "failed" | "progress";
  userPrincipalName: string;
  applicationId: string;
  customerId: string | null;
  customerName: string | null;
  correlationId: string;
  resourceOldValue?: unknown;
  resourceNewValue?: unknown;
  customizedData?: unknown;
}

/** `count` realistic records for `tenant`; the same `seed` gives the same shapes for any tenant. */
export function makeRecords(
  tenant: BenchTenant,
  count: number,
  seed: number,
  runId: string,
  endMs: number,
): RecordBody[] {
  const random = seededRandom(seed);
  const pickOf = <T>(items: readonly T[]) => pick(random, items);
  const startMs = endMs - 3_600_000;
  return Array.from({ length: count }, (_, i) => {
    const r = random();
    const [, operationType, resourceType] = OPERATION_MIX.find(([t]) => r < t)!;
    const s = random();
    const operationStatus = s < 0.9 ? "succeeded" : s < 0.97 ? "failed" : "progress";
    const customer = pickOf(tenant.customers);
    const noCustomer = operationType === "add_customer" && operationStatus === "failed";
    const user = `user${i % 300}@${customer.domain}`;
    let resourceOldValue: unknown;
    let resourceNewValue: unknown;
    switch (operationType) {
      case "create_order": {
        const items = random() < 0.35 ? 25 + Math.floor(random() * 36) : 1 + Math.floor(random() * 8);
        resourceNewValue = {
          orderId: randomUUID(),
          referenceCustomerId: customer.id,
          currencyCode: "USD",
          lineItems: Array.from({ length: items }, (_, n) => ({
            lineItemNumber: n + 1,
            offerName: pickOf(OFFERS),
            quantity: 1 + Math.floor(random() * 250),
            termDuration: pickOf(["P1M", "P1Y", "P3Y"]),
            billingCycle: pickOf(["monthly", "annual"]),
            subscriptionId: randomUUID(),
          })),
        };
        break;
      }
      case "update_subscription": {
        const quantity = 1 + Math.floor(random() * 200);
        const sub = { subscriptionId: randomUUID(), offerName: pickOf(OFFERS), status: "active" };
        resourceOldValue = { ...sub, quantity, autoRenewEnabled: true };
        resourceNewValue = {
          ...sub,
          quantity: Math.max(1, quantity + Math.floor(random() * 41) - 20),
          autoRenewEnabled: random() < 0.9,
        };
        break;
      }
      case "update_customer_user_licenses":
        resourceOldValue = { userPrincipalName: user, assignedLicenses: [pickOf(LICENSE_SKUS)] };
        resourceNewValue = { userPrincipalName: user, assignedLicenses: [pickOf(LICENSE_SKUS), pickOf(LICENSE_SKUS)] };
        break;
      case "add_customer":
        resourceNewValue = { companyName: customer.companyName, domain: customer.domain, country: "US" };
        break;
      case "create_referral":
        resourceNewValue = {
          referralId: randomUUID(),
          name: `${pickOf(OFFERS)} opportunity`,
          type: "Independent",
          dealValue: 1000 + Math.floor(random() * 99_000),
          currencyCode: "USD",
          status: "New",
        };
        break;
      default:
        resourceNewValue = operationType.includes("user")
          ? { userPrincipalName: user }
          : { customerId: noCustomer ? null : customer.id };
    }
    const customizedData =
      operationStatus === "failed"
        ? {
            errorCode: pickOf(["DomainAlreadyExists", "InsufficientPermissions", "QuotaExceeded", "InvalidInput"]),
            errorMessage: "The operation could not be completed.",
          }
        : undefined;
    const record: RecordBody = {
      eventId: `bench-${runId}-${i}`,
      occurredAt: new Date(startMs + Math.floor((i * 3_600_000) / count)).toISOString(),
      operationType,
      resourceType,
      operationStatus,
      userPrincipalName: pickOf(tenant.users).userPrincipalName,
      applicationId: pickOf(APPLICATIONS),
      customerId: noCustomer ? null : customer.id,
      customerName: noCustomer ? null : customer.companyName,
      correlationId: randomUUID(),
    };
    if (resourceOldValue !== undefined) record.resourceOldValue = resourceOldValue;
    if (resourceNewValue !== undefined) record.resourceNewValue = resourceNewValue;
    if (customizedData !== undefined) record.customizedData = customizedData;
    return record;
  });
}

const lit = (value: string | null | undefined) =>
  value === null || value === undefined ? "NULL" : `'${value.replace(/'/g, "''")}'`;
const json = (value: unknown) => (value === undefined || value === null ? "NULL" : lit(JSON.stringify(value)));

/** The psql script: per batch, one transaction with one multi-row INSERT per table. */
export function rawInsertScript(tenant: BenchTenant, records: RecordBody[], idBase: number, batchSize: number): string {
  const out: string[] = ["\\set ON_ERROR_STOP on"];
  for (let first = 0; first < records.length; first += batchSize) {
    const batch = records.slice(first, first + batchSize);
    const ids = batch.map((_, i) => idBase + first + i + 1);
    out.push("BEGIN;");
    out.push(
      "INSERT INTO activity_records (id, tenant_id, cloud, occurred_at, customer_id, customer_name, operation_type, resource_type, operation_status, user_principal_name, application_id, correlation_id) VALUES\n" +
        batch
          .map(
            (r, i) =>
              `(${ids[i]}, ${lit(tenant.id)}, ${lit(tenant.cloud)}, ${lit(r.occurredAt)}, ${lit(r.customerId)}, ${lit(r.customerName)}, ${lit(r.operationType)}, ${lit(r.resourceType)}, ${lit(r.operationStatus)}, ${lit(r.userPrincipalName)}, ${lit(r.applicationId)}, ${lit(r.correlationId)})`,
          )
          .join(",\n") +
        ";",
    );
    const withDetails = batch
      .map((r, i) => ({ r, id: ids[i] }))
      .filter(
        ({ r }) =>
          r.resourceOldValue !== undefined || r.resourceNewValue !== undefined || r.customizedData !== undefined,
      );
    if (withDetails.length > 0) {
      out.push(
        "INSERT INTO activity_record_details (tenant_id, occurred_at, record_id, resource_old_value, resource_new_value, customized_data) VALUES\n" +
          withDetails
            .map(
              ({ r, id }) =>
                `(${lit(tenant.id)}, ${lit(r.occurredAt)}, ${id}, ${json(r.resourceOldValue)}, ${json(r.resourceNewValue)}, ${json(r.customizedData)})`,
            )
            .join(",\n") +
          ";",
      );
    }
    out.push("COMMIT;");
  }
  return out.join("\n") + "\n";
}

function runPsqlFile(url: string, file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.env.PSQL ?? "/usr/bin/psql", [url, "-X", "-q", "-f", file], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", (error) => reject(error));
    child.on("exit", (code) =>
      code === 0
        ? resolve((performance.now() - t0) / 1000)
        : reject(new Error(`psql failed (exit ${code}): ${stderr.slice(0, 500)}`)),
    );
  });
}

export interface IngestRun {
  order: "api-first" | "raw-first";
  api: { ingestSeconds: number; sealSeconds: number; sealedRows: number; seals: number; batchMs: Summary };
  raw: { seconds: number };
}

export interface IngestResults {
  records: number;
  batchSize: number;
  concurrency: number;
  requestBytes: number;
  runs: IngestRun[];
  apiRecordsPerSecond: number;
  apiIngestOnlyRecordsPerSecond: number;
  rawRecordsPerSecond: number;
  sealSeconds: number;
}

async function postBatches(app: AppServer, key: string, bodies: string[], concurrency: number): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < bodies.length; i = next++) {
      const t0 = performance.now();
      const response = await fetch(`${app.baseUrl}/api/v1/activity-records`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: bodies[i],
      });
      const text = await response.text();
      latencies.push(performance.now() - t0);
      if (response.status !== 201) throw new Error(`ingestion answered HTTP ${response.status}: ${text.slice(0, 300)}`);
      const { records } = JSON.parse(text) as { records: Array<{ status: string }> };
      if (records.some((r) => r.status !== "created")) throw new Error("ingestion stored duplicates in a fresh tenant");
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return latencies;
}

export async function measureIngest(options: {
  app: AppServer;
  databaseUrl: string;
  config: BenchConfig;
  log: Log;
  workDir: string;
}): Promise<IngestResults> {
  const { app, databaseUrl, config, log } = options;
  const { records: count, batchSize, concurrency } = config.ingest;
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const dir = options.workDir;
  const runs: IngestRun[] = [];
  let requestBytes = 0;
  try {
    const now = Date.now();
    await sql`select ensure_activity_partitions(${new Date(now - 2 * 86_400_000).toISOString()}::timestamptz, ${new Date(now).toISOString()}::timestamptz)`;
    for (let rep = 0; rep < config.ingest.reps; rep++) {
      const runId = `${Date.now().toString(36)}-${rep}`;
      const apiTenant = benchTenant(config.dataset.seed, config.dataset.customersPerTenant, {
        key: `ingest-api-${runId}`,
        role: "ingest-api",
        name: `Bench Ingest API ${runId}`,
        records: 0,
      });
      const rawTenant = benchTenant(config.dataset.seed, config.dataset.customersPerTenant, {
        key: `ingest-raw-${runId}`,
        role: "ingest-raw",
        name: `Bench Ingest raw ${runId}`,
        records: 0,
      });
      await insertDirectory(sql, [apiTenant, rawTenant]);
      const { key } = await createApiKey({ sql, tenantId: apiTenant.id, name: `bench ${runId}` });

      // Both sides get the same shapes (same seed), each with its own tenant's customers and users.
      const endMs = Date.now() - 60_000;
      const apiRecords = makeRecords(apiTenant, count, config.dataset.seed + rep, runId, endMs);
      const rawRecords = makeRecords(rawTenant, count, config.dataset.seed + rep, runId, endMs);
      const bodies: string[] = [];
      for (let i = 0; i < apiRecords.length; i += batchSize)
        bodies.push(JSON.stringify({ records: apiRecords.slice(i, i + batchSize) }));
      requestBytes = bodies.reduce((n, b) => n + Buffer.byteLength(b), 0);
      const [{ base }] = await sql<[{ base: string }]>`
        select setval('activity_records_id_seq', nextval('activity_records_id_seq') + ${count}) - ${count} - 1 as base`;
      const script = path.join(dir, `raw-${rep}.sql`);
      writeFileSync(script, rawInsertScript(rawTenant, rawRecords, Number(base), batchSize));

      const runApi = async () => {
        log(
          `ingest: ${count.toLocaleString("en-US")} records through the API in batches of ${batchSize} (${concurrency} in flight)`,
        );
        const t0 = performance.now();
        const latencies = await postBatches(app, key, bodies, concurrency);
        const ingestSeconds = (performance.now() - t0) / 1000;
        const t1 = performance.now();
        // The clock at the end of this hour: the hour holding the rows counts as ended.
        const sealNow = new Date(Math.floor(Date.now() / SEAL_PERIOD_MS) * SEAL_PERIOD_MS + SEAL_PERIOD_MS);
        const sealed = await sealLog({ sql, tenantId: apiTenant.id, now: sealNow, graceMs: 0 });
        const sealSeconds = (performance.now() - t1) / 1000;
        const result = sealed.tenants[0];
        log(
          `  API: ${ingestSeconds.toFixed(2)} s + seal ${sealSeconds.toFixed(2)} s (${result?.rows ?? 0} rows in ${result?.sealed ?? 0} seal(s))`,
        );
        return {
          ingestSeconds,
          sealSeconds,
          sealedRows: result?.rows ?? 0,
          seals: result?.sealed ?? 0,
          batchMs: summarize(latencies),
        };
      };
      const runRaw = async () => {
        log(`ingest: the same ${count.toLocaleString("en-US")} records as raw multi-row INSERTs through psql`);
        const seconds = await runPsqlFile(databaseUrl, script);
        log(`  raw INSERT: ${seconds.toFixed(2)} s`);
        return { seconds };
      };
      const apiFirst = rep % 2 === 0;
      let api: IngestRun["api"];
      let raw: IngestRun["raw"];
      if (apiFirst) {
        api = await runApi();
        raw = await runRaw();
      } else {
        raw = await runRaw();
        api = await runApi();
      }
      if (api.sealedRows !== count) throw new Error(`the seal run covered ${api.sealedRows} rows, expected ${count}`);

      const counts = await sql.begin(async (tx) => {
        await scopeMaintenanceSql(tx);
        return tx<Array<{ tenant_id: string; records: number; details: number }>>`
          select t.id as tenant_id,
                 (select count(*)::int from activity_records r where r.tenant_id = t.id) as records,
                 (select count(*)::int from activity_record_details d where d.tenant_id = t.id) as details
          from partner_tenants t where t.id in (${apiTenant.id}, ${rawTenant.id})`;
      });
      const [a, b] = [
        counts.find((c) => c.tenant_id === apiTenant.id)!,
        counts.find((c) => c.tenant_id === rawTenant.id)!,
      ];
      if (a.records !== count || b.records !== count || a.details !== b.details) {
        throw new Error(
          `ingested rows differ: API ${a.records} records / ${a.details} details, raw ${b.records} / ${b.details}`,
        );
      }
      runs.push({ order: apiFirst ? "api-first" : "raw-first", api, raw });
      rmSync(script, { force: true });
    }
  } finally {
    await sql.end({ timeout: 5 });
  }

  const api = summarize(runs.map((r) => r.api.ingestSeconds + r.api.sealSeconds)).median;
  const apiOnly = summarize(runs.map((r) => r.api.ingestSeconds)).median;
  const raw = summarize(runs.map((r) => r.raw.seconds)).median;
  return {
    records: count,
    batchSize,
    concurrency,
    requestBytes,
    runs,
    apiRecordsPerSecond: count / api,
    apiIngestOnlyRecordsPerSecond: count / apiOnly,
    rawRecordsPerSecond: count / raw,
    sealSeconds: summarize(runs.map((r) => r.api.sealSeconds)).median,
  };
}
