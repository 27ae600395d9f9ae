import { z } from "zod";
import { isUuid } from "@/lib/uuid";
import { canonicalJson, sha256Hex } from "./canonical-json";
import {
  MAX_APPLICATION_ID_LENGTH,
  MAX_CUSTOMER_NAME_LENGTH,
  MAX_EVENT_ID_LENGTH,
  MAX_JSON_DEPTH,
  MAX_RECORD_JSON_BYTES,
  MAX_RECORDS_PER_REQUEST,
  MAX_USER_PRINCIPAL_NAME_LENGTH,
} from "./limits";
import { OPERATION_STATUSES, type OperationStatus } from "@/lib/domain";
import { leadingItems } from "@/lib/leading-items";

/*
 * The data contract (README, "Recording activity") as producers send it: camelCase JSON, one record or a
 * batch. Parsing never throws on input: it returns every problem with the record's index and the
 * field, so a producer can fix a whole batch in one round. The tenant and cloud are not fields: the
 * API key decides them, and a record that tries to name them is refused like any unknown field.
 */

/** A record that passed validation, normalised for storage and hashing. */
export interface IngestRecord {
  eventId: string;
  /** Millisecond precision (the log's CHECK constraint; keyset cursors depend on it). */
  occurredAt: Date;
  operationType: string;
  resourceType: string;
  operationStatus: OperationStatus;
  userPrincipalName: string;
  applicationId: string;
  customerId: string | null;
  customerName: string | null;
  correlationId: string;
  resourceOldValue: unknown;
  resourceNewValue: unknown;
  customizedData: unknown;
  /** SHA-256 of everything but the eventId, canonical: the idempotency check compares it. */
  payloadHash: string;
  /** The record as an outside source sent it (a Partner Center AuditRecord); null for ours. */
  sourceRecord: unknown;
  /**
   * The JSON fields already written out (canonical JSON, null when absent), when validation
   * wrote them for hashing anyway: storage sends these texts instead of serialising again.
   */
  jsonText?: JsonTexts;
}

/** resourceOldValue, resourceNewValue and customizedData as JSON text; null for an absent value. */
export interface JsonTexts {
  resourceOldValue: string | null;
  resourceNewValue: string | null;
  customizedData: string | null;
}

export interface RecordError {
  /** The record's position in the batch (0 for a single record). */
  index: number;
  /** The field, dotted for nested paths; "" when the record as a whole is wrong. */
  field: string;
  message: string;
}

export type ParseBodyResult =
  | { ok: true; records: IngestRecord[] }
  | { ok: false; code: "bad_request" | "payload_too_large"; message: string; errors: RecordError[] };

const IDENTIFIER = /^[a-z][a-z0-9_]{0,63}$/;
const EVENT_ID = new RegExp(`^[\\x21-\\x7e]{1,${MAX_EVENT_ID_LENGTH}}$`);
const NO_CONTROL = /^[^\p{Cc}]*$/u;
const NO_SPACE_OR_CONTROL = /^[^\s\p{Cc}]+$/u;
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|([+-])(\d{2}):(\d{2}))$/i;

const JSON_FIELDS = ["resourceOldValue", "resourceNewValue", "customizedData"] as const;
// A map, not an object: a field named "constructor" or "__proto__" finds nothing here, where an
// object would answer with what Object.prototype holds under that name.
const FORBIDDEN_FIELDS = new Map<string, string>([
  ["tenantId", "cannot be given: the API key decides the tenant."],
  ["cloud", "cannot be given: the API key decides the cloud."],
  ["id", "cannot be given: the log assigns record ids."],
  ["recordedAt", "cannot be given: the log records when it stored a record."],
]);

/** Postgres text holds no lone UTF-16 surrogates (they would be silently replaced): refuse them. */
const wellFormed = (value: string) => value.isWellFormed();

const text = (what: string) =>
  z.string({ error: (issue) => (issue.input === undefined ? "is required." : `must be ${what}.`) }).refine(wellFormed, {
    message: "contains an unpaired UTF-16 surrogate.",
  });

