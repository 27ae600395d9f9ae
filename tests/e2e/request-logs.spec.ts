import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { CONTOSO_ID, e2eDatabaseUrl, FABRIKAM_ID, firstRow, signIn } from "./support";

/*
 * The structured request log of the real servers (scripts/serve.ts): playwright.config.ts has each
 * server append its JSON lines to <E2E_DATA_DIR>/<name>-requests.jsonl as well as print them.
 */

interface LogLine {
  ts: string;
  level: string;
  msg: string;
  requestId?: string;
  method?: string;
  route?: string;
  params?: Record<string, string>;
  status?: number;
  durationMs?: number;
  userId?: string;
  tenantId?: string;
  cloud?: string;
  role?: string;
  apiKeyId?: string;
  rows?: number;
  outcome?: string;
}

const logFile = (server: "app" | "sovereign") => path.join(process.env.E2E_DATA_DIR!, `${server}-requests.jsonl`);
const rawLines = (server: "app" | "sovereign") =>
  existsSync(logFile(server))
    ? readFileSync(logFile(server), "utf8")
        .split("\n")
        .filter((l) => l !== "")
    : [];
const readLog = (since: string) =>
  rawLines("app")
    .map((l) => JSON.parse(l) as LogLine)
    .filter((l) => l.ts >= since);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FABRIKAM_KEY = "pal_demo_fabrikam_2a6d8f0b4c1e7a3d9b5f2c8e6a0d4b17";

let sql: postgres.Sql;
test.beforeAll(() => {
  sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
});
test.afterAll(async () => {
  await sql.end();
});

test("a page view and an export each leave a line with who, tenant, route, status, duration and rows", async ({
  page,
}) => {
  const since = new Date().toISOString();
  const admin = await firstRow(
    sql<Array<{ id: string }>>`
    select id from partner_users where tenant_id = ${CONTOSO_ID} and user_principal_name = 'admin@contoso.example'`,
    "the Contoso admin user",
  );

  await signIn(page, "admin@contoso.example", { path: "/account/activity-log", fresh: true });
  await expect(page).toHaveURL(/\/account\/activity-log$/);
  await expect(page.getByTestId("activity-row").first()).toBeVisible();
  const shown = await page.getByTestId("activity-row").count();

  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: /Export log/ }).click();
  const csv = readFileSync((await (await downloading).path())!, "utf8");
  const exported = csv.split("\r\n").filter((line) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},/.test(line)).length;
  expect(exported).toBeGreaterThan(shown);

  // The export's lines are written when its stream settles and its response closes.
  await expect.poll(() => readLog(since).filter((l) => l.route === "/api/activity-log/export").length).toBe(2);
  const lines = readLog(since);
  const who = { userId: admin.id, tenantId: CONTOSO_ID, cloud: "commercial", role: "global_admin" };

  const view = lines.find(
    (l) => l.msg === "request" && l.route === "/account/activity-log" && l.status === 200 && l.rows !== undefined,
  );
  expect(view).toMatchObject({ level: "info", method: "GET", ...who, rows: shown });
  expect(view!.requestId).toMatch(UUID);
  expect(view!.durationMs).toBeGreaterThan(0);

  const exportRequest = lines.find((l) => l.msg === "request" && l.route === "/api/activity-log/export")!;
  expect(exportRequest).toMatchObject({ level: "info", method: "GET", status: 200, ...who, rows: exported });
  expect(exportRequest.durationMs).toBeGreaterThan(0);
  const exportLine = lines.find((l) => l.msg === "export")!;
  expect(exportLine).toMatchObject({
    requestId: exportRequest.requestId,
    route: "/api/activity-log/export",
    ...who,
    rows: exported,
    outcome: "complete",
  });
  expect(exportLine.durationMs).toBeGreaterThan(0);

  // From the page view on, every request of the session names its user, router prefetches and
  // other requests that run no app code included (the proxy names them from the session).
  const afterView = lines.filter(
    (l) =>
      l.msg === "request" && l.level === "info" && l.ts >= view!.ts && !/^\/(signin|api\/auth)/.test(l.route ?? ""),
  );
  expect(afterView.length).toBeGreaterThan(1);
  expect(afterView.filter((l) => l.userId !== admin.id || l.tenantId !== CONTOSO_ID)).toEqual([]);

  // Before sign-in: the same kind of line, with no one in it.
  const signedOut = lines.find((l) => l.route === "/signin" && l.status === 200)!;
  expect(signedOut).toBeDefined();
  expect(signedOut.userId).toBeUndefined();
  expect(signedOut.tenantId).toBeUndefined();
});

