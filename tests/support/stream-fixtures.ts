import { randomUUID } from "node:crypto";
import type postgres from "postgres";
import { storeRecords } from "@/db/mutations/ingest-batch";
import type { TenantScope } from "@/db/scope";
import { insertDestination } from "@/db/streaming/destinations";
import { withTenantSql } from "@/db/scope";
import { parseDestinationInput } from "@/lib/streaming/destination";
import type { IngestRecord } from "@/lib/ingest/record-schema";
import type { OperationStatus } from "@/lib/domain";

export interface RecordOptions {
  operationType?: string;
  operationStatus?: OperationStatus;
  customerId?: string | null;
  /** occurredAt of the first record; each next one is a millisecond later. */
  start?: Date;
}

export function ingestRecords(count: number, options: RecordOptions = {}): IngestRecord[] {
  const start = options.start ?? new Date(Date.now() - 3_600_000);
  return Array.from({ length: count }, (_, i) => ({
    eventId: `evt-${randomUUID()}`,
    occurredAt: new Date(start.getTime() + i),
    operationType: options.operationType ?? "create_order",
    resourceType: "order",
    operationStatus: options.operationStatus ?? "succeeded",
    userPrincipalName: "orders@contoso.example",
    applicationId: "Orders service",
    customerId: options.customerId ?? null,
    customerName: options.customerId ? "Northwind Traders" : null,
    correlationId: randomUUID(),
    resourceOldValue: null,
    resourceNewValue: { orderId: randomUUID(), note: 'quote " backslash \\ bracket ]' },
    customizedData: null,
    payloadHash: randomUUID(),
    sourceRecord: null,
  }));
}

/** Stores records through the ingestion path (request role, one transaction per 500). */
export async function ingest(sql: postgres.Sql, scope: TenantScope, count: number, options: RecordOptions = {}) {
  const records = ingestRecords(count, options);
  for (let i = 0; i < records.length; i += 500) {
    await storeRecords(sql, scope, records.slice(i, i + 500), { knownCustomersOnly: false });
  }
  return records;
}

export async function addDestination(sql: postgres.Sql, scope: TenantScope, body: Record<string, unknown>) {
  const input = parseDestinationInput({ name: "SIEM", ...body }, { isNew: true });
  return withTenantSql(sql, scope, (tx) => insertDestination(tx, scope, input));
}

export async function pendingCount(admin: postgres.Sql, destinationId: string): Promise<number> {
  const [row] = await admin<
    [{ n: number }]
  >`select count(*)::int as n from stream_outbox where destination_id = ${destinationId}`;
  return row.n;
}
