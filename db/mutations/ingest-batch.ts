import type { Sql, TransactionSql } from "postgres";
import { scopeTenantSql, type TenantScope } from "../scope";
import { AppError } from "@/lib/errors";
import type { IngestRecord, JsonTexts, RecordError } from "@/lib/ingest/record-schema";

/*
 * Stores a validated batch, all or nothing, in one transaction as the request role scoped to the
 * key's tenant and cloud (row-level security checks every row against them).
 *
 * Set-based: one statement checks the customers, inserts the idempotency keys, the records and
 * their details together, from arrays (unnest), whatever the batch size. The idempotency table is
 * the arbiter: `INSERT ... ON CONFLICT DO NOTHING` claims each new eventId; only claimed events
 * become records. A concurrent request with the same eventId waits on the unique index until the
 * first commits, then finds it taken, so identical concurrent retries store one record. Unclaimed
 * eventIds are then read back and their payload hashes compared: equal is a duplicate (answered
 * with the first request's id), different is a 409 and rolls the whole batch back.
 *
 * Round trips: the scope and that statement go out together (pipelined), then the commit; the
 * read-back of unclaimed eventIds only when there are some. A batch naming a customer the tenant
 * does not have claims nothing (the statement answers with the unknown ids instead) and is rolled
 * back.
 */

export type StoredStatus = "created" | "duplicate";

export interface StoredRecord {
  index: number;
  eventId: string;
  id: number;
  occurredAt: string;
  status: StoredStatus;
}

const INSERT_BATCH = `
WITH input AS (
  SELECT i.*, i.occurred_text::timestamptz AS occurred_at
  FROM unnest($3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::text[], $9::text[], $10::text[],
              $11::text[], $12::text[], $13::uuid[], $14::text[], $15::text[], $16::text[], $17::text[])
       AS i(event_id, payload_hash, occurred_text, customer_id, customer_name, operation_type, resource_type,
            operation_status, user_principal_name, application_id, correlation_id, old_value, new_value, custom,
            source)
), unknown AS (
  SELECT DISTINCT i.customer_id FROM input i
  WHERE $18::boolean AND i.customer_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.tenant_id = $1::uuid AND c.id = i.customer_id)
), claimed AS (
  INSERT INTO activity_ingest_events (tenant_id, cloud, event_id, payload_hash, record_id, occurred_at)
  SELECT $1::uuid, $2::text, event_id, payload_hash, nextval('activity_records_id_seq'), occurred_at FROM input
  WHERE NOT EXISTS (SELECT 1 FROM unknown)
  ON CONFLICT (tenant_id, event_id) DO NOTHING
  RETURNING event_id, record_id
), records AS (
  INSERT INTO activity_records (id, tenant_id, cloud, occurred_at, customer_id, customer_name, operation_type,
                                resource_type, operation_status, user_principal_name, application_id, correlation_id)
  SELECT c.record_id, $1::uuid, $2::text, i.occurred_at, i.customer_id, i.customer_name, i.operation_type,
         i.resource_type, i.operation_status, i.user_principal_name, i.application_id, i.correlation_id
  FROM claimed c JOIN input i USING (event_id)
), details AS (
  INSERT INTO activity_record_details (tenant_id, occurred_at, record_id, resource_old_value, resource_new_value,
                                       customized_data, source_record)
  SELECT $1::uuid, i.occurred_at, c.record_id, i.old_value::jsonb, i.new_value::jsonb, i.custom::jsonb, i.source::jsonb
  FROM claimed c JOIN input i USING (event_id)
  WHERE i.old_value IS NOT NULL OR i.new_value IS NOT NULL OR i.custom IS NOT NULL OR i.source IS NOT NULL
)
SELECT event_id, record_id::text AS record_id, NULL::text AS unknown_customer FROM claimed
UNION ALL
SELECT NULL, NULL, customer_id::text FROM unknown`;

const jsonOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : JSON.stringify(value);

/** Postgres errors that mean "this input cannot be stored", not "the server is broken". */
function asInputError(error: unknown): AppError | null {
  const e = error as { code?: string; message?: string };
  if (e?.code === "23514" && /no partition of relation/.test(e.message ?? "")) {
    return new AppError(
      "bad_request",
      "A record's occurredAt falls in a month the log has no partition for; nothing was stored.",
    );
  }
  if (e?.code === "22P05" || e?.code === "22021" || e?.code === "54001") {
    return new AppError("bad_request", "A record holds a value the log cannot store; nothing was stored.");
  }
  return null;
}

const isRetryable = (error: unknown) => ["40P01", "40001"].includes((error as { code?: string })?.code ?? "");

export interface StoreOptions {
  /**
   * Whether a record's customerId must name one of the tenant's customers (true for the portal's
   * own producers). Imported history names customers the portal may never have had.
   */
  knownCustomersOnly?: boolean;
}

