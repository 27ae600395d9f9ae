import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import {
  CONTOSO_ID,
  DEMO_PASSWORD,
  e2eDatabaseUrl,
  expectNoSeriousViolations,
  FABRIKAM_ID,
  firstRow,
  signIn,
  SOVEREIGN_URL,
} from "./support";

/*
 * axe (WCAG 2.0/2.1 A and AA) on every page of the app, in the states a reader meets them: signed
 * out and in, empty and full, failing, forbidden and not found, with a row of the log expanded, in
 * English and in Korean. Any serious or critical violation fails the test.
 */

let sql: postgres.Sql;
test.beforeAll(() => {
  sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
});
test.afterAll(async () => {
  await sql.end();
});

const rows = (page: Page) => page.getByTestId("activity-row");
const LOG = "/account/activity-log";

/** The record's row on a page of the log, found by its time (unique within a day of a tenant's demo data). */
const rowAt = (page: Page, occurredAt: Date) =>
  rows(page).filter({ has: page.locator(`time[datetime="${occurredAt.toISOString()}"]`) });
const day = (d: Date) => d.toISOString().slice(0, 10);

/** Expands a row with its "Show details" button and waits for its details to load. */
async function expand(page: Page, row: ReturnType<Page["locator"]>, name = "Show details") {
  const toggle = row.getByRole("button", { name });
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  const details = page.getByTestId("activity-details");
  await expect(details).toBeVisible();
  return details;
}

test.describe("signed out", () => {
  test("the sign-in page, its error states and the local authority's form", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/signin/);
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
    await expectNoSeriousViolations(page);

    // A refused sign-in comes back with a code; each reads as an alert above the buttons.
    for (const [code, text] of [
      ["UnknownTenant", "not a partner tenant"],
      ["SessionCloud", "Sign in again"],
      ["Bogus", "Sign-in failed"],
    ] as const) {
      await page.goto(`/signin?error=${code}`);
      // (Next's route announcer is an empty alert of its own.)
      await expect(page.getByRole("main").getByRole("alert")).toContainText(text);
      await expectNoSeriousViolations(page);
    }

    // The local authority's own form (ours: lib/local-oidc/login-page.ts), then its wrong-password state.
    await page.getByTestId("sign-in-commercial").click();
    await expect(page.getByRole("heading", { level: 1, name: "Sign in to Commercial" })).toBeVisible();
    await expectNoSeriousViolations(page);
    await page.getByLabel("Email").fill("admin@contoso.example");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert")).toContainText("We couldn't sign you in");
    await expect(page.getByLabel("Email")).toHaveValue("admin@contoso.example");
    await expectNoSeriousViolations(page);

    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("header-tenant")).toHaveText("Contoso Partners");
  });

  test("the sovereign deployment's sign-in page", async ({ page }) => {
    await page.goto(`${SOVEREIGN_URL}/signin`);
    await expect(page.getByTestId("sign-in-usgov")).toBeVisible();
    await expect(page.getByTestId("cloud-badge")).toHaveText("US Government");
    await expectNoSeriousViolations(page);
  });
});

/*
 * The forms' error states and a customer with no subscriptions, on the sovereign deployment: adding
 * a customer writes to the log, and its own database keeps that away from the other specs' views
 * of the commercial deployment's newest records.
 */
test("adding a customer, its empty subscriptions page and both forms' error states (US Government)", async ({
  page,
}) => {
  await signIn(page, "admin@tailspin.example", { cloud: "usgov", path: `${SOVEREIGN_URL}/customers` });
  await expect(page.getByRole("heading", { level: 1, name: "Customers" })).toBeVisible();
  await expect(page.getByTestId("cloud-badge")).toHaveText("US Government");
  await expectNoSeriousViolations(page);

  // The add form refusing a bad domain: an alert, and the field marked invalid.
  const form = page.getByRole("form", { name: "Add customer" });
  await form.getByLabel("Company name").fill(`A11y Check ${Date.now()} 주식회사`);
  await form.getByLabel("Domain").fill("not a domain");
  await form.getByRole("button", { name: "Add customer" }).click();
  await expect(form.getByRole("alert")).toBeVisible();
  await expectNoSeriousViolations(page);

  // A new customer has no subscriptions yet: the empty state, with the "added" status.
  await form.getByLabel("Domain").fill(`a11y${Date.now()}.example`);
  await form.getByRole("button", { name: "Add customer" }).click();
  await expect(page).toHaveURL(/\/customers\/[0-9a-f-]{36}\/subscriptions\?added=1&record=\d+$/);
  await expect(page.getByRole("main").getByRole("status")).toContainText("Customer added");
  await expect(page.getByText("This customer has no subscriptions yet.")).toBeVisible();
  await expect(page.getByTestId("subscription-row")).toHaveCount(0);
  await expectNoSeriousViolations(page);

  // The purchase form refusing a quantity of 0 (the browser's own check removed to reach the server's).
  const purchase = page.getByRole("form", { name: "Purchase subscription" });
  await purchase.getByLabel("Quantity").fill("0");
  await purchase.getByLabel("Quantity").evaluate((el) => el.removeAttribute("min"));
  await purchase.getByRole("button", { name: "Purchase" }).click();
  await expect(purchase.getByRole("alert")).toContainText("at least 1");
  await expect(page.getByTestId("subscription-row")).toHaveCount(0);
  await expectNoSeriousViolations(page);
});

