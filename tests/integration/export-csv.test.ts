import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeDb, type Database } from "@/db/client";
import { getActivityPage, type ActivityListRow } from "@/db/queries/activity-records";
import * as schema from "@/db/schema";
import { parseActivityLogParams, type ActivityLogParams, type SearchParamsInput } from "@/lib/activity-log-params";
import { actionLabel } from "@/lib/activity-labels";
import { encodeCursor } from "@/lib/cursor";
import { buildActivityExportQuery } from "@/db/queries/activity-export";
import { createActivityCsvStream } from "@/lib/export/activity-csv";
import { contentDisposition, exportFileName } from "@/lib/export/download-headers";
import { exportActivityLog } from "@/lib/handlers/export-activity-log";
import { route } from "@/lib/http/route";
import { parseCsv } from "../support/rfc4180";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import type { Cloud, OperationStatus } from "@/lib/domain";
import { at, required } from "../support/present";

// The route's only outside dependency besides the database: who is signed in.
// The session the route keeps alive while it streams: one the export's tests never need to end.

/*
 * The export against a real Postgres: the same rows as the page, an Excel-safe file for hostile
 * text, and nothing outside the tenant's scope. Expectations come from the page query and from
 * the fixture array, never from the export's own helpers.
 */

const A = { tenantId: "0a000000-0000-4000-8000-00000000000a", cloud: "commercial" as Cloud };
const B = { tenantId: "0b000000-0000-4000-8000-00000000000b", cloud: "commercial" as Cloud };
const C = { tenantId: "0c000000-0000-4000-8000-00000000000c", cloud: "usgov" as Cloud };

const HEADER = [
  "Date-Time (UTC)",
  "Affected customer",
  "Customer ID",
  "Action",
  "Operation type",
  "Resource type",
  "Status",
  "Partner user",
  "Application",
  "Correlation ID",
  "Error code",
  "Error message",
  "Changes (old → new)",
  "Details",
];
const STATUS_TEXT: Record<OperationStatus, string> = {
  succeeded: "Succeeded",
  failed: "Failed",
  progress: "In progress",
  decline: "Declined",
};

// Written out here rather than imported: the test is the oracle for the documented rule.
const DANGEROUS_FIRST = ["=", "+", "-", "@", "\t", "\r", "\n", "\uFF1D", "\uFF0B", "\uFF0D", "\uFF20"];
const shown = (value: string | null) =>
  value === null ? "" : DANGEROUS_FIRST.includes(value.charAt(0)) ? "'" + value : value;

const HOSTILE_NAMES = [
  '=HYPERLINK("http://evil.example","click")',
  "+1234",
  "-2+3",
  "@SUM(A1:A9)",
  "\tTabbed Ltd",
  "\rCarriage Ltd",
  "\nNewline Ltd",
  "＝全角 Ltd",
  "＋全角 Ltd",
  "－全角 Ltd",
  "＠全角 Ltd",
  'Quote "The" Inc',
  "Comma, Ltd",
  "Multi\r\nLine\nName\rCo",
  "주식회사 한빛소프트",
  "Emoji 😀🚀 Co",
  " spaced out ",
  "Back\\slash",
  '"',
  ",",
];
/** A cell of an exported row, named by its column in a failure. */
const cell = (cells: readonly string[], index: number) => at(cells, index, `the "${HEADER[index]}" cell`);

const PLAIN_NAMES = ["Contoso Ltd", "Fabrikam Inc", "Northwind Traders"];
const NAMES = [...PLAIN_NAMES, ...HOSTILE_NAMES];
const ACTIONS = ["create_order", "update_subscription", "add_customer", "@weird_op"];
const USERS = ["ana@a.example", "Ben@a.example"];
const APPLICATIONS = ["Partner Center Web", "=cmd|' /C calc'!A0", "Партнёр API, v2"];

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
  details: { resourceOldValue: unknown; resourceNewValue: unknown; customizedData: unknown } | null;
}

