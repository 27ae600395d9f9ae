import type { Sql } from "postgres";
import type { TenantScope } from "@/db/scope";
import { AppError } from "@/lib/errors";
import { MAX_RECORDS_PER_REQUEST } from "@/lib/ingest/limits";
import { checkRecordTimes } from "@/lib/ingest/partitions";
import type { IngestRecord, RecordError } from "@/lib/ingest/record-schema";
import { storeRecords, type StoredStatus } from "@/db/mutations/ingest-batch";
import { parseAuditRecord } from "./audit-record";

/*
 * Imports a batch of Partner Center AuditRecords, all or nothing, through the same store as our
 * own ingestion (one transaction, idempotent by event id). The HTTP route sends one request's
 * records; the CLI sends a large file in batches of this size.
 */

export const IMPORT_BATCH_SIZE = 500;

export interface ImportedRecord {
  /** Position in the request or file. */
  index: number;
  id: number;
  status: StoredStatus;
}

export interface ImportResult {
  stored: number;
  alreadyPresent: number;
  records: ImportedRecord[];
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

export async function importAuditRecords(
  sql: Sql,
  scope: TenantScope,
  items: unknown[],
  { now = new Date(), firstIndex = 0 }: { now?: Date; firstIndex?: number } = {},
): Promise<ImportResult> {
  if (items.length === 0) throw new AppError("bad_request", "The request holds no audit records.");
  if (items.length > MAX_RECORDS_PER_REQUEST) {
    throw new AppError(
      "payload_too_large",
      `A request can hold at most ${MAX_RECORDS_PER_REQUEST.toLocaleString("en-US")} audit records; this one holds ${items.length.toLocaleString("en-US")}. Send Partner Center's pages one at a time, or use npm run import-partner-center for a file.`,
    );
  }

  const errors: RecordError[] = [];
  const unique: IngestRecord[] = [];
  const uniqueIndex: number[] = []; // unique position -> index in the batch
  // Overlapping pages repeat records: the same record twice is one record, not an error.
  const firstOf = new Map<string, { position: number; index: number; payloadHash: string }>();
  const sameAs: number[] = []; // batch position -> unique position
  items.forEach((item, i) => {
    const index = firstIndex + i;
    const parsed = parseAuditRecord(item, index, scope.tenantId);
    if (!parsed.ok) {
      errors.push(...parsed.errors);
      return;
    }
    const seen = firstOf.get(parsed.record.eventId);
    if (seen !== undefined) {
      if (seen.payloadHash !== parsed.record.payloadHash) {
        errors.push({
          index,
          field: "id",
          message: `repeats the id of record ${seen.index} with different content.`,
        });
      }
      sameAs[i] = seen.position;
      return;
    }
    firstOf.set(parsed.record.eventId, { position: unique.length, index, payloadHash: parsed.record.payloadHash });
    sameAs[i] = unique.length;
    unique.push(parsed.record);
    uniqueIndex.push(index);
  });

  if (errors.length > 0) {
    const foreign = errors.find((e) => e.field === "partnerId" && e.message !== "is required.");
    const invalid = new Set(errors.map((e) => e.index)).size;
    throw new AppError(
      "bad_request",
      foreign
        ? `Record ${foreign.index} belongs to another partner; the whole batch was refused and nothing was stored.`
        : `${plural(invalid, "audit record is", "audit records are")} invalid; nothing was stored.`,
      { errors },
    );
  }

  const timeErrors = (await checkRecordTimes(sql, unique, now)).map((e) => ({
    ...e,
    index: uniqueIndex[e.index],
    field: "operationDate",
  }));
  if (timeErrors.length > 0) {
    throw new AppError(
      "bad_request",
      `${plural(new Set(timeErrors.map((e) => e.index)).size, "audit record has", "audit records have")} an operationDate the log cannot store; nothing was stored.`,
      { errors: timeErrors },
    );
  }

  let stored;
  try {
    stored = await storeRecords(sql, scope, unique, { knownCustomersOnly: false });
  } catch (error) {
    // The store names positions in what it was given: name them in the caller's batch instead.
    if (error instanceof AppError && error.code === "conflict") {
      const details = error.details as { errors?: RecordError[] } | undefined;
      throw new AppError(
        "conflict",
        "Some audit records have the id of a different record already in the log; nothing was stored.",
        { errors: (details?.errors ?? []).map((e) => ({ ...e, index: uniqueIndex[e.index], field: "id" })) },
      );
    }
    throw error;
  }

  const records = items.map((_, i): ImportedRecord => {
    const position = sameAs[i];
    const first = position === undefined ? undefined : stored[position];
    // Every item was either refused above or handed to the store, which answers for each.
    if (position === undefined || first === undefined) throw new Error(`Audit record ${firstIndex + i} has no result.`);
    const repeat = uniqueIndex[position] !== firstIndex + i;
    return { index: firstIndex + i, id: first.id, status: repeat ? "duplicate" : first.status };
  });
  const created = stored.filter((r) => r.status === "created").length;
  return { stored: created, alreadyPresent: items.length - created, records };
}