const uuidField = text("a UUID string").refine(isUuid, { message: "must be a UUID (8-4-4-4-12 hexadecimal digits)." });

type ParsedTime = { ok: true; date: Date } | { ok: false; message: string };

/**
 * RFC 3339 with a mandatory offset. Fractions finer than a millisecond are truncated (documented):
 * the log stores milliseconds, and a retry sending the same string truncates the same way.
 */
export function parseOccurredAt(value: string): ParsedTime {
  const m = ISO_DATE_TIME.exec(value);
  if (!m) {
    return {
      ok: false,
      message: "must be an ISO 8601 date-time with a time zone offset, e.g. 2026-05-01T12:30:00.000Z.",
    };
  }
  const [year, month, day, hour, minute, second] = leadingItems(m.slice(1, 7).map(Number), 6, "A date-time match");
  const [, , , , , , , fraction, zone, sign, zoneHour, zoneMinute] = m;
  const ms = fraction ? Number(fraction.slice(0, 3).padEnd(3, "0")) : 0;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) {
    return { ok: false, message: `is not a real date and time: ${value}.` };
  }
  if (year < 2000) return { ok: false, message: "must be in the year 2000 or later." };
  let offsetMinutes = 0;
  // A sign means the zone is an offset, whose hours and minutes then match too; otherwise it is Z.
  if (sign !== undefined) {
    const [oh, om] = [Number(zoneHour), Number(zoneMinute)];
    if (oh > 23 || om > 59) return { ok: false, message: `has an invalid time zone offset: ${zone}.` };
    offsetMinutes = (sign === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const epoch = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
  return { ok: true, date: new Date(epoch) };
}

const occurredAt = text("an ISO 8601 date-time string").transform((value, ctx) => {
  const parsed = parseOccurredAt(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: "custom", message: parsed.message });
    return z.NEVER;
  }
  return parsed.date;
});

const identifier = text("a string").regex(IDENTIFIER, {
  message:
    "must be lowercase letters, digits and underscores, starting with a letter, at most 64 characters (e.g. create_order).",
});

export const ingestRecordSchema = z.strictObject(
  {
    eventId: text("a string").regex(EVENT_ID, {
      message: `must be 1 to ${MAX_EVENT_ID_LENGTH} printable ASCII characters without spaces.`,
    }),
    occurredAt,
    operationType: identifier,
    resourceType: identifier,
    operationStatus: z.enum(OPERATION_STATUSES, {
      error: (issue) =>
        issue.input === undefined ? "is required." : `must be one of ${OPERATION_STATUSES.join(", ")}.`,
    }),
    userPrincipalName: text("a string")
      .max(MAX_USER_PRINCIPAL_NAME_LENGTH, {
        message: `can be at most ${MAX_USER_PRINCIPAL_NAME_LENGTH} characters long.`,
      })
      .regex(NO_SPACE_OR_CONTROL, { message: "must be non-empty, without spaces or control characters." }),
    applicationId: text("a string")
      .max(MAX_APPLICATION_ID_LENGTH, { message: `can be at most ${MAX_APPLICATION_ID_LENGTH} characters long.` })
      .regex(NO_CONTROL, { message: "cannot contain control characters." })
      .refine((v) => v.trim().length > 0, { message: "cannot be empty." }),
    customerId: uuidField.nullish(),
    customerName: text("a string")
      .max(MAX_CUSTOMER_NAME_LENGTH, { message: `can be at most ${MAX_CUSTOMER_NAME_LENGTH} characters long.` })
      .regex(NO_CONTROL, { message: "cannot contain control characters." })
      .nullish(),
    correlationId: uuidField,
    resourceOldValue: z.unknown().optional(),
    resourceNewValue: z.unknown().optional(),
    customizedData: z.unknown().optional(),
  },
  { error: (issue) => (issue.code === "invalid_type" ? "must be a JSON object." : undefined) },
);

