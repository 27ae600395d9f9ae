import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext, type Browser, type BrowserContext } from "@playwright/test";
import postgres from "postgres";
import { CONTOSO_ID, e2eDatabaseUrl, FABRIKAM_ID, firstRow, signIn, TAILSPIN_ID } from "./support";

/*
 * The isolation matrix: every page and API route the app has, against every caller that must not
 * get through. The route list is read from app/, so a new route without a row here fails the run.
 * Objects of another tenant (same cloud) or another cloud answer 404, never 403, and no response
 * to Contoso ever carries another tenant's ids.
 */

type Caller = "signedOut" | "otherTenant" | "otherCloud" | "wrongRole" | "forged";
interface Fixture {
  customer: string;
  record: { id: string; at: string; correlationId: string };
  /** A session of one of the tenant's users (not one the matrix signs in with). */
  session: string;
  /** A log streaming destination of the tenant (switched off: it queues nothing). */
  destination: string;
  /** A saved view of the tenant's admin, private. */
  view: string;
}
type Fixtures = Record<"contoso" | "fabrikam" | "tailspin", Fixture>;
interface Row {
  kind: "page" | "api" | "public";
  /** The path for Contoso's own object (or the route itself), then for another tenant's object. */
  own: (f: Fixtures) => string;
  foreign?: (f: Fixture) => string;
  /**
   * Forged parameters: malformed ids, another tenant's cursor or ids in the query. A URL with its
   * own status when the forgeries of one route answer differently.
   */
  forged?: (f: Fixtures) => Array<string | [url: string, status: number]>;
  expect: Partial<Record<Caller, number | number[]>>;
  method?: "GET" | "POST" | "DELETE";
  /** What the caller's own request answers, when not 200 (DELETE: 204). */
  ownStatus?: number;
}

