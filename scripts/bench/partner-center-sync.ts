import { randomUUID } from "node:crypto";
import { createReadStream, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { ensureDemoConnection } from "@/db/seed/demo-partner-center";
import { encryptSecret, generateSecretsKey, secretsKey } from "@/lib/secret-box";
import { IMPORT_BATCH_SIZE, importAuditRecords } from "@/lib/partner-center/import";
import { readAuditRecords } from "@/lib/partner-center/payload";
import { startPartnerCenterStandin } from "@/lib/partner-center/standin/server";
import type { RetryPolicy } from "@/lib/partner-center/sync/retry";
import { SECRET_PURPOSE, syncTenant } from "@/lib/partner-center/sync/sync-tenant";
import { scopeMaintenanceSql } from "@/db/scope";
import type { BenchConfig } from "./config";
import type { Log } from "../harness/util";

/*
 * The Partner Center sync against importing the same records from a file, side by side: the
 * sync reads the API's 90 days from the local stand-in (token, HTTP, JSON, one day at a time,
 * checkpoints) into one fresh tenant; the file side reads the same records, as an NDJSON export
 * of the same API, through the import the CLI uses, into another. Both store through the same
 * import, so the ratio is what the connector itself costs. Each repetition alternates the order.
 */

export interface SyncRun {
  order: "sync first" | "file first";
  records: number;
  syncSeconds: number;
  fileSeconds: number;
}

export interface SyncResults {
  records: number;
  runs: SyncRun[];
  syncRecordsPerSecond: number;
  fileRecordsPerSecond: number;
}

const NO_FAULTS: RetryPolicy = { attempts: 3, baseMs: 100, capMs: 1_000, timeoutMs: 60_000, maxRetryAfterMs: 5_000 };

async function freshTenant(sql: postgres.Sql, name: string): Promise<string> {
  const id = randomUUID();
  await sql.begin(async (tx) => {
    await scopeMaintenanceSql(tx);
    await tx`insert into partner_tenants (id, cloud, name) values (${id}, 'commercial', ${name})`;
  });
  return id;
}

async function storedCount(sql: postgres.Sql, tenantId: string): Promise<number> {
  const [{ n }] = await sql.begin(async (tx) => {
    await scopeMaintenanceSql(tx);
    return tx<[{ n: number }]>`select count(*)::int as n from activity_records where tenant_id = ${tenantId}`;
  });
  return n;
}

export async function measurePartnerCenterSync(options: {
  databaseUrl: string;
  config: BenchConfig;
  log: Log;
  workDir: string;
}): Promise<SyncResults> {
  const { recordsPerDay, reps } = options.config.sync;
  const sql = postgres(options.databaseUrl, { max: 4, onnotice: () => {} });
  const runs: SyncRun[] = [];
  const secrets = { SECRETS_KEY: process.env.SECRETS_KEY || generateSecretsKey() };
  const DAY = 86_400_000;
  try {
    for (let rep = 0; rep < reps; rep++) {
      const syncTenantId = await freshTenant(sql, `Bench sync ${rep + 1}`);
      const fileTenantId = await freshTenant(sql, `Bench file ${rep + 1}`);
      const now = Date.now();
      const standin = await startPartnerCenterStandin({
        now: () => now,
        partners: [syncTenantId, fileTenantId].map((tenantId) => ({
          tenantId,
          cloud: "commercial" as const,
          clientId: "bench-client",
          clientSecret: "bench-secret",
          recordsPerDay,
        })),
      });
      const env = { ...secrets, PARTNER_CENTER_AUTHORITY_COMMERCIAL: standin.authorityFor("commercial") };
      try {
        await ensureDemoConnection(
          sql,
          { tenantId: syncTenantId, cloud: "commercial" },
          {
            clientId: "bench-client",
            sealedSecret: encryptSecret("bench-secret", SECRET_PURPOSE, syncTenantId, secretsKey(secrets)),
            baseUrl: standin.url,
          },
        );
        // The file: what the same API serves for the other tenant, one envelope of records per line.
        const file = path.join(options.workDir, `partner-center-${rep}.ndjson`);
        // The sync's own window: whole UTC days from the first one inside the API's 90 days.
        const from = (Math.floor((now - 90 * DAY) / DAY) + 1) * DAY;
        const records = standin.recordsBetween(fileTenantId, new Date(from), new Date(now));
        writeFileSync(file, records.map((r) => JSON.stringify(r)).join("\n") + "\n");

        const bySync = async () => {
          const started = performance.now();
          const result = await syncTenant(
            sql,
            { tenantId: syncTenantId, cloud: "commercial" },
            {
              now: () => new Date(now),
              env,
              policy: NO_FAULTS,
            },
          );
          if (result.status !== "done") throw new Error(`the sync failed: ${result.error}`);
          return (performance.now() - started) / 1000;
        };
        const byFile = async () => {
          const started = performance.now();
          let batch: unknown[] = [];
          const scope = { tenantId: fileTenantId, cloud: "commercial" as const };
          for await (const record of readAuditRecords(createReadStream(file))) {
            batch.push(record);
            if (batch.length >= IMPORT_BATCH_SIZE) {
              await importAuditRecords(sql, scope, batch, { now: new Date(now) });
              batch = [];
            }
          }
          if (batch.length) await importAuditRecords(sql, scope, batch, { now: new Date(now) });
          return (performance.now() - started) / 1000;
        };
        const syncFirst = rep % 2 === 0;
        let syncSeconds: number;
        let fileSeconds: number;
        if (syncFirst) {
          syncSeconds = await bySync();
          fileSeconds = await byFile();
        } else {
          fileSeconds = await byFile();
          syncSeconds = await bySync();
        }
        const [synced, imported] = [await storedCount(sql, syncTenantId), await storedCount(sql, fileTenantId)];
        // Both sides stored every record, once.
        if (imported !== records.length || synced !== records.length) {
          throw new Error(`sync stored ${synced}, file stored ${imported}, of ${records.length}`);
        }
        runs.push({
          order: syncFirst ? "sync first" : "file first",
          records: records.length,
          syncSeconds,
          fileSeconds,
        });
        options.log(
          `partner center sync #${rep + 1}: ${records.length} records, sync ${syncSeconds.toFixed(2)} s, file ${fileSeconds.toFixed(2)} s`,
        );
        rmSync(file, { force: true });
      } finally {
        await standin.close();
      }
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
  const total = (pick: (r: SyncRun) => number) => runs.reduce((n, r) => n + pick(r), 0);
  const records = total((r) => r.records);
  return {
    records: runs[0]?.records ?? 0,
    runs,
    syncRecordsPerSecond: records / total((r) => r.syncSeconds),
    fileRecordsPerSecond: records / total((r) => r.fileSeconds),
  };
}