/**
 * What Postgres jsonb cannot hold or would change: NUL characters, unpaired surrogates, numbers
 * out of range (JSON.parse made them Infinity), and nesting deep enough to exhaust a stack.
 */
export function jsonProblem(value: unknown, depth = 0): string | null {
  if (depth > MAX_JSON_DEPTH) return `is nested more than ${MAX_JSON_DEPTH} levels deep.`;
  if (typeof value === "string") {
    if (value.includes("\u0000")) return "contains a NUL character (\\u0000), which the log cannot store.";
    if (!value.isWellFormed()) return "contains an unpaired UTF-16 surrogate.";
    return null;
  }
  if (typeof value === "number") return Number.isFinite(value) ? null : "contains a number out of range.";
  if (value === null || typeof value !== "object") return null;
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = jsonProblem(item, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    const keyProblem = jsonProblem(key, depth + 1);
    if (keyProblem) return keyProblem.replace("contains", "has a key that contains");
    const problem = jsonProblem(item, depth + 1);
    if (problem) return problem;
  }
  return null;
}

/**
 * Checks the JSON fields and returns them as canonical JSON text, which the hash and the insert
 * both use. Its byte length is JSON.stringify's: the same members and escapes, only in key order.
 */
function checkJsonFields(raw: Record<string, unknown>, index: number, errors: RecordError[]): JsonTexts {
  const texts: JsonTexts = { resourceOldValue: null, resourceNewValue: null, customizedData: null };
  let total = 0;
  let largest: { field: string; bytes: number } | null = null;
  for (const field of JSON_FIELDS) {
    const value = raw[field];
    if (value === undefined || value === null) continue;
    const problem = jsonProblem(value);
    if (problem) {
      errors.push({ index, field, message: problem });
      continue;
    }
    const text = canonicalJson(value);
    texts[field] = text;
    const bytes = Buffer.byteLength(text, "utf8");
    total += bytes;
    if (!largest || bytes > largest.bytes) largest = { field, bytes };
  }
  if (largest && total > MAX_RECORD_JSON_BYTES) {
    errors.push({
      index,
      field: largest.field,
      message: `makes the record's JSON too large: resourceOldValue, resourceNewValue and customizedData together are ${total.toLocaleString("en-US")} bytes, at most ${MAX_RECORD_JSON_BYTES.toLocaleString("en-US")}.`,
    });
  }
  return texts;
}

function issuesToErrors(index: number, issues: z.core.$ZodIssue[]): RecordError[] {
  const out: RecordError[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const message = FORBIDDEN_FIELDS.get(key) ?? "is not a field of an activity record.";
        out.push({ index, field: key, message });
      }
      continue;
    }
    out.push({ index, field: issue.path.map(String).join("."), message: issue.message });
  }
  return out;
}

const nullIfAbsent = (value: unknown): unknown => (value === undefined ? null : value);
const textOf = (value: string | null) => (value === null ? "null" : canonicalJson(value));

/**
 * The text the payload hash is taken over: canonicalJson({ v: 1, ...payload, occurredAt }) with
 * the payload's fields as normalise() sets them, written out in the (sorted) key order directly.
 * The JSON fields come as the canonical texts checkJsonFields wrote ("null" when absent).
 * tests/unit/ingest-hash.test.ts holds it equal to the generic form for arbitrary records.
 */
export function payloadHashText(record: Omit<IngestRecord, "payloadHash" | "sourceRecord">, texts: JsonTexts): string {
  return (
    `{"applicationId":${canonicalJson(record.applicationId)}` +
    `,"correlationId":${canonicalJson(record.correlationId)}` +
    `,"customerId":${textOf(record.customerId)}` +
    `,"customerName":${textOf(record.customerName)}` +
    `,"customizedData":${texts.customizedData ?? "null"}` +
    `,"occurredAt":"${record.occurredAt.toISOString()}"` +
    `,"operationStatus":${canonicalJson(record.operationStatus)}` +
    `,"operationType":${canonicalJson(record.operationType)}` +
    `,"resourceNewValue":${texts.resourceNewValue ?? "null"}` +
    `,"resourceOldValue":${texts.resourceOldValue ?? "null"}` +
    `,"resourceType":${canonicalJson(record.resourceType)}` +
    `,"userPrincipalName":${canonicalJson(record.userPrincipalName)}` +
    `,"v":1}`
  );
}