const enc = encodeURIComponent;
const MATRIX: Record<string, Row> = {
  "/": { kind: "page", own: () => "/", expect: { signedOut: 307, wrongRole: 200 } },
  "/signin": { kind: "public", own: () => "/signin", expect: { signedOut: 200 } },
  "/customers": { kind: "page", own: () => "/customers", expect: { signedOut: 307, wrongRole: 200 } },
  "/customers/[customerId]/subscriptions": {
    kind: "page",
    own: (f) => `/customers/${f.contoso.customer}/subscriptions`,
    foreign: (f) => `/customers/${f.customer}/subscriptions`,
    forged: () => [
      "/customers/not-a-uuid/subscriptions",
      "/customers/00000000-0000-0000-0000-000000000000/subscriptions",
    ],
    expect: { signedOut: 307, otherTenant: 404, otherCloud: 404, wrongRole: 200, forged: 404 },
  },
  "/account/activity-log": {
    kind: "page",
    own: () => "/account/activity-log",
    forged: (f) => [
      `/account/activity-log?customer=${enc(f.fabrikam.customer)}`,
      `/account/activity-log?user=${enc("admin@fabrikam.example")}`,
      `/account/activity-log?from=2026-01-01&to=2026-02-30`,
    ],
    expect: { signedOut: 307, wrongRole: 403, forged: 200 },
  },
  "/account/activity-log/records/[id]": {
    kind: "page",
    own: (f) => `/account/activity-log/records/${f.contoso.record.id}`,
    foreign: (f) => `/account/activity-log/records/${f.record.id}`,
    forged: () => ["/account/activity-log/records/not-a-number", "/account/activity-log/records/999999999999"],
    // The own record redirects to the log, opened at it.
    ownStatus: 307,
    expect: { signedOut: 307, otherTenant: 404, otherCloud: 404, wrongRole: 403, forged: 404 },
  },
  "/account/sessions": {
    kind: "page",
    own: () => "/account/sessions",
    expect: { signedOut: 307, wrongRole: 200 },
  },
  "/account/data-sources": {
    kind: "page",
    own: () => "/account/data-sources",
    expect: { signedOut: 307, wrongRole: 403 },
  },
  "/account/log-integrity": {
    kind: "page",
    own: () => "/account/log-integrity",
    expect: { signedOut: 307, wrongRole: 403 },
  },
  "/api/health": { kind: "public", own: () => "/api/health", expect: { signedOut: 200 } },
  "/api/auth/[...nextauth]": { kind: "public", own: () => "/api/auth/providers", expect: { signedOut: 200 } },
  "/api/activity-log/records/[id]": {
    kind: "api",
    own: (f) => `/api/activity-log/records/${f.contoso.record.id}?at=${enc(f.contoso.record.at)}`,
    foreign: (f) => `/api/activity-log/records/${f.record.id}?at=${enc(f.record.at)}`,
    forged: (f) => [
      `/api/activity-log/records/${f.fabrikam.record.id}`,
      "/api/activity-log/records/abc",
      "/api/activity-log/records/1?at=nope",
    ],
    expect: { signedOut: 401, otherTenant: 404, otherCloud: 404, wrongRole: 403, forged: [400, 404] },
  },
  "/api/activity-log/export": {
    kind: "api",
    own: () => "/api/activity-log/export",
    forged: (f) => [
      // Another cloud's customer is a filter that matches nothing of Contoso's: an empty file.
      [`/api/activity-log/export?customer=${enc(f.tailspin.customer)}`, 200],
      ["/api/activity-log/export?status=nope", 400],
    ],
    expect: { signedOut: 401, wrongRole: 403 },
  },
  "/api/account/sessions": {
    kind: "api",
    own: () => "/api/account/sessions",
    // Everyone may list their own sessions; only a global admin sees the tenant's.
    expect: { signedOut: 401, wrongRole: 200 },
  },
  // The tenant's own Partner Center connection: there is no other tenant's to ask for by id.
  "/api/account/data-sources": {
    kind: "api",
    own: () => "/api/account/data-sources",
    expect: { signedOut: 401, wrongRole: 403 },
  },
  "/api/account/sessions/[id]": {
    kind: "api",
    method: "DELETE",
    ownStatus: 204,
    own: (f) => `/api/account/sessions/${f.contoso.session}`,
    foreign: (f) => `/api/account/sessions/${f.session}`,
    forged: () => ["/api/account/sessions/not-a-uuid", "/api/account/sessions/00000000-0000-0000-0000-000000000000"],
    expect: { signedOut: 401, otherTenant: 404, otherCloud: 404, wrongRole: 403, forged: 404 },
  },
  "/account/log-streaming": {
    kind: "page",
    own: () => "/account/log-streaming",
    expect: { signedOut: 307, wrongRole: 403 },
  },
  "/api/account/log-streaming": {
    kind: "api",
    own: () => "/api/account/log-streaming",
    expect: { signedOut: 401, wrongRole: 403 },
  },
  "/api/account/log-streaming/[id]": {
    kind: "api",
    own: (f) => `/api/account/log-streaming/${f.contoso.destination}`,
    foreign: (f) => `/api/account/log-streaming/${f.destination}`,
    forged: () => [
      "/api/account/log-streaming/not-a-uuid",
      "/api/account/log-streaming/00000000-0000-0000-0000-000000000000",
    ],
    expect: { signedOut: 401, otherTenant: 404, otherCloud: 404, wrongRole: 403, forged: 404 },
  },
  "/api/account/log-streaming/[id]/pause": {
    kind: "api",
    method: "POST",
    own: (f) => `/api/account/log-streaming/${f.contoso.destination}/pause`,
    foreign: (f) => `/api/account/log-streaming/${f.destination}/pause`,
    forged: () => ["/api/account/log-streaming/not-a-uuid/pause"],
    expect: { signedOut: 401, otherTenant: 404, otherCloud: 404, wrongRole: 403, forged: 404 },
  },
  "/api/account/log-streaming/[id]/replay": {
    kind: "api",
    method: "POST",
    own: (f) => `/api/account/log-streaming/${f.contoso.destination}/replay`,
    foreign: (f) => `/api/account/log-streaming/${f.destination}/replay`,
    forged: () => ["/api/account/log-streaming/not-a-uuid/replay"],
    expect: { signedOut: 401, otherTenant: 404, otherCloud: 404, wrongRole: 403, forged: 404 },
  },
  "/api/account/log-streaming/[id]/resume": {
    kind: "api",
    method: "POST",
    own: (f) => `/api/account/log-streaming/${f.contoso.destination}/resume`,
    foreign: (f) => `/api/account/log-streaming/${f.destination}/resume`,
    forged: () => ["/api/account/log-streaming/not-a-uuid/resume"],
    expect: { signedOut: 401, otherTenant: 404, otherCloud: 404, wrongRole: 403, forged: 404 },
  },
  "/api/account/log-streaming/[id]/test": {
    kind: "api",
    method: "POST",
    own: (f) => `/api/account/log-streaming/${f.contoso.destination}/test`,
    foreign: (f) => `/api/account/log-streaming/${f.destination}/test`,
    forged: () => ["/api/account/log-streaming/not-a-uuid/test"],
    expect: { signedOut: 401, otherTenant: 404, otherCloud: 404, wrongRole: 403, forged: 404 },
  },
  "/api/account/saved-views": {
    kind: "api",
    own: () => "/api/account/saved-views",
    expect: { signedOut: 401, wrongRole: 403 },
  },
  "/api/account/saved-views/[id]": {
    kind: "api",
    own: (f) => `/api/account/saved-views/${f.contoso.view}`,
    foreign: (f) => `/api/account/saved-views/${f.view}`,
    // Another user's private view of the same tenant is as absent as another tenant's.
    forged: () => [
      "/api/account/saved-views/not-a-uuid",
      "/api/account/saved-views/00000000-0000-0000-0000-000000000000",
      `/api/account/saved-views/${colleaguesView}`,
    ],
    expect: { signedOut: 401, otherTenant: 404, otherCloud: 404, wrongRole: 403, forged: 404 },
  },
  "/api/account/saved-views/[id]/default": {
    kind: "api",
    method: "DELETE",
    own: (f) => `/api/account/saved-views/${f.contoso.view}/default`,
    foreign: (f) => `/api/account/saved-views/${f.view}/default`,
    forged: () => ["/api/account/saved-views/not-a-uuid/default", `/api/account/saved-views/${colleaguesView}/default`],
    expect: { signedOut: 401, otherTenant: 404, otherCloud: 404, wrongRole: 403, forged: 404 },
  },
  "/api/v1/activity-records": {
    kind: "api",
    method: "POST",
    own: () => "/api/v1/activity-records",
    expect: { signedOut: 401 },
  },
  "/api/v1/partner-center/audit-records": {
    kind: "api",
    method: "POST",
    own: () => "/api/v1/partner-center/audit-records",
    expect: { signedOut: 401 },
  },
  // Partner Center's read API: an API key (tested in integration) or a session with the log permission.
  "/api/v1/auditrecords": {
    kind: "api",
    own: () => "/api/v1/auditrecords?size=1000",
    forged: (f) => [
      // Another tenant's or cloud's customer matches nothing of Contoso's: an empty page.
      [
        `/api/v1/auditrecords?filter=${enc(JSON.stringify({ Field: "CustomerId", Value: f.fabrikam.customer, Operator: "equals" }))}`,
        200,
      ],
      [
        `/api/v1/auditrecords?filter=${enc(JSON.stringify({ Field: "CustomerId", Value: f.tailspin.customer, Operator: "equals" }))}`,
        200,
      ],
      ["/api/v1/auditrecords?size=0", 400],
      ["/api/v1/auditrecords?filter=nope", 400],
    ],
    expect: { signedOut: 401, wrongRole: 403 },
  },
};

