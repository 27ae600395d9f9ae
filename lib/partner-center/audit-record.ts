import { canonicalJson, sha256Hex } from "@/lib/ingest/canonical-json";
import {
  MAX_APPLICATION_ID_LENGTH,
  MAX_CUSTOMER_NAME_LENGTH,
  MAX_EVENT_ID_LENGTH,
  MAX_USER_PRINCIPAL_NAME_LENGTH,
} from "@/lib/ingest/limits";
import { jsonProblem, parseOccurredAt, type IngestRecord, type RecordError } from "@/lib/ingest/record-schema";
import { isUuid } from "@/lib/uuid";
import { isJsonObject, type JsonObject } from "@/lib/json";
import { OPERATION_STATUSES, type OperationStatus } from "@/lib/domain";

/*
 * Partner Center's AuditRecord (GET /v1/auditrecords) as the log stores it. The record itself is
 * kept verbatim (`sourceRecord`), so every field, including ones Partner Center adds later and the
 * original 7-digit operationDate string, comes back out as it went in; the log's own columns are
 * derived from it. Parsing never throws on input: every problem is returned with the record's
 * index and the field.
 */

/** One AuditRecord's JSON may be at most this large (an order of dozens of products fits). */
export const MAX_AUDIT_RECORD_BYTES = 256 * 1024;

const NO_SPACE_OR_CONTROL = /^[^\s\p{Cc}]+$/u;
const NO_CONTROL = /^[^\p{Cc}]*$/u;
const SNAKE_CASE = /^[a-z][a-z0-9_]{0,63}$/;
const PASCAL_CASE = /^[A-Z][A-Za-z0-9]{0,63}$/;
const PRINTABLE_ID = /^[\x21-\x7e]+$/;
const HAS_OFFSET = /(Z|[+-]\d{2}:\d{2})$/i;

/** Partner Center writes snake_case; tools that go through the SDK's enums print PascalCase. */
function identifier(value: string): string | null {
  if (SNAKE_CASE.test(value)) return value;
  if (PASCAL_CASE.test(value)) return value.replace(/(?<!^)([A-Z])/g, "_$1").toLowerCase();
  return null;
}

