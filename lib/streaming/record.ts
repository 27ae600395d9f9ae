import { createHash } from "node:crypto";
import type { Cloud, OperationStatus } from "@/lib/domain";

/** One log record as the delivery worker reads it (db/streaming/outbox.ts), before formatting. */
export interface StreamRecord {
  recordId: number;
  tenantId: string;
  cloud: Cloud;
  occurredAt: Date;
  recordedAt: Date;
  customerId: string | null;
  customerName: string | null;
  operationType: string;
  resourceType: string;
  operationStatus: OperationStatus;
  userPrincipalName: string;
  applicationId: string;
  correlationId: string;
  resourceOldValue: unknown;
  resourceNewValue: unknown;
  customizedData: unknown;
}

// A fixed namespace (a random UUID chosen once) for the name-based ids below.
const EVENT_ID_NAMESPACE = Buffer.from("6f1c2d0a5e8b4f7c9a3d2b1e0f4c8a7d", "hex");

/**
 * The record's event id: a name-based UUID (RFC 9562 version 5) of its tenant and record id, so
 * the same record carries the same id in every delivery, retry and replay, and receivers can
 * deduplicate on it. Record ids come from one sequence, so no two records share an event id.
 */
export function eventIdFor(tenantId: string, recordId: number): string {
  const hash = createHash("sha1")
    .update(EVENT_ID_NAMESPACE)
    .update(`activity-record:${tenantId.toLowerCase()}:${recordId}`)
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