/** The route patterns the app has: every page.tsx and route.ts under app/. */
function appRoutes(dir = "app", prefix = ""): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) {
      // Route groups and private folders do not add a URL segment.
      if (entry.startsWith("_")) continue;
      const segment = entry.startsWith("(") ? "" : `/${entry}`;
      found.push(...appRoutes(full, prefix + segment));
    } else if (/^(page\.tsx|route\.ts)$/.test(entry)) {
      found.push(prefix || "/");
    }
  }
  return found.sort();
}

let sql: postgres.Sql;
let fixtures: Fixtures;
const contexts: Partial<Record<"admin" | "sales", APIRequestContext>> = {};
const browserContexts: BrowserContext[] = [];
let foreignIds: string[] = [];
/** A private saved view of another Contoso user. */
let colleaguesView = "";

async function signedInRequest(browser: Browser, email: string): Promise<APIRequestContext> {
  const context = await browser.newContext();
  browserContexts.push(context);
  const page = await context.newPage();
  await signIn(page, email);
  await expect(page.getByTestId("header-tenant")).toBeVisible();
  return context.request;
}

/** The objects of one tenant the matrix asks for: found in the demo data, or made for it. */
async function tenantFixture(name: string, tenant: string): Promise<Fixture> {
  const customer = await firstRow(
    sql`select id from customers where tenant_id = ${tenant} order by id limit 1`,
    `a customer of ${name}`,
  );
  const record = await firstRow(
    sql`select id, occurred_at, correlation_id from activity_records where tenant_id = ${tenant} order by occurred_at desc limit 1`,
    `a record of ${name}`,
  );
  const session = await firstRow(
    sql`
      insert into user_sessions (tenant_id, id, cloud, user_id, created_at, last_seen_at, user_agent)
      select u.tenant_id, gen_random_uuid(), t.cloud, u.id, now(), now(), 'isolation matrix'
      from partner_users u join partner_tenants t on t.id = u.tenant_id
      where u.tenant_id = ${tenant} and u.role <> 'global_admin' and u.role <> 'sales_agent'
      order by u.user_principal_name limit 1
      returning id`,
    `a session for ${name}`,
  );
  const destination = await firstRow(
    sql`
      insert into stream_destinations (tenant_id, cloud, id, name, kind, url, enabled)
      select id, cloud, gen_random_uuid(), 'Isolation matrix', 'webhook', 'http://127.0.0.1:9/', false
      from partner_tenants where id = ${tenant}
      returning id`,
    `a stream destination for ${name}`,
  );
  const view = await firstRow(
    sql`
      insert into saved_views (tenant_id, cloud, id, owner_key, owner_principal_name, name, query)
      select u.tenant_id, t.cloud, gen_random_uuid(), lower(u.user_principal_name), u.user_principal_name,
             'Isolation matrix', 'status=failed'
      from partner_users u join partner_tenants t on t.id = u.tenant_id
      where u.tenant_id = ${tenant} and u.role = 'global_admin'
      order by u.user_principal_name limit 1
      returning id`,
    `a saved view for ${name}`,
  );
  return {
    view: view.id,
    destination: destination.id,
    session: session.id,
    customer: customer.id,
    record: {
      id: String(record.id),
      at: (record.occurred_at as Date).toISOString(),
      correlationId: record.correlation_id,
    },
  };
}