/** Serialized JSON (PascalCase inside) becomes the value; text that is not JSON stays as text. */
function serializedValue(value: unknown): unknown {
  if (typeof value !== "string") return value ?? null;
  if (value.trim() === "") return null;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** A UUID from a hash, for records without a correlation id (the log's column needs one). */
function uuidFromHash(hex: string): string {
  const h = hex.slice(0, 32).split("");
  h[12] = "8"; // RFC 9562 version 8: custom
  h[16] = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  const s = h.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

const optionalText = (value: unknown): string | null | undefined =>
  value === undefined || value === null ? null : typeof value === "string" ? (value === "" ? null : value) : undefined;

/** The idempotency key: Partner Center's id, or the hash of the whole record when it has none. */
export function auditRecordEventId(record: JsonObject, contentHash: string): string {
  const id = record.id;
  if (typeof id === "string" && PRINTABLE_ID.test(id) && id.length + 3 <= MAX_EVENT_ID_LENGTH) return `pc:${id}`;
  if (typeof id === "string" && id !== "") return `pc:id-sha256:${sha256Hex(id)}`;
  return `pc:sha256:${contentHash}`;
}

/**
 * One AuditRecord as a record of the log, or its problems. `tenantId` is the partner's own
 * directory id: a record of another partner is refused.
 */
export function parseAuditRecord(
  raw: unknown,
  index: number,
  tenantId: string,
): { ok: true; record: IngestRecord } | { ok: false; errors: RecordError[] } {
  const errors: RecordError[] = [];
  const fail = (field: string, message: string) => errors.push({ index, field, message });
  if (!isJsonObject(raw))
    return { ok: false, errors: [{ index, field: "", message: "must be a JSON object (an AuditRecord)." }] };

  const problem = jsonProblem(raw);
  if (problem) fail("", problem);
  const bytes = Buffer.byteLength(JSON.stringify(raw), "utf8");
  if (bytes > MAX_AUDIT_RECORD_BYTES) {
    fail(
      "",
      `is ${bytes.toLocaleString("en-US")} bytes of JSON, at most ${MAX_AUDIT_RECORD_BYTES.toLocaleString("en-US")}.`,
    );
  }

  const partnerId = raw.partnerId;
  if (partnerId === undefined || partnerId === null || partnerId === "") fail("partnerId", "is required.");
  else if (typeof partnerId !== "string" || partnerId.toLowerCase() !== tenantId.toLowerCase()) {
    fail(
      "partnerId",
      `is ${JSON.stringify(partnerId)}, not this tenant's directory id (${tenantId}): records of another partner cannot be imported.`,
    );
  }

  const symbol = (field: "operationType" | "resourceType"): string => {
    const value = raw[field];
    if (value === undefined || value === null || value === "") {
      fail(field, "is required.");
      return "";
    }
    const id = typeof value === "string" ? identifier(value) : null;
    if (id === null)
      fail(field, "must be a snake_case name such as update_customer_qualification (or its PascalCase form).");
    return id ?? "";
  };
  const operationType = symbol("operationType");
  const resourceType = symbol("resourceType");

  let operationStatus: OperationStatus = "succeeded";
  const status = raw.operationStatus;
  const statusText = typeof status === "string" ? status.toLowerCase() : null;
  if (status === undefined || status === null || status === "") fail("operationStatus", "is required.");
  else if (!statusText || !(OPERATION_STATUSES as readonly string[]).includes(statusText)) {
    fail("operationStatus", `must be one of ${OPERATION_STATUSES.join(", ")}.`);
  } else operationStatus = statusText as OperationStatus;

  let occurredAt = new Date(NaN);
  const date = raw.operationDate;
  if (date === undefined || date === null || date === "") fail("operationDate", "is required.");
  else if (typeof date !== "string")
    fail("operationDate", "must be a date-time string such as 2026-05-01T12:30:00.1234567Z.");
  else {
    // Partner Center's times are UTC; some tools drop the Z.
    const parsed = parseOccurredAt(HAS_OFFSET.test(date) ? date : `${date}Z`);
    if (parsed.ok) occurredAt = parsed.date;
    else fail("operationDate", parsed.message);
  }

  const upn = raw.userPrincipalName;
  if (upn === undefined || upn === null || upn === "") fail("userPrincipalName", "is required.");
  else if (typeof upn !== "string" || !NO_SPACE_OR_CONTROL.test(upn) || upn.length > MAX_USER_PRINCIPAL_NAME_LENGTH) {
    fail(
      "userPrincipalName",
      `must be a user principal name without spaces, at most ${MAX_USER_PRINCIPAL_NAME_LENGTH} characters.`,
    );
  }

  const applicationId = optionalText(raw.applicationId);
  if (
    applicationId === undefined ||
    (applicationId && (!NO_CONTROL.test(applicationId) || applicationId.length > MAX_APPLICATION_ID_LENGTH))
  ) {
    fail(
      "applicationId",
      `must be a string without control characters, at most ${MAX_APPLICATION_ID_LENGTH} characters.`,
    );
  }

  const customerId = optionalText(raw.customerId);
  if (customerId === undefined || (customerId !== null && !isUuid(customerId))) {
    fail("customerId", "must be a customer's id (a GUID) when present.");
  }
  const customerName = optionalText(raw.customerName);
  if (
    customerName === undefined ||
    (customerName && (!NO_CONTROL.test(customerName) || customerName.length > MAX_CUSTOMER_NAME_LENGTH))
  ) {
    fail(
      "customerName",
      `must be a string without control characters, at most ${MAX_CUSTOMER_NAME_LENGTH} characters.`,
    );
  }

  const correlation = optionalText(raw.originalCorrelationId);
  if (correlation === undefined || (correlation !== null && !isUuid(correlation))) {
    fail("originalCorrelationId", "must be a GUID when present.");
  }

  for (const field of ["resourceOldValue", "resourceNewValue"] as const) {
    const value = raw[field];
    if (value !== undefined && value !== null && typeof value !== "string" && !isJsonObject(value)) {
      fail(field, "must be the resource serialized as a JSON string.");
    }
  }
  if (raw.customizedData !== undefined && raw.customizedData !== null && !Array.isArray(raw.customizedData)) {
    fail("customizedData", "must be an array of { key, value } pairs.");
  }

  if (errors.length > 0) return { ok: false, errors };

  const contentHash = sha256Hex(canonicalJson(raw));
  const record: IngestRecord = {
    eventId: auditRecordEventId(raw, contentHash),
    occurredAt,
    operationType,
    resourceType,
    operationStatus,
    userPrincipalName: upn as string,
    applicationId: applicationId ?? "",
    customerId: customerId ? customerId.toLowerCase() : null,
    customerName: customerName ?? null,
    correlationId: correlation ? correlation.toLowerCase() : uuidFromHash(contentHash),
    resourceOldValue: serializedValue(raw.resourceOldValue),
    resourceNewValue: serializedValue(raw.resourceNewValue),
    customizedData: raw.customizedData ?? null,
    payloadHash: sha256Hex(canonicalJson({ source: "partner-center", record: raw })),
    sourceRecord: raw,
  };
  return { ok: true, record };
}
