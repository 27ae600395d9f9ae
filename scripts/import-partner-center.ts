/*
 * `npm run import-partner-center -- --tenant <uuid> <file|->`: Partner Center audit records from a
 * file (or standard input) into one tenant's log. Takes Partner Center's response envelope, a bare
 * array or one record per line, with or without a byte-order mark, streamed in bounded memory and
 * stored in batches (each all or nothing). A refused batch is reported with the records' positions
 * in the file and the import goes on; running it again stores nothing twice.
 */
import { createReadStream } from "node:fs";
import { parseArgs } from "node:util";
import { findTenant } from "@/db/queries/tenants";
import { AppError, ConfigError } from "@/lib/errors";
import type { RecordError } from "@/lib/ingest/record-schema";
import { IMPORT_BATCH_SIZE, importAuditRecords } from "@/lib/partner-center/import";
import { readAuditRecords } from "@/lib/partner-center/payload";
import { isUuid } from "@/lib/uuid";
import { runScript, withScriptSql } from "./with-database";

const USAGE = "usage: npm run import-partner-center -- --tenant <uuid> <file|->";
const MAX_ERRORS_SHOWN = 20;

runScript("import-partner-center", () => {
  const { positionals, values } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { tenant: { type: "string" } },
  });
  const [file] = positionals;
  if (!values.tenant || !file || positionals.length > 1) throw new ConfigError(USAGE);
  if (!isUuid(values.tenant)) throw new ConfigError(`--tenant must be a tenant id (a UUID); got "${values.tenant}"`);
  const tenantId = values.tenant.toLowerCase();

  return withScriptSql(async (sql) => {
    const tenant = await findTenant(sql, tenantId);
    if (!tenant) throw new ConfigError(`no partner tenant ${tenantId}`);
    const source = file === "-" ? process.stdin : createReadStream(file);
    const counts = { stored: 0, alreadyPresent: 0, refused: 0 };
    let shown = 0;
    const report = (error: unknown, first: number, size: number) => {
      counts.refused += size;
      if (!(error instanceof AppError)) throw error;
      console.error(`records ${first}-${first + size - 1} refused: ${error.message}`);
      const errors = ((error.details as { errors?: RecordError[] } | undefined)?.errors ?? []).slice(
        0,
        Math.max(0, MAX_ERRORS_SHOWN - shown),
      );
      for (const e of errors) console.error(`  record ${e.index}${e.field ? ` ${e.field}` : ""}: ${e.message}`);
      shown += errors.length;
    };

    let batch: unknown[] = [];
    let next = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const items = batch;
      const first = next;
      batch = [];
      next += items.length;
      try {
        const result = await importAuditRecords(sql, { tenantId, cloud: tenant.cloud }, items, { firstIndex: first });
        counts.stored += result.stored;
        counts.alreadyPresent += result.alreadyPresent;
      } catch (error) {
        report(error, first, items.length);
      }
    };
    try {
      for await (const record of readAuditRecords(source)) {
        batch.push(record);
        if (batch.length >= IMPORT_BATCH_SIZE) await flush();
      }
      await flush();
    } catch (error) {
      // The file itself is broken: what came before stays stored (re-running stores nothing twice).
      if (!(error instanceof AppError)) throw error;
      console.error(`stopped after ${next + batch.length} records: ${error.message}`);
      counts.refused += batch.length;
      console.log(summary(tenant.name, counts));
      return 1;
    }
    console.log(summary(tenant.name, counts));
    return counts.refused > 0 ? 1 : 0;
  });
});

function summary(name: string, c: { stored: number; alreadyPresent: number; refused: number }): string {
  const n = (v: number) => v.toLocaleString("en-US");
  return `${name}: ${n(c.stored)} stored, ${n(c.alreadyPresent)} already present, ${n(c.refused)} refused`;
}
