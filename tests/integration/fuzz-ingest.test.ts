import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/activity-records/route";
import { closeDb } from "@/db/client";
import { getActivityDetails, getActivityPage } from "@/db/queries/activity-records";
import { DEMO_API_KEYS, DEMO_TENANTS } from "@/db/seed/demo-data";
import { seedDemo } from "@/db/seed/seed-demo";
import { decodeCursor } from "@/lib/cursor";
import { parseOccurredAt } from "@/lib/ingest/record-schema";
import { resetIngestRateLimiter } from "@/lib/ingest/rate-limit";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { OPERATION_STATUSES } from "@/lib/domain";
import { SQL_FRAGMENTS, hostileUnit, hostileText, hugeText } from "../support/arbitraries";
import { at } from "../support/present";

/*
 * Property-based fuzzing of POST /api/v1/activity-records through the route itself, on a real
 * database: whatever the body, bytes or headers, the answer is 2xx or a 4xx whose JSON carries a
 * sentence (never a 5xx), a refused request leaves every stored row as it was, and an accepted
 * batch is stored whole, read back exactly as sent.
 *
 * Run counts are modest: this file runs in every `npm test` on two cores.
 */

const contoso = at(DEMO_TENANTS, 0, "the Contoso demo tenant");
const fabrikam = at(DEMO_TENANTS, 1, "the Fabrikam demo tenant");
const KEY = DEMO_API_KEYS.find((k) => k.tenantId === contoso.id)!.key;
const URL = "http://localhost/api/v1/activity-records";
const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------
// Generators.

/** What Postgres text and jsonb hold unchanged: no NUL, no lone surrogates (fc's "binary" has none). */
const storableUnit = fc.oneof(
  { weight: 5, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }).filter((c) => c !== "\u0000") },
  { weight: 2, arbitrary: fc.constantFrom(...SQL_FRAGMENTS) },
);
const plainUnit = storableUnit.filter((c) => !/\p{Cc}/u.test(c));

/** Any value as raw JSON text, including what JSON.stringify cannot write (1e400, deep nesting). */
const rawJson = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3, stringUnit: hostileUnit }).map((v) => JSON.stringify(v)) },
  { weight: 3, arbitrary: hostileText.map((s) => JSON.stringify(s)) },
  { weight: 1, arbitrary: hugeText.map((s) => JSON.stringify(s)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "1e400",
      "-1e400",
      "123456789012345678901234567890",
      "-0",
      "1e-400",
      "1E+2",
      "true",
      "null",
      "[]",
      "{}",
      '"\\u0000"',
      '"\\ud800"',
      '"\\udfff\\ud800"',
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 300 }).map((d) => "[".repeat(d) + "]".repeat(d)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 60 }).map((d) => '{"a":'.repeat(d) + "1" + "}".repeat(d)) },
);

const FIELDS = [
  "eventId",
  "occurredAt",
  "operationType",
  "resourceType",
  "operationStatus",
  "userPrincipalName",
  "applicationId",
  "customerId",
  "customerName",
  "correlationId",
  "resourceOldValue",
  "resourceNewValue",
  "customizedData",
];
const fieldName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...FIELDS) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "tenantId",
      "cloud",
      "id",
      "recordedAt",
      "records",
      "__proto__",
      "constructor",
      "toString",
      "hasOwnProperty",
    ),
  },
  { weight: 1, arbitrary: hostileText },
);

