import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { readAuditRecords } from "@/lib/handlers/audit-records";
import { route } from "@/lib/http/route";
import { POST } from "@/app/api/v1/partner-center/audit-records/route";
import { closeDb } from "@/db/client";
import { DEMO_API_KEYS, DEMO_TENANTS } from "@/db/seed/demo-data";
import { seedDemo } from "@/db/seed/seed-demo";
import { getSql } from "@/db/client";
import { createApiKey } from "@/db/api-keys";
import { resetIngestRateLimiter } from "@/lib/ingest/rate-limit";
import { importAuditRecords } from "@/lib/partner-center/import";
import { parseActivityLogParams } from "@/lib/activity-log-params";
import { createActivityCsvStream } from "@/lib/export/activity-csv";
import { parseCsv } from "../support/rfc4180";
import { asStored, auditRecord, envelope, orderRecord } from "../support/partner-center-records";
import { firstRow, required } from "../support/present";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

// The read API's other way in, a signed-in session, is tested end to end in the browser; here
// nobody is signed in, so a request without an API key meets the same 401 a script would.
const GET = route((request: NextRequest) =>
  readAuditRecords(request, async () => {
    throw new AppError("unauthorized", "Sign in to continue.");
  }),
);

const contoso = required(DEMO_TENANTS[0], "the Contoso demo tenant");
const fabrikam = required(DEMO_TENANTS[1], "the Fabrikam demo tenant");
const tailspin = required(DEMO_TENANTS[2], "the Tailspin demo tenant");
const keyOf = (tenantId: string) =>
  required(
    DEMO_API_KEYS.find((k) => k.tenantId === tenantId),
    `the demo API key of tenant ${tenantId}`,
  ).key;
const IMPORT_URL = "http://localhost/api/v1/partner-center/audit-records";
const READ_URL = "http://localhost/api/v1/auditrecords";

type Json = Record<string, unknown>;

function postImport(body: string | unknown, key: string | null = keyOf(contoso.id)) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key) headers.authorization = `Bearer ${key}`;
  return POST(
    new Request(IMPORT_URL, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) }),
  );
}

