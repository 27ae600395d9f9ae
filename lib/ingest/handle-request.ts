import type { Sql } from "postgres";
import { getSql } from "@/db/client";
import { AppError } from "@/lib/errors";
import { annotate } from "@/lib/observability/request-context";
import { bearerToken, hashApiKey } from "./api-key-format";
import { findApiKey, type ApiKeyIdentity } from "@/db/api-keys";
import { MAX_BODY_BYTES } from "./limits";
import { checkRecordTimes } from "./partitions";
import { ingestRateLimiter, type TokenBucketLimiter } from "./rate-limit";
import { parseIngestBody } from "./record-schema";
import { storeRecords, type StoredRecord } from "@/db/mutations/ingest-batch";
import type { ApiKeyScope } from "@/lib/domain";
import { beforeFirst } from "@/lib/before-first";

/*
 * POST /api/v1/activity-records, everything but the HTTP plumbing. The order is chosen so that the
 * cheap refusals come first and nothing touches the database for a request that will fail anyway:
 * header (401) -> rate limit per key (429) -> key lookup (401) -> media type (415) -> declared size
 * (413) -> body read with a hard cap (413) -> JSON (400) -> contract (400/413) -> partitions and
 * clock (400) -> one transaction (400 unknown customer / 409 reused eventId / 201 or 200).
 * Every error leaves nothing stored: the only write is that last transaction.
 */

export interface IngestResponse {
  status: 200 | 201;
  body: { records: StoredRecord[] };
}

export interface IngestDeps {
  sql?: Sql;
  limiter?: TokenBucketLimiter;
  now?: () => Date;
}

const AUTHENTICATE = { "WWW-Authenticate": 'Bearer realm="activity-records"' };

function isJsonMediaType(contentType: string | null): boolean {
  if (!contentType) return false;
  const type = beforeFirst(contentType, ";").trim().toLowerCase();
  return type === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

const tooLarge = () =>
  new AppError(
    "payload_too_large",
    `The body can be at most ${MAX_BODY_BYTES.toLocaleString("en-US")} bytes (${MAX_BODY_BYTES / 1024 / 1024} MiB).`,
  );

/** Reads the body, refusing it as soon as it passes the cap (a lying or absent Content-Length too). */
export async function readBodyWithCap(request: Request, cap: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError("bad_request", `The body is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * The API key of a request, checked in the order that spares the database: header (401) -> rate
 * limit per key (429) -> lookup (401) -> scope (403). Every API route authenticates here.
 */
export async function authenticateApiKey(
  request: Request,
  scope: ApiKeyScope,
  deps: Pick<IngestDeps, "sql" | "limiter"> = {},
): Promise<ApiKeyIdentity> {
  const token = bearerToken(request.headers.get("authorization"));
  if (!token) {
    throw new AppError("unauthorized", "Send an API key as 'Authorization: Bearer pal_...'.", undefined, AUTHENTICATE);
  }
  const keyHash = hashApiKey(token);

  const decision = (deps.limiter ?? ingestRateLimiter()).take(keyHash);
  if (!decision.ok) {
    throw new AppError(
      "rate_limited",
      `Too many requests for this API key; retry in ${decision.retryAfterSeconds} s.`,
      undefined,
      {
        "Retry-After": String(decision.retryAfterSeconds),
      },
    );
  }

  const key = await findApiKey(deps.sql ?? getSql(), keyHash);
  if (!key)
    throw new AppError("unauthorized", "The API key is not valid or has been revoked.", undefined, AUTHENTICATE);
  annotate({ tenantId: key.tenantId, cloud: key.cloud, apiKeyId: key.keyId });
  if (!key.scopes.includes(scope)) {
    throw new AppError(
      "forbidden",
      `This API key cannot ${scope === "read" ? "read records" : "write records"}: it lacks the "${scope}" scope (it has ${key.scopes.join(", ")}).`,
    );
  }
  return key;
}

/** The JSON media type check and the capped body read, shared by the routes that take records. */
export async function readJsonBodyText(request: Request): Promise<string> {
  if (!isJsonMediaType(request.headers.get("content-type"))) {
    throw new AppError("unsupported_media_type", "Send the records as JSON (Content-Type: application/json).");
  }
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > MAX_BODY_BYTES) throw tooLarge();
  return decodeUtf8(await readBodyWithCap(request, MAX_BODY_BYTES));
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("bad_request", "The body is not valid UTF-8.");
  }
}

export async function handleIngest(request: Request, deps: IngestDeps = {}): Promise<IngestResponse> {
  const sql = deps.sql ?? getSql();
  const key = await authenticateApiKey(request, "ingest", deps);
  const body = parseJson(await readJsonBodyText(request));
  const parsed = parseIngestBody(body);
  if (!parsed.ok) {
    throw new AppError(parsed.code, parsed.message, parsed.errors.length > 0 ? { errors: parsed.errors } : undefined);
  }

  const now = deps.now?.() ?? new Date();
  const timeErrors = await checkRecordTimes(sql, parsed.records, now);
  if (timeErrors.length > 0) {
    const invalid = new Set(timeErrors.map((e) => e.index)).size;
    throw new AppError(
      "bad_request",
      `${invalid.toLocaleString("en-US")} record(s) have an occurredAt the log cannot store; nothing was stored.`,
      {
        errors: timeErrors,
      },
    );
  }

  const records = await storeRecords(sql, key, parsed.records);
  return { status: records.some((r) => r.status === "created") ? 201 : 200, body: { records } };
}