let sequence = 0;
/** A valid record as JSON fields (raw JSON text per field), with an eventId no run has used. */
const validRecord = (customers: string[]) =>
  fc
    .record({
      eventId: fc.string({
        unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
        maxLength: 80,
      }),
      occurredMs: fc.integer({ min: Date.now() - 20 * DAY_MS, max: Date.now() - 60_000 }),
      spelling: fc.constantFrom("iso", "offset", "nanos", "lowercase"),
      operationType: fc.stringMatching(/^[a-z][a-z0-9_]{0,63}$/),
      resourceType: fc.constantFrom("order", "customer", "subscription"),
      operationStatus: fc.constantFrom(...OPERATION_STATUSES),
      userPrincipalName: fc
        .string({ unit: plainUnit.filter((c) => !/\s/u.test(c)), minLength: 1, maxLength: 20 })
        .filter((s) => s.length <= 320),
      applicationId: fc
        .string({ unit: plainUnit, minLength: 1, maxLength: 12 })
        .filter((s) => s.trim() !== "" && s.length <= 200),
      customer: fc.option(
        fc.tuple(
          fc.constantFrom(...customers),
          fc.boolean(),
          fc.option(
            fc.string({ unit: plainUnit, maxLength: 20 }).filter((s) => s.length <= 400),
            { nil: null },
          ),
        ),
      ),
      correlationId: fc.uuid(),
      resourceNewValue: fc.option(fc.jsonValue({ maxDepth: 4, stringUnit: storableUnit }), { nil: undefined }),
      customizedData: fc.option(fc.jsonValue({ maxDepth: 2, stringUnit: storableUnit }), { nil: undefined }),
    })
    .map((r) => {
      const at = new Date(r.occurredMs).toISOString();
      const occurredAt =
        r.spelling === "offset"
          ? new Date(r.occurredMs + 9 * 3_600_000 + 30 * 60_000).toISOString().replace("Z", "+09:30")
          : r.spelling === "nanos"
            ? at.replace("Z", "987654Z")
            : r.spelling === "lowercase"
              ? at.replace("T", "t").replace("Z", "z")
              : at;
      const fields: Record<string, unknown> = {
        eventId: `${++sequence}:${randomUUID()}:${r.eventId}`,
        occurredAt,
        operationType: r.operationType,
        resourceType: r.resourceType,
        operationStatus: r.operationStatus,
        userPrincipalName: r.userPrincipalName,
        applicationId: r.applicationId,
        correlationId: r.correlationId,
      };
      if (r.customer) {
        const [id, upper, name] = r.customer;
        fields.customerId = upper ? id.toUpperCase() : id;
        fields.customerName = name;
      }
      if (r.resourceNewValue !== undefined) fields.resourceNewValue = r.resourceNewValue;
      if (r.customizedData !== undefined) fields.customizedData = r.customizedData;
      return { fields, occurredMs: r.occurredMs };
    });

/** A JSON object from (key, raw JSON) pairs: keys may repeat or be "__proto__", values may be 1e400. */
const objectText = (pairs: Array<[string, string]>) =>
  `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`;
const recordText = (fields: Record<string, unknown>) =>
  objectText(Object.entries(fields).map(([k, v]) => [k, JSON.stringify(v)]));
const batchText = (items: string[], shape: "array" | "records") =>
  shape === "array" ? `[${items.join(",")}]` : `{"records":[${items.join(",")}]}`;

// ---------------------------------------------------------------------------------------------
// Oracles.

interface Stored {
  index: number;
  eventId: string;
  id: number;
  occurredAt: string;
  status: "created" | "duplicate";
}
type Outcome =
  | { ok: true; status: number; records: Stored[] }
  | { ok: false; status: number; code: string; errors: Array<{ index: number; field: string; message: string }> };

function expectSentence(message: unknown): void {
  expect(typeof message).toBe("string");
  expect((message as string).trim().length).toBeGreaterThan(0);
  expect((message as string).isWellFormed()).toBe(true);
}

/** 2xx with the stored records, or 4xx with a JSON error whose every message is a sentence. */
async function outcomeOf(response: Response): Promise<Outcome> {
  expect(response.status).toBeLessThan(500);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await response.json()) as {
    records?: Stored[];
    error?: {
      code: string;
      message: string;
      details?: { errors?: Array<{ index: number; field: string; message: string }> };
    };
  };
  if (response.status < 300) {
    expect([200, 201]).toContain(response.status);
    expect(Array.isArray(body.records)).toBe(true);
    return { ok: true, status: response.status, records: body.records! };
  }
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(typeof body.error?.code).toBe("string");
  expectSentence(body.error?.message);
  const errors = body.error?.details?.errors ?? [];
  for (const error of errors) {
    expect(Number.isInteger(error.index) && error.index >= 0).toBe(true);
    expect(typeof error.field).toBe("string");
    expectSentence(error.message);
  }
  return { ok: false, status: response.status, code: body.error!.code, errors };
}

