import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeDb, type Database } from "@/db/client";
import { getActivityPage, type ActivityListRow } from "@/db/queries/activity-records";
import * as schema from "@/db/schema";
import { parseActivityLogParams, type ActivityLogParams, type SearchParamsInput } from "@/lib/activity-log-params";
import { createActivityCsvStream } from "@/lib/export/activity-csv";
import { exportActivityLog } from "@/lib/handlers/export-activity-log";
import { route } from "@/lib/http/route";
import { parseCsv } from "../support/rfc4180";
import { at, firstRow, required } from "../support/present";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import type { Cloud, OperationStatus } from "@/lib/domain";

/*
 * The export's other formats against a real Postgres: NDJSON (every line parses to the whole
 * record, exactly as stored) and the line-item CSV (one row per order line, the count equal to the
 * records' line items), plus the CSV's error and change columns. Expectations come from the
 * fixtures and the page query, never from the export's own helpers.
 */

const A = { tenantId: "0a000000-0000-4000-8000-0000000000fa", cloud: "commercial" as Cloud };
const B = { tenantId: "0b000000-0000-4000-8000-0000000000fb", cloud: "commercial" as Cloud };
const NOW = new Date("2026-03-20T12:00:00Z");
const WINDOW = { from: "2026-03-01", to: "2026-03-07" };
const windowStart = Date.parse("2026-03-01T00:00:00Z");
const uuidOf = (prefix: string, n: number) => `${prefix}000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Fixture {
  id: number;
  tenantId: string;
  cloud: Cloud;
  occurredAt: Date;
  customerId: string | null;
  customerName: string | null;
  operationType: string;
  resourceType: string;
  operationStatus: OperationStatus;
  userPrincipalName: string;
  applicationId: string;
  correlationId: string;
  details: { resourceOldValue: Json; resourceNewValue: Json; customizedData: Json; sourceRecord: Json } | null;
}

/** What an order line must read as in the file, in file order. */
interface ExpectedLine {
  orderId: string;
  subscriptionId: string;
  offer: string;
  offerId: string;
  quantity: string;
  term: string;
  billingCycle: string;
}

const NAMES = ["Contoso Ltd", "주식회사 한빛소프트", '=HYPERLINK("http://evil.example")', "Comma, Inc", null];
const TERMS: Array<[string, string]> = [
  ["P1M", "1 month"],
  ["P1Y", "1 year"],
  ["P3Y", "3 years"],
  ["P2W", "2 weeks"],
  ["quarterly-ish", "quarterly-ish"],
];
const CYCLES: Array<[string, string]> = [
  ["monthly", "Monthly"],
  ["annual", "Annual"],
  ["triennial", "triennial"],
];

const records: Fixture[] = [];
const expectedLines = new Map<string, ExpectedLine[]>();

function add(tenant: typeof A, id: number, i: number): Fixture {
  const customerName = NAMES[i % NAMES.length];
  // Not required(): null is one of the names (a record without a customer).
  if (customerName === undefined) throw new Error(`expected fixture name ${i % NAMES.length}, found none`);
  const kind = i % 6;
  const status: OperationStatus = i % 5 === 0 ? "failed" : "succeeded";
  const base = {
    id,
    ...tenant,
    occurredAt: new Date(windowStart + i * 1_800_000 + (i % 3)),
    customerId: customerName === null ? null : uuidOf("c0", (i % NAMES.length) + 1),
    customerName,
    operationStatus: status,
    userPrincipalName: i % 2 ? "ana@a.example" : "Ben@a.example",
    applicationId: "Partner Center Web",
    correlationId: uuidOf("0c", id),
  };
  let record: Fixture;
  const lines: ExpectedLine[] = [];
  if (kind === 0 || kind === 1) {
    // The log's own order: lineItems objects (one not an object, which is no line), sometimes many.
    const orderId = uuidOf("0d", id);
    const count = i % 17 === 0 ? 60 : kind === 0 ? 1 + (i % 5) : 0;
    const items: Json[] = [];
    for (let n = 0; n < count; n++) {
      const [term, termText] = at(TERMS, (i + n) % TERMS.length, "a fixture term");
      const [cycle, cycleText] = at(CYCLES, (i + n) % CYCLES.length, "a fixture billing cycle");
      const offer = n === 1 ? "=SUM(A1:A9) Seat" : `Offer ${n} 한국어`;
      items.push({
        lineItemNumber: n + 1,
        offerName: offer,
        quantity: n === 2 ? "12 seats" : 1 + ((i * 7 + n) % 250),
        termDuration: term,
        billingCycle: cycle,
        subscriptionId: uuidOf("05", id * 100 + n),
      });
      lines.push({
        orderId,
        subscriptionId: uuidOf("05", id * 100 + n),
        offer: n === 1 ? "'=SUM(A1:A9) Seat" : offer,
        offerId: "",
        quantity: n === 2 ? "12 seats" : String(1 + ((i * 7 + n) % 250)),
        term: termText,
        billingCycle: cycleText,
      });
      if (n === 0) items.push("not a line");
    }
    record = {
      ...base,
      operationType: "create_order",
      resourceType: "order",
      details: {
        resourceOldValue: null,
        resourceNewValue: { orderId, referenceCustomerId: base.customerId, currencyCode: "USD", lineItems: items },
        customizedData: status === "failed" ? { errorCode: "QuotaExceeded", errorMessage: "=cmd|' /C calc'!A0" } : null,
        sourceRecord: null,
      },
    };
  } else if (kind === 2) {
    // A Partner Center order: index-suffixed pairs, out of order, indexes past 9.
    const orderId = uuidOf("0e", id);
    const indexes = [0, 1, 2, 10, 11].slice(0, 1 + (i % 5));
    const pairs = [{ key: "OrderId", value: orderId }];
    for (const n of [...indexes].reverse()) {
      pairs.push(
        { key: `SubscriptionName-${n}`, value: `Friendly ${n}` },
        { key: `Quantity-${n}`, value: String(5 + n) },
        { key: `OfferId-${n}`, value: `OFFER-${n}` },
        { key: `SubscriptionId-${n}`, value: uuidOf("06", id * 100 + n).toUpperCase() },
        { key: `PartnerOnRecord-${n}`, value: null as unknown as string },
      );
    }
    for (const n of [...indexes].reverse())
      lines.push({
        orderId,
        subscriptionId: uuidOf("06", id * 100 + n).toUpperCase(),
        offer: `Friendly ${n}`,
        offerId: `OFFER-${n}`,
        quantity: String(5 + n),
        term: "",
        billingCycle: "",
      });
    record = {
      ...base,
      operationType: "create_order",
      resourceType: "order",
      details: {
        resourceOldValue: null,
        resourceNewValue: { Id: orderId, ReferenceCustomerId: base.customerId, LineItems: [] },
        customizedData: pairs,
        sourceRecord: { id: `pc_${id}`, operationType: "create_order", customizedData: pairs },
      },
    };
  } else if (kind === 3) {
    record = {
      ...base,
      operationType: "update_subscription",
      resourceType: "subscription",
      details: {
        resourceOldValue: { quantity: 196, status: "active", autoRenewEnabled: true, offerName: "E3" },
        resourceNewValue: { quantity: 188, status: "suspended", autoRenewEnabled: true, offerName: "E3", note: "-new" },
        customizedData:
          status === "failed" ? { errorCode: "InvalidInput", errorMessage: 'Quantity "188", too low' } : null,
        sourceRecord: null,
      },
    };
  } else if (kind === 4) {
    record = { ...base, operationType: "add_customer", resourceType: "customer", details: null };
  } else {
    record = {
      ...base,
      operationType: "@weird_op",
      resourceType: "-thing",
      details: {
        resourceOldValue: { same: 1 },
        resourceNewValue: { same: 1 },
        customizedData: { formula: "=1+1", emoji: "😀", text: 'line\r\nbreak "quoted"' },
        sourceRecord: null,
      },
    };
  }
  records.push(record);
  expectedLines.set(`${tenant.tenantId}:${id}`, lines);
  return record;
}

for (let i = 0; i < 120; i++) add(A, 5000 + ((i * 41) % 120), i);
for (let i = 0; i < 30; i++) add(B, 7000 + i, i);

const byKey = new Map(records.map((r) => [`${r.tenantId}:${r.id}`, r]));

function params(input: SearchParamsInput): ActivityLogParams {
  const result = parseActivityLogParams(input, { now: NOW });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

async function readBytes(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    chunks.push(value);
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Every NDJSON line parsed; the file is lines of JSON, each ended by LF, nothing else. */
function parseNdjson(bytes: Buffer): unknown[] {
  const text = utf8.decode(bytes);
  expect(text.charCodeAt(0)).not.toBe(0xfeff);
  if (text === "") return [];
  expect(text.endsWith("\n")).toBe(true);
  return text
    .slice(0, -1)
    .split("\n")
    .map((line) => JSON.parse(line));
}

function parseCsvFile(bytes: Buffer): string[][] {
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = utf8.decode(bytes.subarray(3));
  expect(text.endsWith("\r\n")).toBe(true);
  return parseCsv(text);
}

const timeCell = (d: Date) => `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)}`;
const guarded = (v: string | null) => (v === null ? "" : /^[=+\-@\t\r\n＝＋－＠]/.test(v) ? "'" + v : v);

const LINE_HEADER = [
  "Date-Time (UTC)",
  "Affected customer",
  "Customer ID",
  "Order ID",
  "Line",
  "Subscription ID",
  "Offer",
  "Offer ID",
  "Quantity",
  "Term",
  "Billing cycle",
  "Partner user",
  "Status",
  "Correlation ID",
];

describe("export formats", () => {
  let testDb: TestDatabase;
  let client: postgres.Sql;
  let exportSql: postgres.Sql;
  let db: Database;

  async function pageRows(ctx: typeof A, p: ActivityLogParams): Promise<ActivityListRow[]> {
    const rows: ActivityListRow[] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 200; n++) {
      const page = await getActivityPage({ ctx, params: { ...p, size: 50, cursor, dir: "next" }, db });
      rows.push(...page.rows);
      cursor = page.nextCursor;
      if (!cursor) return rows;
    }
    throw new Error("paging did not end");
  }

  const exportBytes = (format: "csv" | "ndjson" | "line-items", p: ActivityLogParams, batchSize?: number, ctx = A) =>
    readBytes(createActivityCsvStream({ ctx, params: p, sql: exportSql, batchSize, format }));

  beforeAll(async () => {
    testDb = await createTestDatabase();
    const { admin } = testDb;
    await admin`select ensure_activity_partitions('2026-02-01T00:00:00Z', '2026-04-01T00:00:00Z')`;
    await admin`insert into partner_tenants ${admin([
      { id: A.tenantId, cloud: A.cloud, name: "Tenant A" },
      { id: B.tenantId, cloud: B.cloud, name: "Tenant B" },
    ])}`;
    await admin`insert into activity_records ${admin(
      records.map((r) => ({
        id: r.id,
        tenant_id: r.tenantId,
        cloud: r.cloud,
        occurred_at: r.occurredAt,
        customer_id: r.customerId,
        customer_name: r.customerName,
        operation_type: r.operationType,
        resource_type: r.resourceType,
        operation_status: r.operationStatus,
        user_principal_name: r.userPrincipalName,
        application_id: r.applicationId,
        correlation_id: r.correlationId,
      })),
    )}`;
    const json = (v: Json) => (v === null ? null : admin.json(v as never));
    await admin`insert into activity_record_details ${admin(
      records.flatMap((r) =>
        r.details === null
          ? []
          : [
              {
                tenant_id: r.tenantId,
                occurred_at: r.occurredAt,
                record_id: r.id,
                resource_old_value: json(r.details.resourceOldValue),
                resource_new_value: json(r.details.resourceNewValue),
                customized_data: json(r.details.customizedData),
                source_record: json(r.details.sourceRecord),
              },
            ],
      ),
    )}`;
    client = postgres(testDb.url, { max: 3, onnotice: () => {} });
    db = drizzle(client, { schema });
    exportSql = postgres(testDb.url, { max: 3, onnotice: () => {} });
  });

  afterAll(async () => {
    await exportSql?.end({ timeout: 5 });
    await client?.end({ timeout: 5 });
    await testDb?.drop();
  });

  describe("NDJSON", () => {
    const cases: Array<[string, SearchParamsInput]> = [
      ["the whole range", WINDOW],
      ["failed ones", { ...WINDOW, status: "failed" }],
      ["a Korean customer", { ...WINDOW, customer: "한빛" }],
      ["nothing", { ...WINDOW, action: "no_such_action" }],
    ];

    it.each(cases)("is one whole record per line, as stored, in the page's order (%s)", async (label, input) => {
      const p = params(input);
      const rows = await pageRows(A, p);
      if (label !== "nothing") expect(rows.length).toBeGreaterThan(0);
      for (const batchSize of [7, 50, undefined]) {
        const lines = parseNdjson(await exportBytes("ndjson", p, batchSize));
        expect(lines).toHaveLength(rows.length);
        lines.forEach((line, i) => {
          const row = at(rows, i, "the page's row for this line");
          const f = required(byKey.get(`${A.tenantId}:${row.id}`), `the fixture of record ${row.id}`);
          // Field for field, in this order; values exactly as recorded (no formula guard).
          expect(Object.keys(line as object)).toEqual([
            "id",
            "occurredAt",
            "userPrincipalName",
            "applicationId",
            "operationType",
            "resourceType",
            "operationStatus",
            "customerId",
            "customerName",
            "correlationId",
            "resourceOldValue",
            "resourceNewValue",
            "customizedData",
            "sourceRecord",
          ]);
          expect(line).toEqual({
            id: f.id,
            occurredAt: f.occurredAt.toISOString(),
            userPrincipalName: f.userPrincipalName,
            applicationId: f.applicationId,
            operationType: f.operationType,
            resourceType: f.resourceType,
            operationStatus: f.operationStatus,
            customerId: f.customerId,
            customerName: f.customerName,
            correlationId: f.correlationId,
            resourceOldValue: f.details?.resourceOldValue ?? null,
            resourceNewValue: f.details?.resourceNewValue ?? null,
            customizedData: f.details?.customizedData ?? null,
            sourceRecord: f.details?.sourceRecord ?? null,
          });
        });
      }
    });

    it("keeps hostile text as it is: formulas, quotes, CR/LF, Korean and emoji", async () => {
      const lines = parseNdjson(await exportBytes("ndjson", params(WINDOW))) as Array<Record<string, unknown>>;
      expect(lines.map((l) => l.customerName)).toContain('=HYPERLINK("http://evil.example")');
      const weird = required(
        lines.find((l) => l.operationType === "@weird_op"),
        "the @weird_op record's line",
      );
      expect(weird.customizedData).toEqual({ formula: "=1+1", emoji: "😀", text: 'line\r\nbreak "quoted"' });
      expect(lines.map((l) => l.customerName)).toContain("주식회사 한빛소프트");
    });

    it("never holds another tenant's records", async () => {
      const lines = parseNdjson(await exportBytes("ndjson", params(WINDOW), 9, B)) as Array<{ id: number }>;
      expect(lines).toHaveLength(30);
      expect(lines.every((l) => l.id >= 7000 && l.id < 7030)).toBe(true);
    });
  });

  describe("line items", () => {
    const cases: Array<[string, SearchParamsInput]> = [
      ["the whole range", WINDOW],
      ["failed orders", { ...WINDOW, status: "failed" }],
      ["one user", { ...WINDOW, user: "ana@a.example" }],
      ["no orders", { ...WINDOW, action: "update_subscription" }],
    ];

    it.each(cases)("is one row per order line, as many as the records hold (%s)", async (label, input) => {
      const p = params(input);
      const rows = await pageRows(A, p);
      const expected = rows.flatMap((row) =>
        required(expectedLines.get(`${A.tenantId}:${row.id}`), `the expected lines of record ${row.id}`).map(
          (line, n) => ({ row, line, n }),
        ),
      );
      if (label !== "no orders") expect(expected.length).toBeGreaterThan(0);
      for (const batchSize of [5, 64, undefined]) {
        const file = parseCsvFile(await exportBytes("line-items", p, batchSize));
        expect(file[0]).toEqual(LINE_HEADER);
        const body = file.slice(1);
        expect(body).toHaveLength(expected.length);
        body.forEach((cells, i) => {
          const { row, line, n } = at(expected, i, "the expected order line");
          expect(cells).toEqual([
            timeCell(row.occurredAt),
            guarded(row.customerName),
            row.customerId ?? "",
            line.orderId,
            String(n + 1),
            line.subscriptionId,
            line.offer,
            line.offerId,
            line.quantity,
            line.term,
            line.billingCycle,
            row.userPrincipalName,
            row.operationStatus === "failed" ? "Failed" : "Succeeded",
            row.correlationId,
          ]);
        });
      }
    });

    it("counts a 60-line order as 60 rows, and every order of the range", async () => {
      const file = parseCsvFile(await exportBytes("line-items", params(WINDOW)));
      const total = records
        .filter((r) => r.tenantId === A.tenantId)
        .reduce(
          (sum, r) =>
            sum + required(expectedLines.get(`${A.tenantId}:${r.id}`), `the expected lines of record ${r.id}`).length,
          0,
        );
      expect(file.length - 1).toBe(total);
      const perOrder = new Map<string, number>();
      for (const cells of file.slice(1)) {
        const orderId = at(cells, 3, "the row's Order ID");
        perOrder.set(orderId, (perOrder.get(orderId) ?? 0) + 1);
      }
      expect([...perOrder.values()]).toContain(60);
    });
  });

  describe("CSV columns for errors and changes", () => {
    it("gives a failure's code and message, and a change's changed fields, cells of their own", async () => {
      const p = params(WINDOW);
      const rows = await pageRows(A, p);
      const file = parseCsvFile(await exportBytes("csv", p, 11));
      const header = at(file, 0, "the CSV header");
      const col = (name: string) => header.indexOf(name);
      expect(header.slice(10, 14)).toEqual(["Error code", "Error message", "Changes (old → new)", "Details"]);
      file.slice(1).forEach((cells, i) => {
        const row = at(rows, i, "the page's row for this CSV row");
        const f = required(byKey.get(`${A.tenantId}:${row.id}`), `the fixture of record ${row.id}`);
        const custom = f.details?.customizedData;
        const failure = custom && !Array.isArray(custom) && typeof custom === "object" ? custom : null;
        expect(cells[col("Error code")]).toBe((failure?.errorCode as string | undefined) ?? "");
        expect(cells[col("Error message")]).toBe(guarded((failure?.errorMessage as string | undefined) ?? null));
        expect(cells[col("Changes (old → new)")]).toBe(
          f.operationType === "update_subscription"
            ? "note:  → -new; quantity: 196 → 188; status: active → suspended"
            : "",
        );
      });
      expect(file.slice(1).some((cells) => cells[col("Error message")] === "'=cmd|' /C calc'!A0")).toBe(true);
      expect(file.slice(1).some((cells) => cells[col("Error message")] === 'Quantity "188", too low')).toBe(true);
    });
  });

  describe("route handler", () => {
    const signedIn = {
      ...A,
      userId: "00000000-0000-4000-8000-0000000000a1",
      userPrincipalName: "ana@a.example",
      role: "global_admin" as const,
    };
    const exportRoute = route((request: NextRequest) =>
      exportActivityLog({ ctx: signedIn, sessionId: "00000000-0000-4000-8000-000000000000", request, params: {} }),
    );
    const get = (query: string, headers: Record<string, string> = {}, signal?: AbortSignal) =>
      exportRoute(new NextRequest(`http://localhost/api/activity-log/export?${query}`, { headers, signal }));

    beforeAll(() => vi.stubEnv("DATABASE_URL", testDb.url));
    afterAll(async () => {
      await closeDb();
      vi.unstubAllEnvs();
    });

    /** The export records of the log, newest first, as the route wrote them. */
    const exportRecords = () => testDb.admin<Array<{ data: Record<string, unknown>; status: string }>>`
      select d.customized_data as data, r.operation_status as status
      from activity_records r join activity_record_details d
        on d.tenant_id = r.tenant_id and d.occurred_at = r.occurred_at and d.record_id = r.id
      where r.tenant_id = ${A.tenantId} and r.operation_type = 'export_activity_log'
      order by r.occurred_at desc, r.id desc`;

    it("sends NDJSON from the same route and params, and logs the export", async () => {
      const before = (await exportRecords()).length;
      const response = await get("from=2026-03-01&to=2026-03-07&status=failed&format=ndjson");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/x-ndjson; charset=utf-8");
      expect(response.headers.get("content-disposition")).toMatch(
        /filename="activity-log_commercial_tenant-a_2026-03-01_2026-03-07_failed_[0-9a-f]{6}\.ndjson"/,
      );
      const lines = parseNdjson(Buffer.from(await response.arrayBuffer())) as Array<{ id: number }>;
      const rows = await pageRows(A, params({ ...WINDOW, status: "failed" }));
      expect(lines.map((l) => l.id)).toEqual(rows.map((r) => r.id));
      await vi.waitFor(async () => expect((await exportRecords()).length).toBe(before + 1));
      const logged = await firstRow(exportRecords(), "the newest export record");
      expect(logged.status).toBe("succeeded");
      expect(logged.data).toMatchObject({ format: "ndjson", rowCount: rows.length });
    });

    it("sends the line items as CSV, and logs how many lines went out", async () => {
      const response = await get("from=2026-03-01&to=2026-03-07&format=line-items");
      expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(response.headers.get("content-disposition")).toMatch(
        /filename="activity-log_commercial_tenant-a_2026-03-01_2026-03-07_line-items\.csv"/,
      );
      const file = parseCsvFile(Buffer.from(await response.arrayBuffer()));
      await vi.waitFor(async () =>
        expect((await firstRow(exportRecords(), "the newest export record")).data).toMatchObject({
          format: "line-items",
          rowCount: file.length - 1,
        }),
      );
    });

    it("answers a bad or repeated format with a 400 naming the parameter, beside any other bad one", async () => {
      for (const [query, params] of [
        ["format=xlsx", ["format"]],
        ["format=csv&format=ndjson", ["format"]],
        ["format=pdf&from=2026-02-30", ["format", "from"]],
      ] as const) {
        const response = await get(query);
        expect(response.status).toBe(400);
        const body = await response.json();
        expect(body.error.code).toBe("bad_request");
        expect(body.error.message).toContain('"format"');
        expect(body.error.details.map((e: { param: string }) => e.param).sort()).toEqual([...params].sort());
      }
      // Case and a CSV named outright are fine (read to the end, and their records awaited, so no
      // export is still running when the database goes away).
      const before = (await exportRecords()).length;
      const ndjson = await get("format=NDJSON");
      expect(ndjson.status).toBe(200);
      await ndjson.arrayBuffer();
      const csv = await get("format=csv");
      expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      await csv.arrayBuffer();
      await vi.waitFor(async () => expect((await exportRecords()).length).toBe(before + 2));
    });

    it("fails an NDJSON download that is cut off, rather than ending it as a complete file", async () => {
      const before = (await exportRecords()).length;
      const abort = new AbortController();
      const response = await get("from=2026-03-01&to=2026-03-07&format=ndjson", {}, abort.signal);
      const reader = required(response.body, "the download's body").getReader();
      abort.abort(new Error("client went away"));
      await expect(
        (async () => {
          for (;;) if ((await reader.read()).done) return "ended";
        })(),
      ).rejects.toThrow();
      // And the log says so: the export is recorded as failed (written after the stream ends, so
      // awaited here rather than left running into the database's teardown).
      await vi.waitFor(async () => expect((await exportRecords()).length).toBe(before + 1));
      expect((await firstRow(exportRecords(), "the newest export record")).status).toBe("failed");
    });
  });
});
