import { describe, expect, it } from "vitest";
import {
  apiKeyDisplayPrefix,
  bearerToken,
  generateApiKey,
  hashApiKey,
  isWellFormedApiKey,
} from "@/lib/ingest/api-key-format";
import { canonicalJson } from "@/lib/ingest/canonical-json";
import { MAX_RECORD_JSON_BYTES, MAX_RECORDS_PER_REQUEST } from "@/lib/ingest/limits";
import { checkOccurredAt } from "@/lib/ingest/partitions";
import { TokenBucketLimiter } from "@/lib/ingest/rate-limit";
import { parseIngestBody, parseOccurredAt, type IngestRecord } from "@/lib/ingest/record-schema";
import { at } from "../support/present";

const record = (overrides: Record<string, unknown> = {}) => ({
  eventId: "orders-7f3a:1",
  occurredAt: "2026-05-01T12:30:00.123Z",
  operationType: "create_order",
  resourceType: "order",
  operationStatus: "succeeded",
  userPrincipalName: "agent@contoso.example",
  applicationId: "Orders service",
  customerId: "0B8A3E2C-1D4F-4A6B-9C7D-2E1F0A3B4C5D",
  customerName: "주식회사 한빛소프트",
  correlationId: "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
  resourceNewValue: { orderId: "o-1", lineItems: [{ offerName: "Microsoft 365 E3", quantity: 25 }] },
  ...overrides,
});

function ok(body: unknown): IngestRecord[] {
  const result = parseIngestBody(body);
  if (!result.ok) throw new Error(JSON.stringify(result));
  return result.records;
}

/** The first record a valid body parses to. */
const parsedRecord = (body: unknown): IngestRecord => at(ok(body), 0, "the parsed record");

function errorsOf(body: unknown) {
  const result = parseIngestBody(body);
  if (result.ok) throw new Error("expected errors");
  return result;
}