function getRecords(query: Record<string, string>, options: { key?: string; token?: string } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${options.key ?? keyOf(contoso.id)}` };
  if (options.token) headers["MS-ContinuationToken"] = options.token;
  return GET(new NextRequest(`${READ_URL}?${new URLSearchParams(query)}`, { headers }));
}

interface Envelope {
  totalCount: number;
  items: Json[];
  links: { self: { uri: string }; next?: { headers: Array<{ key: string; value: string }> } };
  continuationToken?: string;
  attributes: { objectType: string };
}

/** Every page of a query, following the continuation token; the items in the order received. */
async function readAll(query: Record<string, string>, key?: string, between?: () => Promise<void>): Promise<Json[]> {
  const items: Json[] = [];
  let token: string | undefined;
  for (let page = 0; page < 1_000; page++) {
    const response = await getRecords(query, { key, token });
    expect(response.status, await response.clone().text()).toBe(200);
    const body = (await response.json()) as Envelope;
    items.push(...body.items);
    const next = body.links.next?.headers.find((h) => h.key === "MS-ContinuationToken")?.value;
    expect(body.continuationToken).toBe(next);
    if (!next) return items;
    token = next;
    await between?.();
  }
  throw new Error("paging did not end");
}

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
const day = (d: Date) => d.toISOString().slice(0, 10);

describe("Partner Center audit records: import and the compatible read API", () => {
  let db: TestDatabase;

  const countFor = async (tenantId: string) => {
    const row = await firstRow(
      db.admin<Array<{ records: number }>>`
      select count(*)::int as records from activity_records where tenant_id = ${tenantId}`,
      `the record count of tenant ${tenantId}`,
    );
    return row.records;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemo(db.url, { recordsPerTenant: 20, customersPerTenant: 3 });
    process.env.DATABASE_URL = db.url;
    process.env.INGEST_RATE_PER_SECOND = "10000";
    process.env.INGEST_RATE_BURST = "10000";
  });
  beforeEach(() => resetIngestRateLimiter());
  afterAll(async () => {
    delete process.env.INGEST_RATE_PER_SECOND;
    delete process.env.INGEST_RATE_BURST;
    resetIngestRateLimiter();
    await closeDb();
    await db?.drop();
  });

  it("imports the response envelope, a bare array and one record per line, with or without a byte-order mark", async () => {
    const shapes = [
      (items: Json[]) => JSON.stringify(envelope(items)),
      (items: Json[]) => `\uFEFF${JSON.stringify(envelope(items))}`,
      (items: Json[]) => JSON.stringify(items, null, 2),
      (items: Json[]) => `\uFEFF${JSON.stringify(items)}`,
      (items: Json[]) => items.map((r) => JSON.stringify(r)).join("\r\n"),
      (items: Json[]) => `\uFEFF${items.map((r) => JSON.stringify(r)).join("\n")}\n`,
    ];
    for (const [n, shape] of shapes.entries()) {
      const items = [auditRecord(contoso.id, minutesAgo(10 + n)), orderRecord(contoso.id, minutesAgo(10 + n), 3)];
      const before = await countFor(contoso.id);
      const response = await postImport(shape(items));
      const body = (await response.json()) as { stored: number; alreadyPresent: number };
      expect(response.status, `shape ${n}: ${JSON.stringify(body)}`).toBe(201);
      expect(body).toMatchObject({ stored: 2, alreadyPresent: 0 });
      expect(await countFor(contoso.id)).toBe(before + 2);
    }
  });

  it("keeps every field as it came, and maps the log's columns from it", async () => {
    const at = minutesAgo(30);
    const record = auditRecord(contoso.id, at, {
      operationStatus: "decline",
      operationType: "granular_admin_relationship_expired",
      futureField: { addedLater: [1, "two", null] },
    });
    expect((await postImport([record])).status).toBe(201);
    const row = await firstRow(
      db.admin<Array<Json>>`
      select r.operation_type, r.operation_status, r.customer_id::text, r.customer_name, r.user_principal_name,
             r.application_id, r.correlation_id::text, r.resource_type,
             to_char(r.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as occurred,
             d.resource_old_value, d.resource_new_value, d.customized_data, d.source_record
      from activity_records r join activity_record_details d
        on d.tenant_id = r.tenant_id and d.occurred_at = r.occurred_at and d.record_id = r.id
      where r.tenant_id = ${contoso.id} and r.correlation_id = ${record.originalCorrelationId as string}`,
      "the imported record's row with its details",
    );
    expect(row).toMatchObject({
      operation_type: "granular_admin_relationship_expired",
      operation_status: "decline",
      customer_id: record.customerId,
      customer_name: "Wingtip Toys",
      user_principal_name: record.userPrincipalName,
      application_id: "FulfillmentService",
      resource_type: "license",
      occurred: at.toISOString(),
    });
    // The serialized values are parsed; the verbatim record keeps the original strings and the 7 digits.
    expect(row.resource_old_value).toEqual(JSON.parse(record.resourceOldValue as string));
    expect(row.resource_new_value).toEqual(JSON.parse(record.resourceNewValue as string));
    expect(row.customized_data).toEqual(record.customizedData);
    expect(row.source_record).toEqual(asStored(record));
    expect((row.source_record as Json).operationDate).toMatch(/\.\d{7}Z$/);
  });

  it("imports records without id, customerId or customerName, identical old and new values, and unknown types", async () => {
    const at = minutesAgo(40);
    const sameValue = JSON.stringify({ Quantity: 5, Status: "Active" });
    const records = [
      auditRecord(contoso.id, at, { id: undefined }),
      auditRecord(contoso.id, at, {
        operationType: "add_customer",
        operationStatus: "failed",
        customerId: undefined,
        customerName: undefined,
        resourceType: "customer",
      }),
      auditRecord(contoso.id, at, { resourceOldValue: sameValue, resourceNewValue: sameValue }),
      auditRecord(contoso.id, at, { operationType: "quantum_entangle_tenant", resourceType: "qubit" }),
      auditRecord(contoso.id, at, { originalCorrelationId: undefined, applicationId: "Partner Center Native App" }),
    ].map(asStored);
    const response = await postImport(envelope(records));
    expect(response.status, await response.clone().text()).toBe(201);
    expect(await response.json()).toMatchObject({ stored: 5, alreadyPresent: 0 });
    // They come back out exactly as they went in.
    const out = await readAll({
      startDate: new Date(at.getTime() - 1).toISOString(),
      endDate: new Date(at.getTime() + 1).toISOString(),
    });
    expect(out).toEqual(expect.arrayContaining(records));
  });

  it("exports imported records to CSV with the verbatim record in Details", async () => {
    const name = `Export ${randomUUID()}`;
    const record = orderRecord(contoso.id, minutesAgo(45), 2, { customerName: name });
    expect((await postImport([record])).status).toBe(201);
    const parsed = parseActivityLogParams(new URLSearchParams({ customer: name }));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const stream = createActivityCsvStream({
      ctx: { tenantId: contoso.id, cloud: contoso.cloud },
      params: parsed.value,
    });
    const [header, ...rows] = parseCsv((await new Response(stream).text()).replace(/^\uFEFF/, ""));
    expect(rows).toHaveLength(1);
    const columns = required(header, "the CSV header");
    const row = required(rows[0], "the exported row");
    const cell = (column: string) => required(row[columns.indexOf(column)], `the exported row's ${column}`);
    const details = JSON.parse(cell("Details")) as Json;
    expect(details.sourceRecord).toEqual(asStored(record));
    expect((details.sourceRecord as Json).operationDate).toBe(record.operationDate);
    expect(details.customizedData).toEqual(record.customizedData);
    expect(cell("Affected customer")).toBe(name);
  });

  it("stores each record once: the same file twice, overlapping pages, and a repeat inside one batch", async () => {
    const at = minutesAgo(50);
    const records = Array.from({ length: 6 }, (_, i) => auditRecord(contoso.id, new Date(at.getTime() + i)));
    records.push(auditRecord(contoso.id, at, { id: undefined })); // identity by content
    const before = await countFor(contoso.id);
    expect(await (await postImport(envelope(records))).json()).toMatchObject({ stored: 7, alreadyPresent: 0 });
    const again = await postImport(envelope(records));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ stored: 0, alreadyPresent: 7 });
    // Page 2 overlaps page 1 by three records, and one record appears twice in the same request.
    const repeated = required(records[3], "the record sent twice in one request");
    const overlap = [...records.slice(3), repeated, auditRecord(contoso.id, at)];
    expect(await (await postImport(envelope(overlap))).json()).toMatchObject({ stored: 1, alreadyPresent: 5 });
    expect(await countFor(contoso.id)).toBe(before + 8);
  });

  it("refuses a whole batch holding another partner's record, naming its index, and stores nothing", async () => {
    const before = await countFor(contoso.id);
    const records = [
      auditRecord(contoso.id, minutesAgo(5)),
      auditRecord(fabrikam.id, minutesAgo(5)),
      auditRecord(contoso.id, minutesAgo(5)),
    ];
    const response = await postImport(envelope(records));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string; details: { errors: Json[] } } };
    expect(body.error.message).toMatch(/Record 1 belongs to another partner/);
    expect(body.error.details.errors).toEqual([
      expect.objectContaining({ index: 1, field: "partnerId", message: expect.stringContaining(fabrikam.id) }),
    ]);
    expect(await countFor(contoso.id)).toBe(before);
  });

  it("names the index, the field and the problem of every invalid record, and stores nothing", async () => {
    const before = await countFor(contoso.id);
    const at = minutesAgo(5);
    const records = [
      auditRecord(contoso.id, at),
      auditRecord(contoso.id, at, { operationStatus: "maybe" }),
      auditRecord(contoso.id, at, { operationDate: "yesterday" }),
      auditRecord(contoso.id, at, { customerId: "not-a-guid", userPrincipalName: undefined }),
      "a string",
    ];
    const response = await postImport(records);
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { message: string; details: { errors: Json[] } } };
    expect(error.message).toBe("4 audit records are invalid; nothing was stored.");
    expect(error.details.errors.map((e) => [e.index, e.field])).toEqual([
      [1, "operationStatus"],
      [2, "operationDate"],
      [3, "userPrincipalName"],
      [3, "customerId"],
      [4, ""],
    ]);
    expect(await countFor(contoso.id)).toBe(before);
    for (const [body, message] of [
      ["{not json", /not valid JSON/],
      ['{"items": 3}', /items` must be an array/],
      ["[]", /holds no audit records/],
      ['{"a":1}\n{broken', /Line 2 is not valid JSON/],
    ] as const) {
      const bad = await postImport(body);
      expect(bad.status, body).toBe(400);
      expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(message);
    }
    expect(await countFor(contoso.id)).toBe(before);
  });

  it("needs an API key with the right scope", async () => {
    expect((await postImport([auditRecord(contoso.id, minutesAgo(5))], null)).status).toBe(401);
    expect((await GET(new NextRequest(READ_URL))).status).toBe(401);
    const ingestOnly = await createApiKey({ sql: getSql(), tenantId: contoso.id, name: "ingest only" });
    const readOnly = await createApiKey({ sql: getSql(), tenantId: contoso.id, name: "read only", scopes: ["read"] });
    expect((await getRecords({}, { key: ingestOnly.key })).status).toBe(403);
    expect((await getRecords({}, { key: readOnly.key })).status).toBe(200);
    const refused = await postImport([auditRecord(contoso.id, minutesAgo(5))], readOnly.key);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/"ingest" scope/);
  });

  it("answers in Partner Center's shape: our own records too, with line items as index-suffixed keys", async () => {
    const end = new Date();
    const response = await getRecords({ startDate: day(new Date(end.getTime() - 40 * 86_400_000)), size: "1000" });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Envelope;
    expect(body.attributes).toEqual({ objectType: "Collection" });
    // The fixtures' Partner Center records carry a sessionId; the seeded ones are the log's own.
    const found = body.items.find((r) => r.operationType === "create_order" && !("sessionId" in r));
    expect(found).toBeDefined();
    const order = required(found, "a create_order record of the log's own");
    expect(order).toMatchObject({ partnerId: contoso.id, attributes: { objectType: "AuditRecord" } });
    expect(order.operationDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}0000Z$/);
    expect(typeof order.resourceNewValue).toBe("string");
    const keys = (order.customizedData as Array<{ key: string }>).map((c) => c.key);
    expect(keys).toEqual(expect.arrayContaining(["OfferId-0", "SubscriptionId-0", "SubscriptionName-0", "Quantity-0"]));
  });

  it("filters as Partner Center does: CompanyName substring, CustomerId and ResourceType equals, case-insensitively", async () => {
    const at = minutesAgo(60);
    const customerId = randomUUID();
    const societe = asStored(auditRecord(contoso.id, at, { customerName: "Société Générale Ltd", customerId }));
    const northwind = asStored(
      auditRecord(contoso.id, new Date(at.getTime() + 1), { customerName: "Northwind", resourceType: "subscription" }),
    );
    const societeUpper = asStored(
      auditRecord(contoso.id, new Date(at.getTime() + 2), {
        customerName: "SOCIÉTÉ générale",
        resourceType: "subscription",
      }),
    );
    const records = [societe, northwind, societeUpper];
    expect((await postImport(records)).status).toBe(201);
    const range = {
      startDate: new Date(at.getTime() - 1).toISOString(),
      endDate: new Date(at.getTime() + 3).toISOString(),
    };
    const ids = async (filter: Json) => (await readAll({ ...range, filter: JSON.stringify(filter) })).map((r) => r.id);
    expect(await ids({ Field: "CompanyName", Value: "générale", Operator: "substring" })).toEqual([
      societe.id,
      societeUpper.id,
    ]);
    expect(await ids({ field: "companyname", value: "northwind", operator: "Equals" })).toEqual([northwind.id]);
    expect(await ids({ Field: "CustomerId", Value: customerId.toUpperCase(), Operator: "equals" })).toEqual([
      societe.id,
    ]);
    expect(await ids({ Field: "ResourceType", Value: "Subscription", Operator: "equals" })).toEqual([
      northwind.id,
      societeUpper.id,
    ]);
    // The SDK's invariant-culture dates.
    const mmdd = (d: Date) =>
      `${String(d.getUTCMonth() + 1).padStart(2, "0")}/${String(d.getUTCDate()).padStart(2, "0")}/${d.getUTCFullYear()} ${d.toISOString().slice(11, 19)}`;
    const sdk = await readAll({
      startDate: mmdd(new Date(at.getTime() - 1000)),
      endDate: mmdd(new Date(at.getTime() + 1000)),
      filter: JSON.stringify({ Field: "CustomerId", Value: customerId, Operator: "equals" }),
    });
    expect(sdk.map((r) => r.id)).toEqual([societe.id]);
  });

  it("answers bad parameters with a 400 that names them", async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ filter: "{not json" }, /filter must be JSON/],
      [{ filter: JSON.stringify({ Field: "Color", Value: "x", Operator: "equals" }) }, /Field must be one of/],
      [{ filter: JSON.stringify({ Field: "CustomerId", Value: "x", Operator: "equals" }) }, /GUID/],
      [
        { filter: JSON.stringify({ Field: "ResourceType", Value: "order", Operator: "substring" }) },
        /must be "equals"/,
      ],
      [{ startDate: "last tuesday" }, /startDate must be a date/],
      [{ startDate: "2026-02-30" }, /startDate must be a date/],
      [{ startDate: "2026-05-02", endDate: "2026-05-01" }, /startDate must be before endDate/],
      [{ size: "0" }, /size must be a whole number from 1 to 1000/],
      [{ size: "abc" }, /size must be/],
    ];
    for (const [query, message] of cases) {
      const response = await getRecords(query);
      expect(response.status, JSON.stringify(query)).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(message);
    }
    const forged = await getRecords({}, { token: "bm90LWEtdG9rZW4" });
    expect(forged.status).toBe(400);
  });

  it("shows another tenant's key nothing of this one, and never another cloud's", async () => {
    const at = minutesAgo(70);
    const record = auditRecord(contoso.id, at);
    expect((await postImport([record])).status).toBe(201);
    const range = {
      startDate: new Date(at.getTime() - 1).toISOString(),
      endDate: new Date(at.getTime() + 1).toISOString(),
    };
    expect((await readAll(range)).map((r) => r.id)).toEqual([record.id]);
    expect(await readAll(range, keyOf(fabrikam.id))).toEqual([]);
    expect(await readAll(range, keyOf(tailspin.id))).toEqual([]);
    // A token issued to Contoso positions Fabrikam's query among Fabrikam's own rows only.
    const page = (await (await getRecords({ ...range, size: "1" })).json()) as Envelope;
    const wide = { startDate: day(new Date(Date.now() - 40 * 86_400_000)), size: "1" };
    const first = (await (await getRecords(wide)).json()) as Envelope;
    const stolen = await getRecords(wide, { key: keyOf(fabrikam.id), token: first.continuationToken });
    expect(stolen.status).toBe(200);
    const stolenBody = (await stolen.json()) as Envelope;
    for (const item of stolenBody.items) expect(item.partnerId).toBe(fabrikam.id);
    expect(page.items.map((r) => r.id)).toEqual([record.id]);
  });

  it("pages 10,000 records by continuation, each exactly once and in order, while records are being added", async () => {
    const tenant = { tenantId: tailspin.id, cloud: tailspin.cloud };
    const start = new Date(Date.now() - 3 * 86_400_000);
    const end = new Date(Date.now() - 2 * 86_400_000);
    const span = end.getTime() - start.getTime();
    const records = Array.from({ length: 10_000 }, (_, i) =>
      asStored(
        auditRecord(tailspin.id, new Date(start.getTime() + Math.floor((i * span) / 10_000)), {
          id: `${tailspin.id}_${i}`,
        }),
      ),
    );
    const sql = getSql();
    for (let i = 0; i < records.length; i += 500) await importAuditRecords(sql, tenant, records.slice(i, i + 500));

    let added = 0;
    const addSome = async () => {
      // Records arriving meanwhile, anywhere in the range, and some right at its end.
      const fresh = Array.from({ length: 20 }, (_, k) =>
        asStored(
          auditRecord(tailspin.id, new Date(start.getTime() + Math.floor(Math.random() * span)), {
            id: `late_${added}_${k}`,
          }),
        ),
      );
      added++;
      await importAuditRecords(sql, tenant, fresh);
    };
    const items = await readAll(
      { startDate: start.toISOString(), endDate: end.toISOString(), size: "500" },
      keyOf(tailspin.id),
      addSome,
    );
    expect(added).toBeGreaterThanOrEqual(19);
    const ids = items.map((r) => String(r.id));
    expect(new Set(ids).size, "no record twice").toBe(ids.length);
    const original = ids.filter((id) => !id.startsWith("late_"));
    expect(original).toEqual(records.map((r) => r.id));
    const times = items.map((r) => Date.parse(String(r.operationDate)));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  }, 120_000);
});
