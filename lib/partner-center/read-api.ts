import type { AuditRecordFilter, AuditRecordRow } from "@/db/queries/audit-records";
import type { Cursor } from "@/lib/cursor";
import { AppError } from "@/lib/errors";
import { parseOccurredAt } from "@/lib/ingest/record-schema";
import { isUuid } from "@/lib/uuid";
import { isJsonObject, type JsonObject } from "@/lib/json";

/*
 * GET /api/v1/auditrecords as Partner Center answers GET /v1/auditrecords, so a script written for
 * Partner Center only changes its base URL: the same query (startDate, endDate, filter, size), the
 * same envelope, and seek paging by a continuation token sent back in the MS-ContinuationToken
 * header. The token carries the whole query and the position (oldest first), so pages stay stable
 * while records arrive: each record is returned once.
 */

export const DEFAULT_AUDIT_PAGE_SIZE = 500;
export const MAX_AUDIT_PAGE_SIZE = 1_000;
/** Without startDate, the days before endDate (or now) that a request covers. */
export const DEFAULT_AUDIT_RANGE_DAYS = 30;
const MAX_TOKEN_LENGTH = 2_000;

export interface AuditQuery {
  start: Date;
  end: Date;
  filter: AuditRecordFilter | null;
}

export interface AuditPageRequest extends AuditQuery {
  size: number;
  after: Cursor | null;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
// The SDK sends dates in the invariant culture: MM/dd/yyyy HH:mm:ss.
const INVARIANT = /^(\d{2})\/(\d{2})\/(\d{4})(?: (\d{2}):(\d{2}):(\d{2}))?$/;

/** A date as Partner Center takes it, in UTC: yyyy-mm-dd, MM/dd/yyyy HH:mm:ss, or ISO 8601. */
export function parseAuditDate(name: string, value: string): Date {
  const wrong = () =>
    new AppError(
      "bad_request",
      `${name} must be a date as yyyy-mm-dd, MM/dd/yyyy HH:mm:ss or an ISO 8601 date-time (UTC); got "${value}".`,
    );
  let iso: string;
  const date = DATE_ONLY.exec(value);
  const invariant = INVARIANT.exec(value);
  if (date) iso = `${value}T00:00:00Z`;
  else if (invariant) {
    const [, mm, dd, yyyy, h = "00", m = "00", s = "00"] = invariant;
    iso = `${yyyy}-${mm}-${dd}T${h}:${m}:${s}Z`;
  } else if (/T/.test(value)) iso = /(Z|[+-]\d{2}:\d{2})$/i.test(value) ? value : `${value}Z`;
  else throw wrong();
  const parsed = parseOccurredAt(iso);
  if (!parsed.ok) throw wrong();
  return parsed.date;
}

const FILTER_FIELDS = ["CompanyName", "CustomerId", "ResourceType"] as const;

/** Partner Center's filter JSON: {"Field": ..., "Value": ..., "Operator": "substring" | "equals"}. */
export function parseAuditFilter(text: string): AuditRecordFilter {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError(
      "bad_request",
      `filter must be JSON such as {"Field":"CompanyName","Value":"Contoso","Operator":"substring"}; got ${JSON.stringify(text)}.`,
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new AppError("bad_request", "filter must be one JSON object with Field, Value and Operator.");
  }
  // Partner Center reads the member names case-insensitively.
  const members = new Map(Object.entries(value).map(([k, v]) => [k.toLowerCase(), v]));
  const field = FILTER_FIELDS.find((f) => f.toLowerCase() === String(members.get("field") ?? "").toLowerCase());
  const operator = String(members.get("operator") ?? "").toLowerCase();
  const raw = members.get("value");
  if (!field) throw new AppError("bad_request", `filter Field must be one of ${FILTER_FIELDS.join(", ")}.`);
  if (typeof raw !== "string" || raw.trim() === "") {
    throw new AppError("bad_request", "filter Value must be a non-empty string.");
  }
  if (field === "CompanyName") {
    if (operator !== "substring" && operator !== "equals") {
      throw new AppError("bad_request", 'filter Operator for CompanyName must be "substring" or "equals".');
    }
    return { field, operator, value: raw };
  }
  if (operator !== "equals") throw new AppError("bad_request", `filter Operator for ${field} must be "equals".`);
  if (field === "CustomerId") {
    if (!isUuid(raw))
      throw new AppError("bad_request", "filter Value for CustomerId must be a customer's id (a GUID).");
    return { field, value: raw.toLowerCase() };
  }
  return { field, value: raw.replace(/(?<!^)([A-Z])/g, "_$1").toLowerCase() };
}

/** A parsed filter written back as Partner Center's filter JSON. */
const filterJson = (filter: AuditRecordFilter): string =>
  JSON.stringify({
    Field: filter.field,
    Value: filter.value,
    Operator: "operator" in filter ? filter.operator : "equals",
  });

function parseSize(value: string | null): number {
  if (value === null || value === "") return DEFAULT_AUDIT_PAGE_SIZE;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_AUDIT_PAGE_SIZE) {
    throw new AppError("bad_request", `size must be a whole number from 1 to ${MAX_AUDIT_PAGE_SIZE}; got "${value}".`);
  }
  return n;
}