test.beforeAll(async ({ browser }) => {
  sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
  fixtures = {
    contoso: await tenantFixture("contoso", CONTOSO_ID),
    fabrikam: await tenantFixture("fabrikam", FABRIKAM_ID),
    tailspin: await tenantFixture("tailspin", TAILSPIN_ID),
  };
  // Ids that exist only in the other tenants: none may ever appear in a response to Contoso.
  const rows = await sql`
    select id::text as id from customers where tenant_id <> ${CONTOSO_ID}
    union all
    select correlation_id::text from (select correlation_id from activity_records where tenant_id <> ${CONTOSO_ID} order by occurred_at desc limit 200) r`;
  // The ids the forged requests themselves carry are typed by Contoso's user; the log may keep
  // them (it records the filters of each view), so they are not evidence of a leak.
  const typed = new Set([fixtures.fabrikam.customer, fixtures.tailspin.customer]);
  foreignIds = rows.map((r) => r.id).filter((id) => !typed.has(id));
  [{ id: colleaguesView }] = await sql`
    insert into saved_views (tenant_id, cloud, id, owner_key, owner_principal_name, name, query)
    values (${CONTOSO_ID}, 'commercial', gen_random_uuid(), 'agent@contoso.example', 'agent@contoso.example',
            'Isolation matrix', 'status=progress')
    returning id`;
  contexts.admin = await signedInRequest(browser, "admin@contoso.example");
  contexts.sales = await signedInRequest(browser, "sales@contoso.example");
});