function normalise(eventId: string, data: z.output<typeof ingestRecordSchema>, texts: JsonTexts): IngestRecord {
  const record = {
    eventId,
    occurredAt: data.occurredAt,
    operationType: data.operationType,
    resourceType: data.resourceType,
    operationStatus: data.operationStatus,
    userPrincipalName: data.userPrincipalName,
    applicationId: data.applicationId,
    customerId: data.customerId ? data.customerId.toLowerCase() : null,
    customerName: data.customerName ?? null,
    correlationId: data.correlationId.toLowerCase(),
    resourceOldValue: nullIfAbsent(data.resourceOldValue),
    resourceNewValue: nullIfAbsent(data.resourceNewValue),
    customizedData: nullIfAbsent(data.customizedData),
  };
  const payloadHash = sha256Hex(payloadHashText(record, texts));
  return { ...record, payloadHash, sourceRecord: null, jsonText: texts };
}

/** Accepts one record (an object), a JSON array of records, or `{ "records": [...] }`. */
export function parseIngestBody(body: unknown): ParseBodyResult {
  let items: unknown[];
  let single = false;
  if (Array.isArray(body)) {
    items = body;
  } else if (body !== null && typeof body === "object" && "records" in body) {
    const records = (body as { records: unknown }).records;
    const extra = Object.keys(body).filter((k) => k !== "records");
    if (!Array.isArray(records) || extra.length > 0) {
      return {
        ok: false,
        code: "bad_request",
        message: 'A batch must be { "records": [ ... ] } with nothing else beside "records".',
        errors: [],
      };
    }
    items = records;
  } else if (body !== null && typeof body === "object") {
    items = [body];
    single = true;
  } else {
    return {
      ok: false,
      code: "bad_request",
      message: "The body must be a record (a JSON object) or a batch of records.",
      errors: [],
    };
  }

  if (items.length === 0) return { ok: false, code: "bad_request", message: "The batch holds no records.", errors: [] };
  if (items.length > MAX_RECORDS_PER_REQUEST) {
    return {
      ok: false,
      code: "payload_too_large",
      message: `A batch can hold at most ${MAX_RECORDS_PER_REQUEST.toLocaleString("en-US")} records; this one holds ${items.length.toLocaleString("en-US")}.`,
      errors: [],
    };
  }

  const errors: RecordError[] = [];
  const records: IngestRecord[] = [];
  const firstIndexOfEvent = new Map<string, number>();
  items.forEach((item, index) => {
    const result = ingestRecordSchema.safeParse(item);
    const before = errors.length;
    if (!result.success) errors.push(...issuesToErrors(index, result.error.issues));
    const texts =
      item !== null && typeof item === "object" && !Array.isArray(item)
        ? checkJsonFields(item as Record<string, unknown>, index, errors)
        : null;
    if (result.success) {
      const eventId = result.data.eventId;
      const first = firstIndexOfEvent.get(eventId);
      if (first !== undefined) {
        errors.push({ index, field: "eventId", message: `repeats the eventId of record ${first} in this batch.` });
      } else {
        firstIndexOfEvent.set(eventId, index);
      }
      if (errors.length === before && texts) records.push(normalise(eventId, result.data, texts));
    }
  });

  if (errors.length > 0) {
    const invalid = new Set(errors.map((e) => e.index)).size;
    return {
      ok: false,
      code: "bad_request",
      message: single
        ? "The record is invalid; nothing was stored."
        : `${invalid.toLocaleString("en-US")} of ${items.length.toLocaleString("en-US")} records are invalid; nothing was stored.`,
      errors,
    };
  }
  return { ok: true, records };
}