interface TokenBody {
  v: 1;
  s: number;
  e: number;
  f: AuditRecordFilter | null;
  at: number;
  id: number;
}

const toBase64Url = (text: string) => Buffer.from(text, "utf8").toString("base64url");

export function encodeContinuationToken(query: AuditQuery, last: Cursor): string {
  const body: TokenBody = {
    v: 1,
    s: query.start.getTime(),
    e: query.end.getTime(),
    f: query.filter,
    at: last.occurredAt.getTime(),
    id: last.id,
  };
  return toBase64Url(JSON.stringify(body));
}

function decodeContinuationToken(token: string): AuditQuery & { after: Cursor } {
  const invalid = new AppError(
    "bad_request",
    "The MS-ContinuationToken is not one this API issued (send the value of links.next.headers as it came).",
  );
  if (token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) throw invalid;
  let body: TokenBody;
  try {
    body = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as TokenBody;
  } catch {
    throw invalid;
  }
  const finite = (n: unknown): n is number => typeof n === "number" && Number.isSafeInteger(n);
  if (body?.v !== 1 || !finite(body.s) || !finite(body.e) || !finite(body.at) || !finite(body.id) || body.id < 1) {
    throw invalid;
  }
  let filter: AuditRecordFilter | null = null;
  if (body.f !== null) {
    try {
      filter = parseAuditFilter(filterJson(body.f));
    } catch {
      throw invalid;
    }
  }
  const [start, end, at] = [new Date(body.s), new Date(body.e), new Date(body.at)];
  if (
    [start, end, at].some((d) => Number.isNaN(d.getTime()) || d.getUTCFullYear() < 2000 || d.getUTCFullYear() > 9999)
  ) {
    throw invalid;
  }
  return { start, end, filter, after: { occurredAt: at, id: body.id } };
}

/** The page a request asks for: from its continuation token, or from its query. */
export function parseAuditPageRequest(search: URLSearchParams, headers: Headers, now: Date): AuditPageRequest {
  const size = parseSize(search.get("size"));
  const token = headers.get("ms-continuationtoken") ?? search.get("continuationToken");
  if (token) return { ...decodeContinuationToken(token), size };
  const endText = search.get("endDate");
  const startText = search.get("startDate");
  const end = endText ? parseAuditDate("endDate", endText) : now;
  const start = startText
    ? parseAuditDate("startDate", startText)
    : new Date(end.getTime() - DEFAULT_AUDIT_RANGE_DAYS * 86_400_000);
  if (start.getTime() >= end.getTime()) {
    throw new AppError("bad_request", "startDate must be before endDate.");
  }
  const filterText = search.get("filter");
  return { start, end, filter: filterText ? parseAuditFilter(filterText) : null, size, after: null };
}

/* --- Records in Partner Center's shape --- */

const TICKS_AT_UNIX_EPOCH = 621_355_968_000_000_000n;