const records: Fixture[] = [];
const uuidOf = (prefix: string, n: number) => `${prefix}000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

function add(tenant: { tenantId: string; cloud: Cloud }, id: number, occurredAt: Date, i = id): Fixture {
  const nameIndex = i % (NAMES.length + 1);
  const customerName = nameIndex === NAMES.length ? null : at(NAMES, nameIndex, "a customer name");
  const record: Fixture = {
    id,
    ...tenant,
    occurredAt,
    customerId: customerName === null ? null : uuidOf("c0", nameIndex + 1),
    customerName,
    operationType: at(ACTIONS, i % ACTIONS.length, "an action"),
    resourceType: i % 2 ? "order" : "-subscription",
    operationStatus: i % 5 === 0 ? "failed" : i % 7 === 0 ? "progress" : "succeeded",
    userPrincipalName: at(USERS, i % USERS.length, "a partner user"),
    applicationId: at(APPLICATIONS, i % APPLICATIONS.length, "an application"),
    correlationId: uuidOf("0c", id),
    details:
      i % 13 === 0
        ? null
        : {
            resourceOldValue: i % 3 ? null : { quantity: i, note: 'was "old", then\r\nnew' },
            resourceNewValue: {
              lineItems: [{ offer: "Seat, 1 yr", quantity: i, name: customerName }],
              emoji: "😀",
              ko: "한빛",
            },
            customizedData: i % 2 ? { tenant: tenant.tenantId, formula: "=1+1" } : null,
          },
  };
  records.push(record);
  return record;
}

// 2026-01-01 .. 2026-01-07 UTC: 150 records of A, ids not in time order, a run of ties on one instant.
const WINDOW = { from: "2026-01-01", to: "2026-01-07" };
const windowStart = Date.parse("2026-01-01T00:00:00Z");
for (let i = 0; i < 150; i++) {
  const id = 1000 + ((i * 37) % 150);
  let at = windowStart + i * 3_600_000 + 7;
  if (i >= 30 && i < 40) at = windowStart + 30 * 3_600_000 + 7;
  add(A, id, new Date(at), i);
}
// Other tenants, same cloud and the other one, at the very same instants and with the same names.
for (let i = 0; i < 40; i++) {
  add(B, 2000 + i, new Date(windowStart + i * 3_600_000 + 7), i);
  add(C, 3000 + i, new Date(windowStart + i * 3_600_000 + 7), i);
}
// Just outside the window on both sides.
add(A, 4001, new Date("2025-12-31T23:59:59.999Z"));
add(A, 4002, new Date("2026-01-08T00:00:00.000Z"));

const NOW = new Date("2026-01-20T12:00:00Z");
const byId = new Map(records.map((r) => [`${r.tenantId}:${r.id}`, r]));

function params(input: SearchParamsInput): ActivityLogParams {
  const result = parseActivityLogParams(input, { now: NOW });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

async function readBytes(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The file's records after the BOM, header included. */
function parseFile(bytes: Buffer): string[][] {
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = utf8.decode(bytes.subarray(3));
  expect(text.endsWith("\r\n")).toBe(true);
  return parseCsv(text);
}

/** What the file must say for one record, cell by cell, Details aside (compared as parsed JSON). */
function expectedCells(row: ActivityListRow): string[] {
  const at = row.occurredAt.toISOString();
  return [
    `${at.slice(0, 10)} ${at.slice(11, 19)}`,
    shown(row.customerName),
    row.customerId ?? "",
    shown(actionLabel(row.operationType)),
    shown(row.operationType),
    shown(row.resourceType),
    STATUS_TEXT[row.operationStatus],
    row.userPrincipalName,
    shown(row.applicationId),
    row.correlationId,
  ];
}

describe("activity CSV export", () => {
  let testDb: TestDatabase;
  let client: postgres.Sql;
  let exportSql: postgres.Sql;
  let db: Database;

  const exportRows = async (ctx: typeof A, p: ActivityLogParams, batchSize?: number) =>
    parseFile(await readBytes(createActivityCsvStream({ ctx, params: p, sql: exportSql, batchSize })));

  /** Every row the page shows for these params, walking all pages by cursor. */
  async function pageRows(ctx: typeof A, p: ActivityLogParams, size = 7): Promise<ActivityListRow[]> {
    const rows: ActivityListRow[] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 500; n++) {
      const page = await getActivityPage({ ctx, params: { ...p, size, cursor, dir: "next" }, db });
      rows.push(...page.rows);
      cursor = page.nextCursor;
      if (!cursor) return rows;
    }
    throw new Error("paging did not end");
  }

  /** The export equals the page walk, row for row; details checked as parsed JSON. */
  function expectSameRows(file: string[][], rows: ActivityListRow[], tenantId: string) {
    expect(file[0]).toEqual(HEADER);
    const body = file.slice(1);
    expect(body.map((cells) => cells[9])).toEqual(rows.map((r) => r.correlationId));
    body.forEach((cells, i) => {
      const row = at(rows, i, "the page walk's row");
      expect(cells.slice(0, 10)).toEqual(expectedCells(row));
      const details = required(byId.get(`${tenantId}:${row.id}`), `the fixture of record ${row.id}`).details;
      // No fixture here carries an error code; a change is listed only where old and new both are.
      expect(cells.slice(10, 12)).toEqual(["", ""]);
      expect(cells[12] !== "").toBe(details !== null && details.resourceOldValue !== null);
      if (details === null) expect(cells[13]).toBe("");
      else expect(JSON.parse(cell(cells, 13))).toEqual(details);
    });
  }

  beforeAll(async () => {
    testDb = await createTestDatabase();
    const { admin } = testDb;
    await admin`select ensure_activity_partitions('2025-12-01T00:00:00Z', '2026-02-01T00:00:00Z')`;
    await admin`insert into partner_tenants ${admin([
      { id: A.tenantId, cloud: A.cloud, name: "Tenant A" },
      { id: B.tenantId, cloud: B.cloud, name: "Tenant B" },
      { id: C.tenantId, cloud: C.cloud, name: "Tenant C" },
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
    await admin`insert into activity_record_details ${admin(
      records
        .filter((r) => r.details !== null)
        .map((r) => ({
          tenant_id: r.tenantId,
          occurred_at: r.occurredAt,
          record_id: r.id,
          resource_old_value:
            r.details!.resourceOldValue === null ? null : admin.json(r.details!.resourceOldValue as never),
          resource_new_value: admin.json(r.details!.resourceNewValue as never),
          customized_data: r.details!.customizedData === null ? null : admin.json(r.details!.customizedData as never),
        })),
    )}`;
    // Decoys sharing a record's id but not its key: one a millisecond off, one of another tenant.
    // Details belong to a record by (tenant_id, occurred_at, record_id), never by id alone.
    const decoys = records
      .filter((r) => r.tenantId === A.tenantId && r.occurredAt.getTime() >= windowStart)
      .slice(0, 30)
      .flatMap((r) => [
        { tenant_id: A.tenantId, occurred_at: new Date(r.occurredAt.getTime() + 1), record_id: r.id },
        { tenant_id: B.tenantId, occurred_at: r.occurredAt, record_id: r.id },
      ]);
    await admin`insert into activity_record_details ${admin(
      decoys.map((x) => ({
        ...x,
        resource_old_value: null,
        resource_new_value: admin.json({ decoy: true }),
        customized_data: null,
      })),
    )} on conflict do nothing`;
    client = postgres(testDb.url, { max: 3, onnotice: () => {} });
    db = drizzle(client, { schema });
    // A client of its own, as production's export pool is; drizzle never wraps it.
    exportSql = postgres(testDb.url, { max: 3, onnotice: () => {} });
  });

  afterAll(async () => {
    await exportSql?.end({ timeout: 5 });
    await client?.end({ timeout: 5 });
    await testDb?.drop();
  });

  describe("same rows as the page", () => {
    const cases: Array<[string, SearchParamsInput]> = [
      ["the whole range", WINDOW],
      ["a customer substring", { ...WINDOW, customer: "ltd" }],
      ["a Korean customer", { ...WINDOW, customer: "한빛" }],
      ["an action", { ...WINDOW, action: "update_subscription" }],
      ["a user in another case", { ...WINDOW, user: "BEN@A.EXAMPLE" }],
      ["a status", { ...WINDOW, status: "failed" }],
      [
        "all filters",
        { ...WINDOW, customer: "co", action: "create_order", user: "ana@a.example", status: "succeeded" },
      ],
      ["a time zone", { from: "2026-01-02", to: "2026-01-03", tz: "Asia/Seoul" }],
      ["nothing matching", { ...WINDOW, action: "no_such_action" }],
    ];

    it.each(cases)("%s", async (_label, input) => {
      const p = params(input);
      const rows = await pageRows(A, p);
      if (_label !== "nothing matching") expect(rows.length).toBeGreaterThan(0);
      // Batches that split the ties, end short or end on an exact multiple (an empty last FETCH), and the default.
      for (const batchSize of [3, 7, 10, undefined]) {
        expectSameRows(await exportRows(A, p, batchSize), rows, A.tenantId);
      }
    });

    it("joins each record's own details by its full key, never a decoy with the same id", async () => {
      const body = (await exportRows(A, params(WINDOW))).slice(1);
      expect(body).toHaveLength(150);
      expect(body.some((cells) => cell(cells, 13).includes("decoy"))).toBe(false);
      // Records without details stay empty even where a decoy shares their id.
      expect(body.filter((cells) => cells[13] === "").length).toBe(
        records.filter((r) => r.tenantId === A.tenantId && r.id < 4000 && r.details === null).length,
      );
    });

    it("exports the whole range whatever page position, size or direction the link carries", async () => {
      const p = params(WINDOW);
      const rows = await pageRows(A, p);
      expect(rows).toHaveLength(150);
      const row = at(rows, 40, "the 41st row");
      const cursor = encodeCursor({ occurredAt: row.occurredAt, id: row.id });
      const positioned = params({ ...WINDOW, cursor, dir: "prev", size: "100" });
      expectSameRows(await exportRows(A, positioned, 25), rows, A.tenantId);
    });

    it("starts with the BOM and the header before it touches the database", async () => {
      const broken = postgres("postgres://nobody:wrong@127.0.0.1:1/none", {
        max: 1,
        connect_timeout: 1,
        onnotice: () => {},
      });
      try {
        const reader = createActivityCsvStream({ ctx: A, params: params(WINDOW), sql: broken }).getReader();
        const first = await reader.read();
        expect(Buffer.from(first.value!).toString("utf8")).toBe("\uFEFF" + HEADER.join(",") + "\r\n");
        // The database is unreachable: the download fails rather than ending as an empty file.
        await expect(reader.read()).rejects.toThrow();
      } finally {
        await broken.end({ timeout: 1 });
      }
    });
  });

  describe("route handler", () => {
    const signedIn = {
      ...A,
      userId: "00000000-0000-4000-8000-0000000000a1",
      userPrincipalName: "ana@a.example",
      role: "global_admin" as const,
    };
    const get = (query: string) => exportRoute(new NextRequest(`http://localhost/api/activity-log/export?${query}`));
    // The handler as its route runs it, with the signed-in context the route would resolve.
    const exportRoute = route((request: NextRequest) =>
      exportActivityLog({ ctx: signedIn, sessionId: "00000000-0000-4000-8000-000000000000", request, params: {} }),
    );

    beforeAll(() => {
      // The route uses the app's own export pool, on this test database.
      vi.stubEnv("DATABASE_URL", testDb.url);
    });
    afterAll(async () => {
      await closeDb();
      vi.unstubAllEnvs();
    });

    it("streams the CSV with download headers, the page's filters applied", async () => {
      const response = await get(
        "from=2026-01-01&to=2026-01-07&status=failed&size=100&cursor=" +
          encodeCursor({ occurredAt: new Date(windowStart), id: 1 }),
      );
      expect(response.status).toBe(200);
      expect(Object.fromEntries(response.headers)).toMatchObject({
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": expect.stringMatching(
          /^attachment; filename="activity-log_commercial_tenant-a_2026-01-01_2026-01-07_failed_[0-9a-f]{6}\.csv"; filename\*=UTF-8''activity-log_commercial_tenant-a_2026-01-01_2026-01-07_failed_[0-9a-f]{6}\.csv$/,
        ),
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      });
      const file = parseFile(Buffer.from(await response.arrayBuffer()));
      const p = params({ ...WINDOW, status: "failed" });
      expectSameRows(file, await pageRows(A, p), A.tenantId);
    });

    it("answers bad params with a 400 and every problem, before any CSV", async () => {
      const response = await get("from=2026-02-30&status=maybe");
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      const body = await response.json();
      expect(body.error.code).toBe("bad_request");
      expect(body.error.message).toEqual(expect.any(String));
      expect(body.error.details.map((e: { param: string }) => e.param).sort()).toEqual(["from", "status"]);
    });
  });

  describe("Excel safety", () => {
    it("round-trips hostile text through a strict RFC 4180 parser, apart from the documented apostrophe", async () => {
      const bytes = await readBytes(
        createActivityCsvStream({ ctx: A, params: params(WINDOW), sql: exportSql, batchSize: 16 }),
      );
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = utf8.decode(bytes.subarray(3));
      // Every line ends CRLF: stripping quoted fields leaves no CR or LF but record ends.
      const outsideQuotes = text.replace(/"(?:[^"]|"")*"/g, "");
      expect(outsideQuotes.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
      expect(text.startsWith(HEADER.join(",") + "\r\n")).toBe(true);

      const file = parseCsv(text);
      expect(file[0]).toEqual(HEADER);
      const body = file.slice(1);
      expect(body.every((cells) => cells.length === HEADER.length)).toBe(true);

      const names = new Set(body.map((cells) => cell(cells, 1)));
      for (const name of NAMES) expect(names, JSON.stringify(name)).toContain(shown(name));
      expect(names).toContain("");
      for (const c of DANGEROUS_FIRST) {
        expect(
          [...names].some((n) => n.startsWith("'" + c)),
          JSON.stringify(c),
        ).toBe(true);
        expect(
          [...names].some((n) => n.startsWith(c)),
          JSON.stringify(c),
        ).toBe(false);
      }
      expect(names).toContain("주식회사 한빛소프트");
      expect(names).toContain("Emoji 😀🚀 Co");
      expect(names).toContain("Multi\r\nLine\nName\rCo");
      expect(names).toContain('Quote "The" Inc');
      expect(body.map((cells) => cells[8])).toContain("'=cmd|' /C calc'!A0");
      expect(body.map((cells) => cells[3])).toContain("'@weird op");
      expect(body.map((cells) => cells[4])).toContain("'@weird_op");
      expect(body.map((cells) => cells[5])).toContain("'-subscription");
      // Times as Excel reads them.
      expect(body.every((cells) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(cell(cells, 0)))).toBe(true);
      // Details survive as JSON with quotes, CR/LF, Korean and emoji intact.
      const withOld = required(
        body.find((cells) => cell(cells, 13).includes("then\\r\\nnew")),
        "a row whose details hold an escaped CR/LF",
      );
      expect(JSON.parse(cell(withOld, 13)).resourceOldValue.note).toBe('was "old", then\r\nnew');
      expect(JSON.parse(cell(withOld, 13)).resourceNewValue.emoji).toBe("😀");
      // The changed fields, the note's CR/LF kept inside its quoted cell.
      expect(withOld[12]).toContain('note: was "old", then\r\nnew → ');
    });
  });

  describe("tenant and cloud scope", () => {
    const filters: SearchParamsInput[] = [
      WINDOW,
      { ...WINDOW, customer: "Contoso" },
      { ...WINDOW, action: "create_order" },
      { ...WINDOW, user: "ana@a.example" },
      { ...WINDOW, status: "failed" },
      { from: "2025-12-20", to: "2026-01-19" },
    ];

    it.each(filters)("never shows another tenant's records, in either cloud (%j)", async (input) => {
      const p = params(input);
      for (const [ctx, own, others] of [
        [A, A, [B, C]],
        [B, B, [A, C]],
        [C, C, [A, B]],
      ] as const) {
        const body = (await exportRows(ctx, p, 8)).slice(1);
        const seen = new Set(body.map((cells) => cell(cells, 9)));
        const ownIds = records.filter((r) => r.tenantId === own.tenantId).map((r) => r.correlationId);
        for (const other of others) {
          for (const r of records.filter((x) => x.tenantId === other.tenantId))
            expect(seen.has(r.correlationId)).toBe(false);
        }
        expect([...seen].every((id) => ownIds.includes(id))).toBe(true);
        expect(body).toHaveLength((await pageRows(ctx, p, 50)).length);
      }
    });

    it("shows nothing to a context whose cloud is not its tenant's", async () => {
      const file = await exportRows({ tenantId: A.tenantId, cloud: "usgov" }, params(WINDOW));
      expect(file).toEqual([HEADER]);
    });

    it("scopes the SQL itself by tenant and cloud, with the page's where-clause and order", () => {
      const query = buildActivityExportQuery(A, params({ ...WINDOW, customer: "50%" }));
      expect(query.sql).toMatch(/"activity_records"\."tenant_id" = \$\d+ and "activity_records"\."cloud" = \$\d+/);
      expect(query.sql).toMatch(/order by "activity_records"\."occurred_at" desc, "activity_records"\."id" desc$/);
      expect(query.params).toContain(A.tenantId);
      expect(query.params).toContain("%50\\%%");
    });
  });
});