test.afterAll(async () => {
  // The saved views would show in the menus of the specs that run next.
  await sql`delete from saved_views where name = 'Isolation matrix'`;
  await sql.end();
  // Closing the contexts releases their request clients too (disposing those first would leave
  // the contexts to fail at teardown).
  await Promise.all(browserContexts.map((c) => c.close()));
});

function expectStatus(actual: number, expected: number | number[], label: string) {
  expect(Array.isArray(expected) ? expected : [expected], label).toContain(actual);
}

/** `asked` is the URL itself: a page may echo a value the caller typed, which is not a leak. */
function expectNoForeignBytes(body: string, label: string, asked = "") {
  const leaked = foreignIds.filter((id) => body.includes(id) && !decodeURIComponent(asked).includes(id));
  expect(leaked, `${label} leaked another tenant's ids`).toEqual([]);
}

test("every route of the app has a row in the matrix", () => {
  expect(appRoutes()).toEqual(Object.keys(MATRIX).sort());
});

for (const [route, row] of Object.entries(MATRIX)) {
  test(`isolation: ${route}`, async ({ request }) => {
    const own = row.own(fixtures);
    const fetch = (ctx: APIRequestContext, url: string) =>
      row.method === "POST"
        ? ctx.post(url, {
            maxRedirects: 0,
            headers: { accept: "application/json", "content-type": "application/json" },
            data: "{}",
          })
        : row.method === "DELETE"
          ? ctx.delete(url, { maxRedirects: 0, headers: { accept: "application/json" } })
          : ctx.get(url, {
              maxRedirects: 0,
              headers: row.kind === "page" || row.kind === "public" ? {} : { accept: "application/json" },
            });

    if (row.expect.signedOut !== undefined) {
      const response = await fetch(request, own);
      expectStatus(response.status(), row.expect.signedOut, `${route} signed out`);
      if (response.status() === 307) expect(response.headers().location).toBe(`/signin?callbackUrl=${enc(own)}`);
      if (row.kind !== "public") expectNoForeignBytes(await response.text(), `${route} signed out`);
    }
    if (row.kind === "public") return;

    const admin = contexts.admin!;
    const ownResponse = await fetch(admin, own);
    if (row.method !== "POST") {
      expect(ownResponse.status(), `${route} own`).toBe(row.ownStatus ?? 200);
      expectNoForeignBytes(await ownResponse.text(), `${route} own`);
    }
    if (row.foreign) {
      for (const [caller, tenant] of [
        ["otherTenant", "fabrikam"],
        ["otherCloud", "tailspin"],
      ] as const) {
        const response = await fetch(admin, row.foreign(fixtures[tenant]));
        expectStatus(response.status(), row.expect[caller]!, `${route} ${caller}`);
        expectNoForeignBytes(await response.text(), `${route} ${caller}`, row.foreign(fixtures[tenant]));
      }
    }
    for (const forgery of row.forged?.(fixtures) ?? []) {
      const [url, status] = typeof forgery === "string" ? [forgery, row.expect.forged!] : forgery;
      const response = await fetch(admin, url);
      expectStatus(response.status(), status, `${route} forged ${url}`);
      expectNoForeignBytes(await response.text(), `${route} forged ${url}`, url);
    }
    if (row.expect.wrongRole !== undefined) {
      const response = await fetch(contexts.sales!, own);
      expectStatus(response.status(), row.expect.wrongRole, `${route} wrong role`);
      expectNoForeignBytes(await response.text(), `${route} wrong role`);
    }
  });
}