test("an ingestion request is logged with its API key's tenant and the rows it sent, never the key", async ({
  request,
}) => {
  const since = new Date().toISOString();
  const response = await request.post("/api/v1/activity-records", {
    headers: { authorization: `Bearer ${FABRIKAM_KEY}` },
    data: {
      eventId: `request-log-${randomUUID()}`,
      occurredAt: new Date().toISOString(),
      operationType: "update_customer_profile",
      resourceType: "customer",
      operationStatus: "succeeded",
      userPrincipalName: "admin@fabrikam.example",
      applicationId: "Partner Center API",
      correlationId: randomUUID(),
    },
  });
  expect(response.status()).toBe(201);
  const requestId = response.headers()["x-request-id"];
  expect(requestId).toMatch(UUID);
  await expect.poll(() => readLog(since).filter((l) => l.requestId === requestId).length).toBe(1);
  const line = readLog(since).find((l) => l.requestId === requestId)!;
  expect(line).toMatchObject({
    msg: "request",
    method: "POST",
    route: "/api/v1/activity-records",
    status: 201,
    tenantId: FABRIKAM_ID,
    cloud: "commercial",
    rows: 1,
  });
  expect(line.apiKeyId).toMatch(UUID);
  expect(line.userId).toBeUndefined();
});

test("no line holds personal data: no email, name, query string, cookie or key, whatever the URL carried", async ({
  page,
}) => {
  // Names and addresses in query strings and paths, signed out and signed in.
  const refused = await page.request.get(
    "/api/activity-log/export?user=admin%40contoso.example&customer=Northwind%20Traders",
    {
      headers: { accept: "text/csv" },
      maxRedirects: 0,
    },
  );
  expect(refused.status()).toBe(401);
  await signIn(page, "admin@contoso.example", {
    path: `/account/activity-log?customer=${encodeURIComponent("Müller & Söhne GmbH")}&user=${encodeURIComponent("agent@contoso.example")}`,
  });
  await expect(page.getByTestId("result-count")).toBeVisible();
  expect(
    (await page.request.get("/customers/admin@contoso.example/subscriptions", { maxRedirects: 0 })).status(),
  ).toBeLessThan(500);
  await expect
    .poll(() => rawLines("app").some((l) => l.includes('"route":"/customers/[customerId]/subscriptions"')))
    .toBe(true);

  const names = [
    ...(await sql<Array<{ name: string }>>`select company_name as name from customers`),
    ...(await sql<Array<{ name: string }>>`select display_name as name from partner_users`),
    ...(await sql<Array<{ name: string }>>`select name from partner_tenants`),
  ]
    .map((r) => r.name)
    .filter((name) => name.length >= 4);
  expect(names.length).toBeGreaterThan(40);

  const all = [...rawLines("app"), ...rawLines("sovereign")];
  expect(all.length).toBeGreaterThan(10);
  const malformed = all.filter((raw) => {
    const line = JSON.parse(raw) as LogLine;
    return (
      !/^\d{4}-\d{2}-\d{2}T/.test(line.ts) ||
      !["debug", "info", "warn", "error"].includes(line.level) ||
      !["request", "export", "server"].includes(line.msg)
    );
  });
  expect(malformed).toEqual([]);
  const leaks = all.flatMap((raw) => {
    const found = ["@", "?", ...names].filter((needle) => raw.includes(needle));
    if (/pal_|authjs|bearer|cookie|password/i.test(raw)) found.push("a secret's name");
    return found.length > 0 ? [`${found.join(", ")} in ${raw}`] : [];
  });
  expect(leaks).toEqual([]);
});