describe("parseIngestBody", () => {
  it("accepts one record, an array, or { records }, and normalises them", () => {
    const one = parsedRecord(record());
    expect(one).toMatchObject({
      eventId: "orders-7f3a:1",
      operationStatus: "succeeded",
      customerId: "0b8a3e2c-1d4f-4a6b-9c7d-2e1f0a3b4c5d",
      customerName: "주식회사 한빛소프트",
      resourceOldValue: null,
      customizedData: null,
    });
    expect(one.occurredAt.toISOString()).toBe("2026-05-01T12:30:00.123Z");
    expect(ok([record(), record({ eventId: "b" })])).toHaveLength(2);
    expect(ok({ records: [record()] })).toHaveLength(1);
  });

  it("reports the index and field of every problem in a batch", () => {
    const result = errorsOf({
      records: [
        record(),
        record({ eventId: "x", operationStatus: "done", correlationId: "nope" }),
        record({ eventId: "y", occurredAt: undefined, userPrincipalName: "has space@x" }),
      ],
    });
    expect(result.code).toBe("bad_request");
    expect(result.message).toBe("2 of 3 records are invalid; nothing was stored.");
    expect(result.errors.map((e) => [e.index, e.field])).toEqual([
      [1, "operationStatus"],
      [1, "correlationId"],
      [2, "occurredAt"],
      [2, "userPrincipalName"],
    ]);
    expect(at(result.errors, 0, "the first error").message).toBe(
      "must be one of succeeded, failed, progress, decline.",
    );
    expect(at(result.errors, 2, "the third error").message).toBe("is required.");
  });

  it("refuses fields that would name a tenant or cloud", () => {
    const { errors } = errorsOf(
      record({ tenantId: "8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c02", cloud: "usgov", colour: "red" }),
    );
    expect(errors).toEqual([
      { index: 0, field: "tenantId", message: "cannot be given: the API key decides the tenant." },
      { index: 0, field: "cloud", message: "cannot be given: the API key decides the cloud." },
      { index: 0, field: "colour", message: "is not a field of an activity record." },
    ]);
  });

  it("refuses an empty batch, a batch over the limit (413) and non-objects", () => {
    expect(errorsOf([]).message).toBe("The batch holds no records.");
    const big = errorsOf(Array.from({ length: MAX_RECORDS_PER_REQUEST + 1 }, (_, i) => record({ eventId: `e${i}` })));
    expect(big.code).toBe("payload_too_large");
    expect(errorsOf("hello").code).toBe("bad_request");
    expect(errorsOf({ records: [record()], extra: 1 }).message).toMatch(/nothing else beside "records"/);
    expect(errorsOf([42]).errors).toEqual([{ index: 0, field: "", message: "must be a JSON object." }]);
  });

  it("refuses an eventId repeated within a batch", () => {
    const { errors } = errorsOf([record(), record({ operationStatus: "failed" })]);
    expect(errors).toEqual([{ index: 1, field: "eventId", message: "repeats the eventId of record 0 in this batch." }]);
  });

  it("caps each record's JSON and refuses what jsonb cannot hold", () => {
    const half = "x".repeat(MAX_RECORD_JSON_BYTES / 2);
    const { errors } = errorsOf([
      record({ eventId: "a", resourceOldValue: { a: half }, resourceNewValue: { b: half } }),
      record({ eventId: "b", customizedData: { note: "nul\u0000here" } }),
      record({ eventId: "c", customizedData: JSON.parse("[".repeat(40) + "]".repeat(40)) }),
      record({ eventId: "d", customizedData: { ["bad\u0000key"]: 1 } }),
      record({ eventId: "e", customizedData: { n: Infinity } }),
    ]);
    expect(errors.map((e) => [e.index, e.field])).toEqual([
      [0, "resourceOldValue"],
      [1, "customizedData"],
      [2, "customizedData"],
      [3, "customizedData"],
      [4, "customizedData"],
    ]);
    expect(at(errors, 0, "the error for record a").message).toMatch(/together are 65,5\d\d bytes, at most 65,536/);
    expect(at(errors, 2, "the error for record c").message).toMatch(/nested more than 32 levels/);
    expect(at(errors, 3, "the error for record d").message).toMatch(/has a key that contains a NUL/);
    // Just under the cap is fine.
    expect(ok(record({ customizedData: "y".repeat(MAX_RECORD_JSON_BYTES - 400) }))).toHaveLength(1);
  });

  it("refuses unpaired surrogates and control characters in text fields", () => {
    const { errors } = errorsOf(record({ customerName: "bad \ud800 name", applicationId: "tab\there" }));
    expect(errors.map((e) => e.field)).toEqual(["applicationId", "customerName"]);
  });

  it("hashes the payload canonically: key order does not matter, content and time do, eventId does not", () => {
    const a = parsedRecord(record({ resourceNewValue: { x: 1, y: [1, 2] } }));
    const b = parsedRecord(
      record({ resourceNewValue: { y: [1, 2], x: 1 }, occurredAt: "2026-05-01T14:30:00.123+02:00" }),
    );
    const c = parsedRecord(record({ resourceNewValue: { x: 1, y: [2, 1] } }));
    const d = parsedRecord(record({ eventId: "other" }));
    const e = parsedRecord(record());
    expect(a.payloadHash).toBe(b.payloadHash);
    expect(a.payloadHash).not.toBe(c.payloadHash);
    expect(d.payloadHash).toBe(e.payloadHash);
  });
});

describe("parseOccurredAt", () => {
  it("reads offsets and truncates below milliseconds", () => {
    const at = (s: string) => {
      const r = parseOccurredAt(s);
      return r.ok ? r.date.toISOString() : r.message;
    };
    expect(at("2026-05-01T00:00:00Z")).toBe("2026-05-01T00:00:00.000Z");
    expect(at("2026-05-01T09:00:00.5+09:00")).toBe("2026-05-01T00:00:00.500Z");
    expect(at("2026-04-30T20:00:00.123456789-04:00")).toBe("2026-05-01T00:00:00.123Z");
    expect(at("2026-05-01t00:00:00z")).toBe("2026-05-01T00:00:00.000Z");
    expect(at("2026-05-01T00:00:00")).toMatch(/with a time zone offset/);
    expect(at("2026-02-30T00:00:00Z")).toMatch(/not a real date/);
    expect(at("2026-05-01T24:00:00Z")).toMatch(/not a real date/);
    expect(at("1999-12-31T23:59:59Z")).toMatch(/2000 or later/);
  });
});