function post(body: BodyInit, headers: Record<string, string> = {}): Promise<Response> {
  return POST(
    new Request(URL, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", ...headers },
      body,
    }),
  );
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemo(db.url, { recordsPerTenant: 20, customersPerTenant: 3 });
  process.env.DATABASE_URL = db.url;
});
afterAll(async () => {
  await closeDb();
  await db?.drop();
});

describe("fuzz: POST /api/v1/activity-records", () => {
  let customers: string[];
  let storedEventId: string;

  /** Counts and an order-free checksum of every row of the three tables ingestion writes. */
  const fingerprint = async () => {
    const [row] = await db.admin`
      select (select count(*)::int from activity_records) as records,
             (select coalesce(sum(hashtext(r::text)), 0)::text from activity_records r) as records_sum,
             (select count(*)::int from activity_record_details) as details,
             (select coalesce(sum(hashtext(d::text)), 0)::text from activity_record_details d) as details_sum,
             (select count(*)::int from activity_ingest_events) as events,
             (select coalesce(sum(hashtext(e::text)), 0)::text from activity_ingest_events e) as events_sum`;
    return row as { records: number; details: number; events: number };
  };

  /** The property every request shares: a typed answer, and nothing stored unless it succeeded. */
  async function sendAndCheck(send: () => Promise<Response>): Promise<Outcome> {
    const before = await fingerprint();
    const outcome = await outcomeOf(await send());
    const after = await fingerprint();
    if (!outcome.ok) {
      expect(after).toEqual(before);
    } else {
      const created = outcome.records.filter((r) => r.status === "created").length;
      expect(outcome.status).toBe(created > 0 ? 201 : 200);
      expect(after.records).toBe(before.records + created);
      expect(after.events).toBe(before.events + created);
    }
    return outcome;
  }

  beforeAll(async () => {
    process.env.INGEST_RATE_PER_SECOND = "0"; // off: the fuzzer sends far more than 20 a second
    resetIngestRateLimiter();
    customers = (await db.admin<Array<{ id: string }>>`select id from customers where tenant_id = ${contoso.id}`).map(
      (r) => r.id,
    );
    storedEventId = `stored-${randomUUID()}`;
    const first = await post(
      recordText({
        eventId: storedEventId,
        occurredAt: new Date(Date.now() - 60_000).toISOString(),
        operationType: "create_order",
        resourceType: "order",
        operationStatus: "succeeded",
        userPrincipalName: "orders@contoso.example",
        applicationId: "Orders",
        correlationId: randomUUID(),
      }),
    );
    expect(first.status).toBe(201);
  });

  afterAll(() => {
    delete process.env.INGEST_RATE_PER_SECOND;
    resetIngestRateLimiter();
  });

  it("answers any JSON value, bare or as a batch, with 2xx or a typed 4xx, storing nothing it refuses", async () => {
    await fc.assert(
      fc.asyncProperty(rawJson, fc.constantFrom("bare", "array", "records"), async (value, shape) => {
        const body = shape === "bare" ? value : shape === "array" ? `[${value}]` : `{"records":${value}}`;
        await sendAndCheck(() => post(body));
      }),
      { numRuns: 80 },
    );
  });

  it("refuses records with wrong types, arrays for scalars, huge numbers, SQL, 100 KB strings and odd keys, storing nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        validRecord(["00000000-0000-4000-8000-000000000000"]),
        fc.array(
          fc.tuple(
            fieldName,
            fc.oneof(rawJson, fc.constantFrom("42", "true", "null", "[]", "{}", '["create_order"]', '{"$gt":""}')),
          ),
          { minLength: 1, maxLength: 4 },
        ),
        fc.constantFrom("single", "array", "records"),
        async ({ fields }, overrides, shape) => {
          const pairs: Array<[string, string]> = Object.entries(fields).map(([k, v]) => [k, JSON.stringify(v)]);
          for (const [key, value] of overrides) {
            const at = pairs.findIndex(([k]) => k === key);
            if (at >= 0) pairs[at] = [key, value];
            else pairs.push([key, value]);
          }
          const item = objectText(pairs);
          const outcome = await sendAndCheck(() => post(shape === "single" ? item : batchText([item], shape)));
          // Overrides can happen to be valid; when refused, the problem is named on record 0.
          if (!outcome.ok && outcome.status === 400 && outcome.errors.length > 0)
            expect(outcome.errors.every((e) => e.index === 0)).toBe(true);
        },
      ),
      {
        numRuns: 120,
        examples: [
          // Found by this test: these keys read Object.prototype and answered without a message.
          [
            { fields: { eventId: "e", occurredAt: "2026-01-01T00:00:00Z" }, occurredMs: 0 },
            [["constructor", "1"]],
            "single",
          ],
          [
            { fields: { eventId: "e", occurredAt: "2026-01-01T00:00:00Z" }, occurredMs: 0 },
            [["__proto__", "{}"]],
            "array",
          ],
        ],
      },
    );
  });

  it("refuses bodies that are not UTF-8, or not whole JSON, storing nothing", async () => {
    const INVALID_UTF8 = [
      [0xc3, 0x28],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xc0, 0xaf],
      [0xff],
      [0xfe, 0xff],
      [0x80],
      [0xe2, 0x82],
    ];
    await fc.assert(
      fc.asyncProperty(
        validRecord(customers),
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ kind: "random" as const, bytes })),
          fc
            .tuple(fc.constantFrom(...INVALID_UTF8), fc.double({ min: 0, max: 1, noNaN: true }))
            .map(([bytes, where]) => ({ kind: "splice" as const, bytes, where })),
          fc
            .double({ min: 0, max: 1, noNaN: true, maxExcluded: true })
            .map((where) => ({ kind: "truncate" as const, where })),
        ),
        async ({ fields }, damage) => {
          const valid = new TextEncoder().encode(recordText(fields));
          let body: Uint8Array;
          if (damage.kind === "random") body = damage.bytes;
          else if (damage.kind === "truncate") body = valid.slice(0, Math.floor(valid.length * damage.where));
          else {
            const at = Math.floor(valid.length * damage.where);
            body = new Uint8Array([...valid.slice(0, at), ...damage.bytes, ...valid.slice(at)]);
          }
          const outcome = await sendAndCheck(() => post(new Blob([body as Uint8Array<ArrayBuffer>])));
          expect(outcome.ok).toBe(false);
          if (!outcome.ok && damage.kind !== "random") expect(outcome.status).toBe(400);
        },
      ),
      { numRuns: 80 },
    );
  });

  it("answers any content type with 415 unless it is JSON, and any Authorization with 401 unless it is a key", async () => {
    const contentType = fc.oneof(
      fc.constantFrom(
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/jsonx",
        "application/json-patch+json",
        "APPLICATION/JSON; charset=UTF-8",
        "application/problem+json",
        "json",
        "*/*",
        "",
      ),
      fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 }),
    );
    const authorization = fc.oneof(
      fc.constant(`Bearer ${KEY}`),
      fc.constantFrom(
        `bearer ${KEY}`,
        `Bearer  ${KEY}  `,
        `Basic ${KEY}`,
        `Bearer ${KEY}x`,
        `Bearer pal_${"A".repeat(43)}`,
        `Bearer ${KEY}' OR '1'='1`,
        "Bearer",
        "",
      ),
      fc
        .string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 })
        .map((s) => `Bearer ${s}`),
    );
    await fc.assert(
      fc.asyncProperty(validRecord(customers), contentType, authorization, async ({ fields }, type, auth) => {
        const outcome = await sendAndCheck(() =>
          post(recordText(fields), { "content-type": type, authorization: auth }),
        );
        // RFC 6750's header: the scheme in any case, one or more spaces, the token.
        if (/^bearer +(\S+) *$/i.exec(auth)?.[1] !== KEY) expect(outcome.status).toBe(401);
        else if (
          !/^application\/([a-z0-9.+-]+\+)?json$/.test(at(type.split(";"), 0, "the media type").trim().toLowerCase())
        )
          expect(outcome.status).toBe(415);
        else expect(outcome.status).toBe(201);
      }),
      { numRuns: 60 },
    );
  });

  it("stores valid batches whole, exactly as sent (SQL and any script included), and a retry stores nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(validRecord(customers), { minLength: 1, maxLength: 5 }),
        fc.constantFrom("array", "records"),
        async (batch, shape) => {
          const body =
            batch.length === 1 && shape === "array"
              ? recordText(at(batch, 0, "the batch's record").fields)
              : batchText(
                  batch.map((r) => recordText(r.fields)),
                  shape,
                );
          const outcome = await sendAndCheck(() => post(body));
          expect(outcome).toMatchObject({ ok: true, status: 201 });
          if (!outcome.ok) return;
          expect(outcome.records.map((r) => [r.index, r.eventId, r.status, r.occurredAt])).toEqual(
            batch.map((r, index) => [index, r.fields.eventId, "created", new Date(r.occurredMs).toISOString()]),
          );

          const rows = await db.admin<Array<Record<string, unknown>>>`
          select r.id::text as id, r.tenant_id, r.cloud, (extract(epoch from r.occurred_at) * 1000)::float8 as occurred_ms, r.customer_id,
                 r.customer_name, r.operation_type, r.resource_type, r.operation_status, r.user_principal_name, r.application_id,
                 r.correlation_id, d.resource_new_value, d.customized_data
          from activity_records r
          left join activity_record_details d on d.tenant_id = r.tenant_id and d.occurred_at = r.occurred_at and d.record_id = r.id
          where r.id = any(${outcome.records.map((r) => r.id)}::bigint[])`;
          const byId = new Map(rows.map((row) => [row.id, row]));
          batch.forEach(({ fields, occurredMs }, index) => {
            const id = String(at(outcome.records, index, `the outcome of record ${index}`).id);
            const row = byId.get(id);
            // JSON's own round trip: -0 is written "0", as jsonb gives it back.
            const json = (value: unknown) =>
              value === undefined || value === null ? null : JSON.parse(JSON.stringify(value));
            expect(row).toEqual({
              id,
              tenant_id: contoso.id,
              cloud: "commercial",
              occurred_ms: occurredMs,
              customer_id: typeof fields.customerId === "string" ? fields.customerId.toLowerCase() : null,
              customer_name: fields.customerName ?? null,
              operation_type: fields.operationType,
              resource_type: fields.resourceType,
              operation_status: fields.operationStatus,
              user_principal_name: fields.userPrincipalName,
              application_id: fields.applicationId,
              correlation_id: fields.correlationId,
              resource_new_value: json(fields.resourceNewValue),
              customized_data: json(fields.customizedData),
            });
          });

          const retry = await sendAndCheck(() => post(body));
          expect(retry).toMatchObject({ ok: true, status: 200 });
          if (retry.ok)
            expect(retry.records.map((r) => [r.id, r.status])).toEqual(outcome.records.map((r) => [r.id, "duplicate"]));
        },
      ),
      { numRuns: 25 },
    );
  });

  it("stores nothing of a batch with one bad record, and names that record", async () => {
    const foreignCustomer = randomUUID();
    // Each is wrong in one way; the last few pass validation and fail at the database's checks.
    const BAD: Array<[string, () => string]> = [
      ["eventId", () => '""'],
      ["eventId", () => '"has space"'],
      ["eventId", () => JSON.stringify("x".repeat(129))],
      ["eventId", () => '["evt-1"]'],
      ["occurredAt", () => '"2026-13-01T00:00:00Z"'],
      ["occurredAt", () => '"yesterday"'],
      ["occurredAt", () => "1e400"],
      ["occurredAt", () => '"2026-05-01T12:30:00"'],
      ["operationType", () => JSON.stringify("x'; DROP TABLE activity_records; --")],
      ["operationStatus", () => '["succeeded"]'],
      ["userPrincipalName", () => '"a b"'],
      ["userPrincipalName", () => '"\\ud800"'],
      ["applicationId", () => JSON.stringify("x".repeat(100_000))],
      ["correlationId", () => JSON.stringify(`${randomUUID()}' OR '1'='1`)],
      ["customerName", () => '"a\\u0000b"'],
      ["resourceNewValue", () => '{"a":"\\u0000"}'],
      ["resourceNewValue", () => "[".repeat(40) + "]".repeat(40)],
      ["customizedData", () => '{"big":1e400}'],
      ["customizedData", () => JSON.stringify({ note: "x".repeat(70_000) })],
      ["tenantId", () => JSON.stringify(fabrikam.id)],
      ["cloud", () => '"usgov"'],
      ["constructor", () => "1"],
      ["occurredAt", () => '"2001-01-01T00:00:00Z"'],
      ["occurredAt", () => JSON.stringify(new Date(Date.now() + DAY_MS).toISOString())],
      ["customerId", () => JSON.stringify(foreignCustomer)],
      ["eventId", () => JSON.stringify(storedEventId)],
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(validRecord(customers), { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...BAD),
        fc.nat(),
        fc.constantFrom("array", "records"),
        async (batch, [field, bad], position, shape) => {
          const items = batch.map((r) => recordText(r.fields));
          const badIndex = position % (items.length + 1);
          const pairs: Array<[string, string]> = Object.entries(at(batch, 0, "the batch's first record").fields)
            .filter(([k]) => k !== field)
            .map(([k, v]) => [k, k === "eventId" ? JSON.stringify(`bad-${v}`) : JSON.stringify(v)]);
          items.splice(badIndex, 0, objectText([...pairs, [field, bad()]]));
          const outcome = await sendAndCheck(() => post(batchText(items, shape)));
          expect(outcome.ok).toBe(false);
          if (outcome.ok) return;
          expect([400, 409]).toContain(outcome.status);
          expect(outcome.errors.length).toBeGreaterThan(0);
          expect(outcome.errors.every((e) => e.index === badIndex)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("pins the problem fuzzing found: a field named after an Object.prototype member gets a message", async () => {
    const base = {
      eventId: `pin-${randomUUID()}`,
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
      operationType: "create_order",
      resourceType: "order",
      operationStatus: "succeeded",
      userPrincipalName: "orders@contoso.example",
      applicationId: "Orders",
      correlationId: randomUUID(),
    };
    for (const key of ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"]) {
      const outcome = await sendAndCheck(() =>
        post(
          objectText([...Object.entries(base).map(([k, v]): [string, string] => [k, JSON.stringify(v)]), [key, "{}"]]),
        ),
      );
      expect(outcome).toEqual({
        ok: false,
        status: 400,
        code: "bad_request",
        errors: [{ index: 0, field: key, message: "is not a field of an activity record." }],
      });
    }
  });
});

describe("fuzz: the log's readers ask PostgreSQL only what it can read", () => {
  const ctx = { tenantId: "0a000000-0000-4000-8000-00000000000a", cloud: "commercial" as const };
  const range = { start: new Date("2026-01-01T00:00:00Z"), end: new Date("2026-02-01T00:00:00Z") };
  const anyInstant = fc.oneof(
    fc.date({ noInvalidDate: true }),
    fc
      .constantFrom(
        8.64e15,
        -8.64e15,
        Date.parse("+010000-01-01T00:00:00Z"),
        Date.parse("0000-06-01T00:00:00Z"),
        Date.parse("0001-01-01T00:00:00Z"),
      )
      .map((ms) => new Date(ms)),
  );

  it("pages from any cursor decodeCursor accepts, and looks up any `at` the record route accepts", async () => {
    await fc.assert(
      fc.asyncProperty(anyInstant, fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), async (at, id) => {
        // The cursor and the `at` a hostile link could carry for this instant.
        const cursor = decodeCursor(Buffer.from(JSON.stringify([at.getTime(), id])).toString("base64url"));
        if (cursor)
          await expect(
            getActivityPage({ ctx, params: { range, size: 25, cursor, dir: "next" } }),
          ).resolves.toMatchObject({ rows: [] });
        const parsed = parseOccurredAt(at.toISOString());
        if (parsed.ok) await expect(getActivityDetails({ ctx, id, occurredAt: parsed.date })).resolves.toBeNull();
      }),
      {
        numRuns: 40,
        examples: [
          [new Date(8.64e15), 1],
          [new Date(Date.parse("0000-06-01T00:00:00Z")), 1],
        ],
      },
    );
  });
});