test.describe("a global admin", () => {
  test("home, with the Account settings menu closed and open", async ({ page }) => {
    await signIn(page, "admin@contoso.example");
    await expect(page.getByRole("heading", { level: 1, name: "Partner Activity Log" })).toBeVisible();
    await expectNoSeriousViolations(page);
    await page.getByRole("button", { name: "Account settings" }).click();
    await expect(page.getByRole("list", { name: "Account settings" }).getByRole("link")).toHaveCount(5);
    await expectNoSeriousViolations(page);
  });

  test("customers", async ({ page }) => {
    await signIn(page, "admin@contoso.example", { path: "/customers" });
    await expect(page.getByRole("heading", { level: 1, name: "Customers" })).toBeVisible();
    await expect(page.locator("main table a").first()).toBeVisible();
    await expect(page.getByRole("form", { name: "Add customer" })).toBeVisible();
    await expectNoSeriousViolations(page);
  });

  test("a customer's subscriptions", async ({ page }) => {
    const customer = await firstRow(
      sql`
      select c.id, c.company_name from customers c
      where c.tenant_id = ${CONTOSO_ID} and (select count(*) from subscriptions s where s.customer_id = c.id) >= 3
      order by c.company_name limit 1`,
      "a Contoso customer with three subscriptions",
    );
    await signIn(page, "admin@contoso.example", { path: `/customers/${customer.id}/subscriptions` });
    await expect(page.getByTestId("customer-name")).toHaveText(customer.company_name);
    expect(await page.getByTestId("subscription-row").count()).toBeGreaterThanOrEqual(3);
    await expectNoSeriousViolations(page);
  });

  test("the activity log by default, filtered, paged, in another time zone, empty and with bad parameters", async ({
    page,
  }) => {
    await signIn(page, "admin@contoso.example", { path: LOG });
    await expect(rows(page)).toHaveCount(25);
    await expect(page.getByRole("link", { name: /Export log/ })).toBeVisible();
    await expectNoSeriousViolations(page);

    const customer = await firstRow(
      sql`select company_name from customers where tenant_id = ${CONTOSO_ID} and company_name ~ '[가-힣]' order by company_name limit 1`,
      "a Contoso customer with a Korean name",
    );
    await page.goto(`${LOG}?customer=${encodeURIComponent(customer.company_name)}&status=succeeded&tz=Asia%2FSeoul`);
    await expect(page.getByLabel("Customer", { exact: true })).toHaveValue(customer.company_name);
    await expect(page.getByRole("link", { name: "Show in UTC" })).toBeVisible();
    await expect(rows(page).first()).toBeVisible();
    await expectNoSeriousViolations(page);

    // A later page, reached in the page (a client-side navigation): "Newest" and "← Newer" appear,
    // and the new filter form replaces the old one (two would share every id and label).
    await page.goto(LOG);
    await page.getByRole("link", { name: "Older →" }).click();
    await expect(page).toHaveURL(/cursor=/);
    await expect(page.getByRole("link", { name: "Newest" })).toBeVisible();
    await expect(page.getByRole("form", { name: "Period and filters" })).toHaveCount(1);
    await expect(page.locator("#filter-from")).toHaveCount(1);
    await expectNoSeriousViolations(page);

    await page.goto(`${LOG}?from=2021-01-01&to=2021-01-31`);
    await expect(page.getByTestId("empty-state")).toBeVisible();
    await expect(page.getByTestId("export-empty")).toBeVisible();
    await expectNoSeriousViolations(page);

    await page.goto(`${LOG}?from=2026-02-30&status=bogus&size=7&cursor=%25%25`);
    await expect(page.getByTestId("param-errors")).toContainText("is not a real date");
    await expectNoSeriousViolations(page);
  });

  test("the activity log with the biggest order expanded and its raw JSON open", async ({ page }) => {
    const order = await firstRow(
      sql`
      select r.occurred_at, jsonb_array_length(d.resource_new_value->'lineItems') as items from activity_records r
      join activity_record_details d on d.tenant_id = r.tenant_id and d.occurred_at = r.occurred_at and d.record_id = r.id
      where r.tenant_id = ${CONTOSO_ID} and r.operation_type = 'create_order' and jsonb_typeof(d.resource_new_value->'lineItems') = 'array'
      order by items desc, r.occurred_at desc limit 1`,
      "a Contoso order with line items",
    );
    expect(order.items, "the demo seed holds a big order").toBeGreaterThanOrEqual(40);
    const at = order.occurred_at as Date;
    await signIn(page, "admin@contoso.example", {
      path: `${LOG}?from=${day(at)}&to=${day(at)}&action=create_order&size=100`,
    });
    const details = await expand(page, rowAt(page, at));
    await expect(details.getByTestId("line-item")).toHaveCount(order.items);
    await details.getByText("Raw JSON").click();
    await expect(details.getByLabel("Raw JSON of the record")).toContainText('"lineItems"');
    await expectNoSeriousViolations(page);
  });

  test("the activity log with a change, a failure and a record without customer expanded", async ({ page }) => {
    await signIn(page, "admin@contoso.example", { path: `${LOG}?action=update_subscription` });
    let details = await expand(page, rows(page).first());
    await expect(details.getByRole("columnheader", { name: "Old value" })).toBeVisible();
    await expectNoSeriousViolations(page);

    // A failed "add customer": no customer but the name it tried, an error code and message.
    const failed = await firstRow(
      sql`
      select r.occurred_at from activity_records r
      join activity_record_details d on d.tenant_id = r.tenant_id and d.occurred_at = r.occurred_at and d.record_id = r.id
      where r.tenant_id = ${CONTOSO_ID} and r.operation_status = 'failed' and r.customer_id is null and d.customized_data->>'errorCode' is not null
      order by r.occurred_at desc limit 1`,
      "a failed Contoso record without customer",
    );
    const at = failed.occurred_at as Date;
    await page.goto(`${LOG}?from=${day(at)}&to=${day(at)}&status=failed&size=100`);
    const row = rowAt(page, at);
    await expect(row.getByTestId("attempted-customer")).toContainText("not created");
    details = await expand(page, row);
    await expect(details).toContainText(/[A-Za-z]+: /);
    await expect(details).toContainText("Attempted customer name");
    await expectNoSeriousViolations(page);
  });

  test("the activity log when a record's details or the log itself cannot be loaded", async ({ page }) => {
    // Routed before sign-in, so the route exists before any page of the log does: in one run, a
    // route added after sign-in's redirects let the details request through to the real API.
    await page.route("**/api/activity-log/records/**", (route) =>
      route.fulfill({ status: 500, contentType: "application/json", body: '{"error":{"code":"internal"}}' }),
    );
    await signIn(page, "admin@contoso.example", { path: LOG });
    await expect(page.getByRole("heading", { level: 1, name: "Activity log" })).toBeVisible();
    const toggle = rows(page).first().getByRole("button", { name: "Show details" });
    await toggle.click();
    await expect(page.locator("tbody").getByRole("alert")).toContainText("500");
    await expectNoSeriousViolations(page);

    await sql`revoke select on activity_records from activity_app`;
    try {
      await page.goto(LOG);
      await expect(page.getByTestId("load-error")).toContainText("could not be loaded");
      await expectNoSeriousViolations(page);
    } finally {
      await sql`grant select on activity_records to activity_app`;
    }
  });

  test("log integrity", async ({ page }) => {
    await signIn(page, "admin@contoso.example", { path: "/account/log-integrity" });
    await expect(page.getByRole("heading", { level: 1, name: "Log integrity" })).toBeVisible();
    await expect(page.getByTestId("integrity-status")).toBeVisible();
    await expectNoSeriousViolations(page);
  });

  test("log streaming, with a failing destination, its change form open and a refused add", async ({ page }) => {
    await signIn(page, "admin@contoso.example", { path: "/account/log-streaming" });
    await expect(page.getByRole("heading", { level: 1, name: "Log streaming" })).toBeVisible();
    const add = page.getByRole("form", { name: "Add a destination" });
    await add.getByLabel("Name", { exact: true }).fill("Accessibility SIEM");
    await add.getByLabel("URL (webhook or Splunk HEC)").fill("http://127.0.0.1:9/nothing-listens");
    await add.getByRole("button", { name: "Add destination" }).click();
    await expect(add.getByTestId("generated-secret")).toBeVisible();
    const row = page.getByTestId("stream-destination-row").filter({ hasText: "Accessibility SIEM" });
    await row.getByRole("button", { name: "Send test event" }).click();
    await expect(page.getByRole("status").first()).toContainText("not delivered");
    await expectNoSeriousViolations(page);
    await page.getByText("Change: Accessibility SIEM").click();
    await expectNoSeriousViolations(page);
    await add.getByLabel("Name", { exact: true }).fill("Refused");
    await add.getByLabel("URL (webhook or Splunk HEC)").fill("");
    await add.getByRole("button", { name: "Add destination" }).click();
    await expect(add.getByRole("alert")).toBeVisible();
    await expectNoSeriousViolations(page);
    await row.getByRole("button", { name: "Remove Accessibility SIEM" }).click();
    await expect(row).toHaveCount(0);
  });

  test("not found: another tenant's customer and an unknown address", async ({ page }) => {
    const foreign = await firstRow(
      sql`select id from customers where tenant_id = ${FABRIKAM_ID} limit 1`,
      "a Fabrikam customer",
    );
    await signIn(page, "admin@contoso.example");
    expect((await page.goto(`/customers/${foreign.id}/subscriptions`))?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    await expectNoSeriousViolations(page);
    expect((await page.goto("/no-such-page"))?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    await expectNoSeriousViolations(page);
  });
});

test("the error page, when a page cannot render (the directory cannot be read)", async ({ page }) => {
  await signIn(page, "admin@contoso.example");
  await expect(page.getByTestId("header-tenant")).toBeVisible();
  await sql`revoke select on partner_users from activity_app`;
  try {
    await page.goto("/customers");
    await expect(page.getByTestId("error-page")).toBeVisible();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("This page could not be loaded.");
    await expectNoSeriousViolations(page);
  } finally {
    await sql`grant select on partner_users to activity_app`;
  }
  await page.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Customers" })).toBeVisible();
});

test("forbidden: a sales agent on the activity log and an admin agent on log integrity", async ({ page, browser }) => {
  await signIn(page, "sales@contoso.example");
  await expect(page.getByRole("link", { name: "Open the activity log" })).toHaveCount(0);
  await expectNoSeriousViolations(page);
  expect((await page.goto(LOG))?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1, name: "You don't have access to this page" })).toBeVisible();
  await expectNoSeriousViolations(page);

  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  await signIn(agent, "agent@contoso.example");
  expect((await agent.goto("/account/log-integrity"))?.status()).toBe(403);
  await expect(agent.getByRole("heading", { level: 1, name: "You don't have access to this page" })).toBeVisible();
  await expectNoSeriousViolations(agent);
  await agentContext.close();
});

