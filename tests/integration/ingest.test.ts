import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/activity-records/route";
import { closeDb } from "@/db/client";
import { DEMO_API_KEYS, DEMO_TENANTS } from "@/db/seed/demo-data";
import { seedDemo } from "@/db/seed/seed-demo";
import { createApiKey, revokeApiKey } from "@/db/api-keys";
import { MAX_BODY_BYTES } from "@/lib/ingest/limits";
import { resetIngestRateLimiter } from "@/lib/ingest/rate-limit";
import { at, firstRow, required } from "../support/present";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

const contoso = at(DEMO_TENANTS, 0, "the Contoso demo tenant");
const fabrikam = at(DEMO_TENANTS, 1, "the Fabrikam demo tenant");
const tailspin = at(DEMO_TENANTS, 2, "the Tailspin demo tenant");
const keyOf = (tenantId: string) =>
  required(
    DEMO_API_KEYS.find((k) => k.tenantId === tenantId),
    `the demo API key of tenant ${tenantId}`,
  ).key;
const CONTOSO_KEY = keyOf(contoso.id);
const FABRIKAM_KEY = keyOf(fabrikam.id);
const TAILSPIN_KEY = keyOf(tailspin.id);
const URL = "http://localhost/api/v1/activity-records";

interface StoredResult {
  index: number;
  eventId: string;
  id: number;
  occurredAt: string;
  status: "created" | "duplicate";
}

function post(body: unknown, options: { key?: string | null; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
  const key = options.key === undefined ? CONTOSO_KEY : options.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  return POST(
    new Request(URL, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) }),
  );
}

const record = (overrides: Record<string, unknown> = {}) => ({
  eventId: `evt-${randomUUID()}`,
  occurredAt: new Date(Date.now() - 60_000).toISOString(),
  operationType: "create_order",
  resourceType: "order",
  operationStatus: "succeeded",
  userPrincipalName: "orders-service@contoso.example",
  applicationId: "Orders service",
  correlationId: randomUUID(),
  resourceNewValue: { orderId: randomUUID(), lineItems: [{ offerName: "Microsoft 365 E3", quantity: 25 }] },
  ...overrides,
});