/** .NET ticks (100 ns since 0001-01-01), as Partner Center's ids end with. */
const ticksOf = (at: Date) => (BigInt(at.getTime()) * 10_000n + TICKS_AT_UNIX_EPOCH).toString();

/** Partner Center's 7 fractional digits. */
const operationDate = (at: Date) => at.toISOString().replace(/\.(\d{3})Z$/, ".$10000Z");

const asText = (v: unknown): string | null =>
  v === null || v === undefined
    ? null
    : typeof v === "string"
      ? v
      : typeof v === "object"
        ? JSON.stringify(v)
        : String(v);

/** Our details as Partner Center's customizedData: an order's line items as index-suffixed keys. */
function customizedDataOf(row: AuditRecordRow): Array<{ key: string; value: string | null }> {
  const out: Array<{ key: string; value: string | null }> = [];
  const lineItems =
    isJsonObject(row.resourceNewValue) && Array.isArray(row.resourceNewValue.lineItems)
      ? (row.resourceNewValue.lineItems as unknown[])
      : [];
  lineItems.forEach((item, i) => {
    if (!isJsonObject(item)) return;
    out.push(
      { key: `OfferId-${i}`, value: asText(item.offerId ?? item.offerName) },
      { key: `SubscriptionId-${i}`, value: asText(item.subscriptionId) },
      { key: `SubscriptionName-${i}`, value: asText(item.offerName) },
      { key: `Quantity-${i}`, value: asText(item.quantity) },
      { key: `PartnerOnRecord-${i}`, value: asText(item.partnerOnRecord) },
    );
  });
  if (isJsonObject(row.customizedData)) {
    for (const [key, value] of Object.entries(row.customizedData)) out.push({ key, value: asText(value) });
  }
  return out;
}

/** One row as an AuditRecord: an imported one exactly as it came, ours mapped field by field. */
export function toAuditRecord(row: AuditRecordRow, tenantId: string): unknown {
  if (row.sourceRecord !== null && row.sourceRecord !== undefined) return row.sourceRecord;
  const record: JsonObject = {
    id: `${tenantId}_${ticksOf(row.occurredAt)}_${row.id}`,
    partnerId: tenantId,
    participants: [],
    customerId: row.customerId ?? undefined,
    customerName: row.customerName ?? undefined,
    userPrincipalName: row.userPrincipalName,
    applicationId: row.applicationId,
    resourceType: row.resourceType,
    resourceOldValue: row.resourceOldValue === null ? undefined : JSON.stringify(row.resourceOldValue),
    resourceNewValue: row.resourceNewValue === null ? undefined : JSON.stringify(row.resourceNewValue),
    operationType: row.operationType,
    originalCorrelationId: row.correlationId,
    operationDate: operationDate(row.occurredAt),
    operationStatus: row.operationStatus,
    customizedData: customizedDataOf(row),
    attributes: { objectType: "AuditRecord" },
  };
  return JSON.parse(JSON.stringify(record));
}

/** The query string of a page's links, as Partner Center writes them. */
function queryOf(query: AuditQuery, size: number): string {
  const params = new URLSearchParams({
    size: String(size),
    startDate: query.start.toISOString(),
    endDate: query.end.toISOString(),
  });
  if (query.filter) {
    params.set("filter", filterJson(query.filter));
  }
  return params.toString();
}

/** `fetched` holds up to one row more than the page: whether it does says if there is a next page. */
export function auditRecordsEnvelope(request: AuditPageRequest, fetched: AuditRecordRow[], tenantId: string) {
  const uri = `/auditrecords?${queryOf(request, request.size)}`;
  const rows = fetched.slice(0, request.size);
  const last = rows.at(-1);
  const token = fetched.length > request.size && last ? encodeContinuationToken(request, last) : null;
  return {
    totalCount: rows.length,
    items: rows.map((row) => toAuditRecord(row, tenantId)),
    links: {
      self: { uri, method: "GET", headers: [] },
      ...(token ? { next: { uri, method: "GET", headers: [{ key: "MS-ContinuationToken", value: token }] } } : {}),
    },
    ...(token ? { continuationToken: token } : {}),
    attributes: { objectType: "Collection" },
  };
}