test("in Korean, chosen with the header's switcher: sign-in, the log expanded, empty and failing, 403 and 404", async ({
  page,
  browser,
}) => {
  await page.goto("/signin");
  await page.getByRole("group", { name: "Language" }).getByRole("button", { name: "한국어" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "로그인" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "ko");
  await expectNoSeriousViolations(page);

  await signIn(page, "admin@contoso.example", { path: LOG });
  await expect(page.getByRole("heading", { level: 1, name: "활동 로그" })).toBeVisible();
  await expectNoSeriousViolations(page);

  const details = await expand(page, rows(page).first(), "세부 정보 표시");
  await expect(details).toContainText("상관 관계 ID");
  await expectNoSeriousViolations(page);

  await page.goto(`${LOG}?from=2021-01-01&to=2021-01-31`);
  await expect(page.getByTestId("empty-state")).toBeVisible();
  await expectNoSeriousViolations(page);

  await page.goto(`${LOG}?from=2026-02-30&status=bogus`);
  await expect(page.getByTestId("param-errors")).toContainText("존재하지 않는 날짜");
  await expectNoSeriousViolations(page);

  expect((await page.goto("/no-such-page"))?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "페이지를 찾을 수 없습니다" })).toBeVisible();
  await expectNoSeriousViolations(page);

  // The choice is a cookie: a sales agent's browser that chose Korean sees the 403 in Korean.
  const salesContext = await browser.newContext();
  await salesContext.addCookies((await page.context().cookies()).filter((c) => c.name === "NEXT_LOCALE"));
  const sales = await salesContext.newPage();
  await signIn(sales, "sales@contoso.example");
  expect((await sales.goto(LOG))?.status()).toBe(403);
  await expect(sales.getByRole("heading", { level: 1, name: "이 페이지에 액세스할 수 없습니다" })).toBeVisible();
  await expectNoSeriousViolations(sales);
  await salesContext.close();
});