describe("POST /api/v1/activity-records", () => {
  let db: TestDatabase;
  let contosoCustomer: string;
  let fabrikamCustomer: string;

  const counts = () =>
    firstRow(
      db.admin<Array<{ records: number; details: number; events: number }>>`
      select (select count(*)::int from activity_records) as records,
             (select count(*)::int from activity_record_details) as details,
             (select count(*)::int from activity_ingest_events) as events`,
      "the row of counts",
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemo(db.url, { recordsPerTenant: 50, customersPerTenant: 5 });
    process.env.DATABASE_URL = db.url;
    process.env.INGEST_RATE_PER_SECOND = "1000";
    process.env.INGEST_RATE_BURST = "1000";
    contosoCustomer = (
      await firstRow(db.admin`select id from customers where tenant_id = ${contoso.id} limit 1`, "a Contoso customer")
    ).id;
    fabrikamCustomer = (
      await firstRow(db.admin`select id from customers where tenant_id = ${fabrikam.id} limit 1`, "a Fabrikam customer")
    ).id;
  });

  beforeEach(() => resetIngestRateLimiter());

  afterAll(async () => {
    delete process.env.INGEST_RATE_PER_SECOND;
    delete process.env.INGEST_RATE_BURST;
    resetIngestRateLimiter();
    await closeDb();
    await db?.drop();
  });

  it("stores one record under the key's tenant and cloud, with its details, in milliseconds", async () => {
    // Sub-millisecond digits are truncated; an upper-case customer id is the same id.
    const occurredAt = new Date(Date.now() - 1234).toISOString().replace("Z", "789Z");
    const sent = record({ occurredAt, customerId: contosoCustomer.toUpperCase(), customerName: "Contoso customer" });
    const response = await post(sent);
    expect(response.status).toBe(201);
    const { records } = (await response.json()) as { records: StoredResult[] };
    expect(records).toHaveLength(1);
    const stored = at(records, 0, "the stored record");
    expect(stored).toMatchObject({ index: 0, eventId: sent.eventId, status: "created" });

    const row = await firstRow(
      db.admin`
      select r.tenant_id, r.cloud, r.customer_id, r.operation_type, r.occurred_at, r.occurred_at = date_trunc('milliseconds', r.occurred_at) as ms,
             r.recorded_at is not null as recorded, d.resource_new_value
      from activity_records r join activity_record_details d on d.tenant_id = r.tenant_id and d.occurred_at = r.occurred_at and d.record_id = r.id
      where r.id = ${stored.id}`,
      "the stored record's row with its details",
    );
    expect(row).toMatchObject({
      tenant_id: contoso.id,
      cloud: "commercial",
      customer_id: contosoCustomer,
      operation_type: "create_order",
      ms: true,
      recorded: true,
    });
    expect(row.resource_new_value).toEqual(sent.resourceNewValue);
    expect((row.occurred_at as Date).toISOString()).toBe(stored.occurredAt);
  });

  it("is idempotent: the same eventId again stores nothing and answers with the same id", async () => {
    const sent = record();
    const first = await post({ records: [sent] });
    expect(first.status).toBe(201);
    const before = await counts();

    // A retry, even with its JSON keys in another order, is the same record.
    const reordered = Object.fromEntries(Object.entries(sent).reverse());
    const again = await post([reordered]);
    expect(again.status).toBe(200);
    const [a] = ((await first.json()) as { records: StoredResult[] }).records;
    const [b] = ((await again.json()) as { records: StoredResult[] }).records;
    expect(b).toEqual({ ...a, status: "duplicate" });
    expect(await counts()).toEqual(before);

    const { n } = await firstRow(
      db.admin`select count(*)::int as n from activity_ingest_events where event_id = ${sent.eventId}`,
      "the count of ingest events of the retried eventId",
    );
    expect(n).toBe(1);
  });

  it("refuses an eventId reused for a different payload with 409, storing nothing of the batch", async () => {
    const sent = record();
    expect((await post(sent)).status).toBe(201);
    const before = await counts();
    const fresh = record();
    const response = await post([fresh, { ...sent, operationStatus: "failed" }]);
    expect(response.status).toBe(409);
    const body = (await response.json()) as {
      error: { code: string; details: { errors: Array<{ index: number; field: string }> } };
    };
    expect(body.error.code).toBe("conflict");
    expect(body.error.details.errors).toEqual([expect.objectContaining({ index: 1, field: "eventId" })]);
    expect(await counts()).toEqual(before);
    const { n } = await firstRow(
      db.admin`select count(*)::int as n from activity_ingest_events where event_id = ${fresh.eventId}`,
      "the count of ingest events of the refused batch's fresh eventId",
    );
    expect(n).toBe(0);
  });

  it("stores a batch once under concurrent identical retries", async () => {
    const batch = Array.from({ length: 50 }, () => record());
    const before = await counts();
    const responses = await Promise.all(Array.from({ length: 8 }, () => post({ records: batch })));
    const bodies = await Promise.all(responses.map((r) => r.json() as Promise<{ records: StoredResult[] }>));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    const ids = bodies.map((b) => b.records.map((r) => r.id).join(","));
    expect(new Set(ids).size).toBe(1);
    expect((await counts()).records).toBe(before.records + 50);
  });

  it("answers 400 with the index and field of every invalid record, and stores nothing", async () => {
    const before = await counts();
    const response = await post({
      records: [
        record(),
        record({ correlationId: "not-a-uuid", operationStatus: "done" }),
        record({ tenantId: fabrikam.id }),
        record({ occurredAt: "2001-01-01T00:00:00Z" }),
        record({ customizedData: { note: "x".repeat(70_000) } }),
      ],
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: { message: string; details: { errors: Array<{ index: number; field: string }> } };
    };
    expect(body.error.message).toBe("3 of 5 records are invalid; nothing was stored.");
    expect(body.error.details.errors.map((e) => [e.index, e.field])).toEqual([
      [1, "operationStatus"],
      [1, "correlationId"],
      [2, "tenantId"],
      [4, "customizedData"],
    ]);
    expect(await counts()).toEqual(before);
  });

  it("answers 400 naming occurredAt for a month without a partition or a time in the future", async () => {
    const before = await counts();
    const response = await post([
      record(),
      record({ occurredAt: "2001-01-01T00:00:00Z" }),
      record({ occurredAt: new Date(Date.now() + 3_600_000).toISOString() }),
    ]);
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: { details: { errors: Array<{ index: number; field: string; message: string }> } };
    };
    expect(body.error.details.errors).toEqual([
      {
        index: 1,
        field: "occurredAt",
        message: expect.stringMatching(/^falls in 2001-01, a month the log has no partition for/),
      },
      { index: 2, field: "occurredAt", message: "is more than 5 minutes in the future." },
    ]);
    expect(await counts()).toEqual(before);
  });

  it("refuses a customer of another tenant (400 customerId) and stores nothing", async () => {
    const before = await counts();
    const response = await post([record({ customerId: contosoCustomer }), record({ customerId: fabrikamCustomer })]);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { details: { errors: unknown[] } } };
    expect(body.error.details.errors).toEqual([
      { index: 1, field: "customerId", message: "is not a customer of this API key's tenant." },
    ]);
    expect(await counts()).toEqual(before);
  });

  it("lets a key of tenant A write only to tenant A", async () => {
    const { n: fabrikamBefore } = await firstRow(
      db.admin`select count(*)::int as n from activity_records where tenant_id = ${fabrikam.id}`,
      "the count of Fabrikam's records before",
    );
    const response = await post(record({ tenantId: fabrikam.id }), { key: CONTOSO_KEY });
    expect(response.status).toBe(400);

    const ok = await post(record(), { key: FABRIKAM_KEY });
    expect(ok.status).toBe(201);
    const { id } = at(((await ok.json()) as { records: StoredResult[] }).records, 0, "Fabrikam's stored record");
    const [row] = await db.admin`select tenant_id, cloud from activity_records where id = ${id}`;
    expect(row).toEqual({ tenant_id: fabrikam.id, cloud: "commercial" });
    const { n: fabrikamAfter } = await firstRow(
      db.admin`select count(*)::int as n from activity_records where tenant_id = ${fabrikam.id}`,
      "the count of Fabrikam's records after",
    );
    expect(fabrikamAfter).toBe(fabrikamBefore + 1);

    // The same eventId under two tenants is two records: idempotency is per tenant.
    const shared = record();
    const storedOnce = async (key: string, what: string) =>
      at(((await (await post(shared, { key })).json()) as { records: StoredResult[] }).records, 0, what);
    const a = await storedOnce(CONTOSO_KEY, "the shared event's record under Contoso");
    const b = await storedOnce(FABRIKAM_KEY, "the shared event's record under Fabrikam");
    expect(a.status).toBe("created");
    expect(b.status).toBe("created");
    expect(a.id).not.toBe(b.id);
  });

  it("keeps clouds apart: a commercial key cannot write usgov data", async () => {
    const { n: usgovBefore } = await firstRow(
      db.admin`select count(*)::int as n from activity_records where cloud = 'usgov'`,
      "the count of usgov records before",
    );
    const refused = await post(record({ cloud: "usgov" }), { key: CONTOSO_KEY });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { details: { errors: [{ index: 0, field: "cloud" }] } } });
    const commercial = await post(record(), { key: CONTOSO_KEY });
    const { id: commercialId } = at(
      ((await commercial.json()) as { records: StoredResult[] }).records,
      0,
      "the commercial stored record",
    );
    const { n: usgovAfter } = await firstRow(
      db.admin`select count(*)::int as n from activity_records where cloud = 'usgov'`,
      "the count of usgov records after",
    );
    expect(usgovAfter).toBe(usgovBefore);
    const commercialRow = await firstRow(
      db.admin`select cloud from activity_records where id = ${commercialId}`,
      "the commercial record's row",
    );
    expect(commercialRow.cloud).toBe("commercial");

    const usgov = await post(record(), { key: TAILSPIN_KEY });
    expect(usgov.status).toBe(201);
    const { id } = at(((await usgov.json()) as { records: StoredResult[] }).records, 0, "the usgov stored record");
    expect((await db.admin`select tenant_id, cloud from activity_records where id = ${id}`)[0]).toEqual({
      tenant_id: tailspin.id,
      cloud: "usgov",
    });
  });

  it("answers 401 for a missing, malformed, unknown or revoked key", async () => {
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      const created = await createApiKey({ sql, tenantId: contoso.id, name: "to be revoked" });
      expect((await post(record(), { key: created.key })).status).toBe(201);
      await revokeApiKey({ sql, id: created.id });
      const revoked = await post(record(), { key: created.key });
      expect(revoked.status).toBe(401);
      expect(revoked.headers.get("www-authenticate")).toMatch(/^Bearer/);
    } finally {
      await sql.end();
    }
    expect((await post(record(), { key: null })).status).toBe(401);
    expect((await post(record(), { key: "not a key" })).status).toBe(401);
    expect((await post(record(), { key: `pal_${"A".repeat(43)}` })).status).toBe(401);
    // A key is not a password: the stored hash itself does not authenticate.
    const { key_hash } = await firstRow(db.admin`select key_hash from api_keys limit 1`, "a stored API key hash");
    expect((await post(record(), { key: `pal_${key_hash}` })).status).toBe(401);
  });

  it("answers 415 for a body that is not JSON, and 400 for broken JSON", async () => {
    expect((await post(record(), { headers: { "content-type": "text/plain" } })).status).toBe(415);
    expect((await post("{ not json", {})).status).toBe(400);
    expect((await post(record(), { headers: { "content-type": "application/json; charset=utf-8" } })).status).toBe(201);
  });

  it("answers 413 for a body over the cap (declared or streamed) and for more than 1,000 records", async () => {
    const before = await counts();
    const declared = await POST(
      new Request(URL, {
        method: "POST",
        headers: {
          authorization: `Bearer ${CONTOSO_KEY}`,
          "content-type": "application/json",
          "content-length": String(MAX_BODY_BYTES + 1),
        },
        body: "[]",
      }),
    );
    expect(declared.status).toBe(413);

    const chunk = new TextEncoder().encode(" ".repeat(1024 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 10) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const streamed = await POST(
      new Request(URL, {
        method: "POST",
        headers: { authorization: `Bearer ${CONTOSO_KEY}`, "content-type": "application/json" },
        body: stream,
        duplex: "half",
      } as RequestInit),
    );
    expect(streamed.status).toBe(413);

    const tooMany = await post(Array.from({ length: 1001 }, () => record()));
    expect(tooMany.status).toBe(413);
    expect(await counts()).toEqual(before);
  });

  it("answers 429 with Retry-After over the per-key rate, per key", async () => {
    process.env.INGEST_RATE_PER_SECOND = "0.5";
    process.env.INGEST_RATE_BURST = "2";
    resetIngestRateLimiter();
    try {
      expect((await post(record())).status).toBe(201);
      expect((await post(record())).status).toBe(201);
      const limited = await post(record());
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toBe("2");
      expect(await limited.json()).toMatchObject({ error: { code: "rate_limited" } });
      // Another key has its own bucket.
      expect((await post(record(), { key: FABRIKAM_KEY })).status).toBe(201);
    } finally {
      process.env.INGEST_RATE_PER_SECOND = "1000";
      process.env.INGEST_RATE_BURST = "1000";
      resetIngestRateLimiter();
    }
  });

  it("stores exactly 20,000 records sent concurrently by 8 clients in batches of 500, retries included", async () => {
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    const keys = [];
    try {
      for (let c = 0; c < 8; c++)
        keys.push((await createApiKey({ sql, tenantId: contoso.id, name: `client ${c}` })).key);
    } finally {
      await sql.end();
    }
    const { n: before } = await firstRow(
      db.admin`select count(*)::int as n from activity_records where tenant_id = ${contoso.id}`,
      "the count of Contoso's records before the load",
    );
    const total = 20_000;
    const perClient = total / 8;
    const statuses: number[] = [];

    await Promise.all(
      keys.map(async (key, c) => {
        const mine = Array.from({ length: perClient }, (_, i) =>
          record({
            eventId: `load-${c}-${i}`,
            customizedData: { client: c, i },
            resourceNewValue: { n: i, items: ["a", "b"] },
          }),
        );
        for (let start = 0; start < perClient; start += 500) {
          const batch = mine.slice(start, start + 500);
          statuses.push((await post({ records: batch }, { key })).status);
          // Every client retries its first batch once, as after a timeout.
          if (start === 0) statuses.push((await post({ records: batch }, { key })).status);
        }
      }),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(40);
    expect(statuses.filter((s) => s === 200)).toHaveLength(8);
    const { n: after } = await firstRow(
      db.admin`select count(*)::int as n from activity_records where tenant_id = ${contoso.id}`,
      "the count of Contoso's records after the load",
    );
    expect(after - before).toBe(total);
    const { n: loaded, ids } = await firstRow(
      db.admin`
      select count(*)::int as n, count(distinct record_id)::int as ids from activity_ingest_events where event_id like 'load-%'`,
      "the counts of the loaded ingest events",
    );
    expect(loaded).toBe(total);
    expect(ids).toBe(total);
  }, 120_000);
});