describe("export file name", () => {
  const base = params(WINDOW);
  const name = (overrides: Partial<ActivityLogParams>, format?: "csv" | "ndjson" | "line-items") =>
    exportFileName({ tenant: "Contoso Ltd.", cloud: "commercial", params: { ...base, ...overrides }, format });

  it("names the tenant, the cloud and the chosen days, and the format", () => {
    expect(name({})).toBe("activity-log_commercial_contoso-ltd_2026-01-01_2026-01-07.csv");
    expect(name({}, "ndjson")).toBe("activity-log_commercial_contoso-ltd_2026-01-01_2026-01-07.ndjson");
    expect(name({}, "line-items")).toBe("activity-log_commercial_contoso-ltd_2026-01-01_2026-01-07_line-items.csv");
    expect(exportFileName({ tenant: null, cloud: "usgov", params: base })).toBe(
      "activity-log_usgov_2026-01-01_2026-01-07.csv",
    );
  });

  it("carries the filters readably, and tells two filtered exports of one period apart", () => {
    const failed = name({ status: ["failed"], action: ["create_order"] });
    expect(failed).toMatch(
      /^activity-log_commercial_contoso-ltd_2026-01-01_2026-01-07_failed_create-order_[0-9a-f]{6}\.csv$/,
    );
    expect(name({ customer: "주식회사 한빛소프트" })).toMatch(/_주식회사-한빛소프트_[0-9a-f]{6}\.csv$/);
    expect(name({ user: ["ana@a.example"], tz: "Asia/Seoul" })).toMatch(/_ana_asia-seoul_[0-9a-f]{6}\.csv$/);
    // Every pair below folds to the same readable text, or carries nothing readable: the names still differ.
    const distinct = [
      {},
      { status: ["failed" as const] },
      { status: ["failed" as const], action: ["create_order"] },
      { action: ["create_order"], excludeActions: true },
      { customer: "A.B" },
      { customer: "A B" },
      { customer: "x".repeat(100) + "1" },
      { customer: "x".repeat(100) + "2" },
      { fromTime: "09:00" },
      { toTime: "17:30" },
      { correlation: "0c000000-0000-4000-8000-000000000001" },
      { correlation: "0c000000-0000-4000-8000-000000000002" },
      { includeLogAccess: true },
      { user: ["ana@a.example"] },
      { user: ["ana@b.example"] },
    ].map((o) => name(o));
    expect(new Set(distinct).size).toBe(distinct.length);
    // The same filters in another order are the same export, and the same name.
    expect(name({ status: ["failed", "progress"] })).toBe(name({ status: ["progress", "failed"] }));
  });

  it("keeps names short and safe for any file system", () => {
    const long = name({
      customer: '<>:"/\\|?* ' + "한".repeat(80),
      action: Array.from({ length: 20 }, (_, i) => `action_number_${i}`),
      q: "../../etc/passwd",
    });
    expect(long.length).toBeLessThan(160);
    expect(long).not.toMatch(/[<>:"/\\|?*\u0000-\u001f]/);
    expect(name({ fromTime: "09:00", toTime: "17:30" })).toMatch(/_2026-01-01T0900_2026-01-07T1730_[0-9a-f]{6}\.csv$/);
  });

  it("builds an attachment header with an ASCII fallback and the UTF-8 name", () => {
    expect(contentDisposition("activity-log_commercial_2026-01-01_2026-01-31.csv")).toBe(
      `attachment; filename="activity-log_commercial_2026-01-01_2026-01-31.csv"; filename*=UTF-8''activity-log_commercial_2026-01-01_2026-01-31.csv`,
    );
    expect(contentDisposition('로그 "a"\\b\r\n(1)*\'%.csv')).toBe(
      `attachment; filename="__ _a__b__(1)*'_.csv"; filename*=UTF-8''%EB%A1%9C%EA%B7%B8%20%22a%22%5Cb%0D%0A%281%29%2A%27%25.csv`,
    );
  });
});