describe("checkOccurredAt", () => {
  const may = { from: Date.parse("2026-05-01T00:00:00Z"), to: Date.parse("2026-06-01T00:00:00Z") };
  const now = new Date("2026-05-20T00:00:00Z");
  it("names records in the future or in a month without a partition", () => {
    const records = ok([
      record({ eventId: "a", occurredAt: "2026-05-19T00:00:00Z" }),
      record({ eventId: "b", occurredAt: "2026-04-30T23:59:59.999Z" }),
      record({ eventId: "c", occurredAt: "2026-05-20T00:06:00Z" }),
      record({ eventId: "d", occurredAt: "2026-05-20T00:04:00Z" }),
    ]);
    expect(checkOccurredAt(records, [may], now)).toEqual([
      {
        index: 1,
        field: "occurredAt",
        message: "falls in 2026-04, a month the log has no partition for (the log stores 2026-05 to 2026-05).",
      },
      { index: 2, field: "occurredAt", message: "is more than 5 minutes in the future." },
    ]);
    expect(checkOccurredAt(records.slice(1, 2), [{ from: -Infinity, to: Infinity }], now)).toEqual([]);
  });
});

describe("TokenBucketLimiter", () => {
  it("allows a burst, then refills at the rate, and says when to retry", () => {
    let t = 0;
    const limiter = new TokenBucketLimiter({ ratePerSecond: 2, burst: 3, now: () => t });
    expect([1, 2, 3].map(() => limiter.take("k").ok)).toEqual([true, true, true]);
    expect(limiter.take("k")).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take("other").ok).toBe(true);
    t += 500;
    expect(limiter.take("k").ok).toBe(true);
    expect(limiter.take("k").ok).toBe(false);
    t += 10_000;
    expect([1, 2, 3, 4].map(() => limiter.take("k").ok)).toEqual([true, true, true, false]);
  });

  it("computes Retry-After from the refill rate, and can be turned off", () => {
    const t = 0;
    const slow = new TokenBucketLimiter({ ratePerSecond: 0.1, burst: 1, now: () => t });
    expect(slow.take("k").ok).toBe(true);
    expect(slow.take("k")).toEqual({ ok: false, retryAfterSeconds: 10 });
    const off = new TokenBucketLimiter({ ratePerSecond: 0, burst: 0 });
    expect(Array.from({ length: 100 }, () => off.take("k").ok).every(Boolean)).toBe(true);
  });

  it("keeps a bounded number of buckets", () => {
    const t = 0;
    const limiter = new TokenBucketLimiter({ ratePerSecond: 1, burst: 1, maxKeys: 10, now: () => t });
    for (let i = 0; i < 100; i++) limiter.take(`k${i}`);
    expect((limiter as unknown as { buckets: Map<string, unknown> }).buckets.size).toBe(10);
  });
});

describe("API key format", () => {
  it("generates 256-bit keys and parses Bearer headers strictly", () => {
    const key = generateApiKey();
    expect(key).toMatch(/^pal_[A-Za-z0-9_-]{43}$/);
    expect(isWellFormedApiKey(key)).toBe(true);
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(apiKeyDisplayPrefix(key)).toBe(key.slice(0, 12));
    expect(bearerToken(`Bearer ${key}`)).toBe(key);
    expect(bearerToken(`bearer  ${key} `)).toBe(key);
    expect(bearerToken(null)).toBeNull();
    expect(bearerToken(`Basic ${key}`)).toBeNull();
    expect(bearerToken("Bearer not-a-key")).toBeNull();
    expect(bearerToken(`Bearer ${key} extra`)).toBeNull();
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every level and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson("é")).toBe('"é"');
  });
});
