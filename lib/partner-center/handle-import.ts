import { getSql } from "@/db/client";
import { authenticateApiKey, readJsonBodyText, type IngestDeps } from "@/lib/ingest/handle-request";
import { importAuditRecords, type ImportResult } from "./import";
import { parsePayloadText } from "./payload";

/*
 * POST /api/v1/partner-center/audit-records: Partner Center's records as its API returned them,
 * with the tenant's API key (ingest scope). The same refusals, in the same order, as our own
 * ingestion; 201 when any record was stored, 200 when every one was already in the log.
 */
export async function handleImport(
  request: Request,
  deps: IngestDeps = {},
): Promise<{ status: 200 | 201; body: ImportResult }> {
  const sql = deps.sql ?? getSql();
  const key = await authenticateApiKey(request, "ingest", deps);
  const items = parsePayloadText(await readJsonBodyText(request));
  const result = await importAuditRecords(sql, key, items, { now: deps.now?.() });
  return { status: result.stored > 0 ? 201 : 200, body: result };
}