async function storeOnce(
  sql: Sql,
  key: TenantScope,
  records: IngestRecord[],
  { knownCustomersOnly = true }: StoreOptions,
): Promise<StoredRecord[]> {
  // A fixed order of unique-index insertions, so two batches sharing eventIds cannot deadlock.
  const sorted = [...records].sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));

  const json = (r: IngestRecord, field: keyof JsonTexts) => (r.jsonText ? r.jsonText[field] : jsonOrNull(r[field]));

  return (await sql.begin(async (tx: TransactionSql) => {
    // Sent together: the statement runs scoped, and its answer arrives one round trip later.
    const [, rows] = await Promise.all([
      scopeTenantSql(tx, key),
      tx.unsafe<Array<{ event_id: string | null; record_id: string | null; unknown_customer: string | null }>>(
        INSERT_BATCH,
        [
          key.tenantId,
          key.cloud,
          sorted.map((r) => r.eventId),
          sorted.map((r) => r.payloadHash),
          sorted.map((r) => r.occurredAt.toISOString()),
          sorted.map((r) => r.customerId),
          sorted.map((r) => r.customerName),
          sorted.map((r) => r.operationType),
          sorted.map((r) => r.resourceType),
          sorted.map((r) => r.operationStatus),
          sorted.map((r) => r.userPrincipalName),
          sorted.map((r) => r.applicationId),
          sorted.map((r) => r.correlationId),
          sorted.map((r) => json(r, "resourceOldValue")),
          sorted.map((r) => json(r, "resourceNewValue")),
          sorted.map((r) => json(r, "customizedData")),
          sorted.map((r) => jsonOrNull(r.sourceRecord)),
          knownCustomersOnly,
        ] as never[],
        // Prepared once per connection: without it, postgres.js asks the server to describe the
        // statement first on every call, a round trip of its own that also stops the pipeline.
        { prepare: true },
      ),
    ]);

    const unknown = new Set(rows.filter((r) => r.unknown_customer !== null).map((r) => r.unknown_customer!));
    if (unknown.size > 0) {
      const errors: RecordError[] = [];
      records.forEach((r, index) => {
        if (r.customerId !== null && unknown.has(r.customerId)) {
          errors.push({ index, field: "customerId", message: "is not a customer of this API key's tenant." });
        }
      });
      throw new AppError("bad_request", "Some records name a customer the tenant does not have; nothing was stored.", {
        errors,
      });
    }
    const claimedRows = rows.filter((r) => r.event_id !== null) as Array<{ event_id: string; record_id: string }>;
    const claimed = new Map(claimedRows.map((r) => [r.event_id, Number(r.record_id)]));

    const previous = new Map<string, { hash: string; id: number; occurredAt: Date }>();
    const unclaimed = sorted.filter((r) => !claimed.has(r.eventId)).map((r) => r.eventId);
    if (unclaimed.length > 0) {
      // Times travel as epoch milliseconds: Drizzle makes its pool return timestamptz as raw text.
      const rows = await tx<Array<{ event_id: string; payload_hash: string; record_id: string; occurred_ms: number }>>`
        select event_id, payload_hash, record_id::text as record_id,
               (extract(epoch from occurred_at) * 1000)::float8 as occurred_ms
        from activity_ingest_events where tenant_id = ${key.tenantId} and event_id = any(${unclaimed}::text[])`;
      for (const r of rows) {
        previous.set(r.event_id, {
          hash: r.payload_hash,
          id: Number(r.record_id),
          occurredAt: new Date(Number(r.occurred_ms)),
        });
      }
    }

    const conflicts: RecordError[] = [];
    const results = records.map((r, index): StoredRecord => {
      const id = claimed.get(r.eventId);
      if (id !== undefined)
        return { index, eventId: r.eventId, id, occurredAt: r.occurredAt.toISOString(), status: "created" };
      const first = previous.get(r.eventId);
      if (!first) throw new Error(`eventId ${r.eventId} was neither stored nor found`);
      if (first.hash !== r.payloadHash) {
        conflicts.push({
          index,
          field: "eventId",
          message: `was already used for a different record (id ${first.id}); an eventId names one record forever.`,
        });
      }
      return {
        index,
        eventId: r.eventId,
        id: first.id,
        occurredAt: first.occurredAt.toISOString(),
        status: "duplicate",
      };
    });
    if (conflicts.length > 0) {
      throw new AppError("conflict", "Some eventIds were already used for different records; nothing was stored.", {
        errors: conflicts,
      });
    }
    return results;
  })) as StoredRecord[];
}

export async function storeRecords(
  sql: Sql,
  key: TenantScope,
  records: IngestRecord[],
  options: StoreOptions = {},
): Promise<StoredRecord[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await storeOnce(sql, key, records, options);
    } catch (error) {
      if (error instanceof AppError) throw error;
      const input = asInputError(error);
      if (input) throw input;
      if (attempt < 3 && isRetryable(error)) continue;
      throw error;
    }
  }
}
