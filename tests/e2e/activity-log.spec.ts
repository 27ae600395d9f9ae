import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import {
  CONTOSO_ID,
  dayAsShown,
  defaultUtcRange,
  e2eDatabaseUrl,
  FABRIKAM_ID,
  firstRow,
  required,
  signIn,
} from "./support";

let sql: postgres.Sql;
test.beforeAll(() => {
  sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
});
test.afterAll(async () => {
  await sql.end();
});

const rows = (page: Page) => page.getByTestId("activity-row");

async function openActivityLog(page: Page, email = "admin@contoso.example") {
  await signIn(page, email);
  await page.getByRole("button", { name: "Account settings" }).click();
  await page.getByRole("list", { name: "Account settings" }).getByRole("link", { name: "Activity log" }).click();
  await expect(page).toHaveURL(/\/account\/activity-log$/);
  await expect(rows(page).first()).toBeVisible();
}

test("a new user opens the log from Account settings and sees the most recent month", async ({ page }) => {
  await openActivityLog(page);
  const { from, to } = defaultUtcRange();
  await expect(page.getByLabel("From", { exact: true })).toHaveValue(dayAsShown(from, "en"));
  await expect(page.getByLabel("To", { exact: true })).toHaveValue(dayAsShown(to, "en"));
  await expect(page.getByTestId("time-zone")).toContainText("UTC");
  await expect(page.getByRole("columnheader", { name: "Date-Time (UTC)" })).toBeVisible();
  for (const name of ["Affected customer", "Action", "Partner user", "Status"]) {
    await expect(page.getByRole("columnheader", { name })).toBeVisible();
  }
  await expect(rows(page)).toHaveCount(25);
  const times = await page
    .locator("[data-testid=activity-row] time")
    .evaluateAll((els) => els.map((e) => e.getAttribute("datetime")!));
  for (const t of times) {
    expect(t.slice(0, 10) >= from && t.slice(0, 10) <= to).toBe(true);
  }
  // Newest first.
  expect([...times].sort().reverse()).toEqual(times);
  await expect(page.getByTestId("result-count")).toContainText(/records between/);
});

test("the total is exact up to 10,000 and reads 10,000+ beyond", async ({ page }) => {
  // Ranges that end yesterday: other tests add records today, and this one compares numbers.
  const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
  const [from, to] = [day(200), day(1)];
  const inRange = async (status: string | null) => {
    const [{ n }] = await sql<[{ n: number }]>`
      select count(*)::int as n from activity_records
      where tenant_id = ${CONTOSO_ID} and occurred_at >= ${from + "T00:00:00Z"}::timestamptz and occurred_at < ${day(0) + "T00:00:00Z"}::timestamptz
        and (${status}::text is null or operation_status = ${status})
        and operation_type not in ('view_activity_log', 'export_activity_log')`;
    return n;
  };
  const [all, failed] = [await inRange(null), await inRange("failed")];
  expect(all, "the demo seed gives Contoso more than 10,000 records in 200 days").toBeGreaterThan(10_000);
  expect(failed).toBeGreaterThan(0);
  expect(failed).toBeLessThanOrEqual(10_000);

  await signIn(page, "admin@contoso.example", { path: `/account/activity-log?from=${from}&to=${to}` });
  await expect(page.getByTestId("result-count")).toContainText(`10,000+ records between`);
  await page.goto(`/account/activity-log?from=${from}&to=${to}&status=failed`);
  await expect(page.getByTestId("result-count")).toContainText(`${failed.toLocaleString("en-US")} records between`);
  await expect(page.getByTestId("result-count")).not.toContainText("+");
});

test("the log's own views are left out until Include log access is on, and a view is recorded once", async ({
  page,
}) => {
  // A range of its own that ends before today, so its total stays put while other tests write.
  const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
  const [from, to] = [day(23), day(2)];
  const [{ n: customers }] = await sql<[{ n: number }]>`
    select count(*)::int as n from activity_records
    where tenant_id = ${CONTOSO_ID} and cloud = 'commercial'
      and occurred_at >= ${from + "T00:00:00Z"}::timestamptz and occurred_at < ${day(1) + "T00:00:00Z"}::timestamptz
      and operation_type not in ('view_activity_log', 'export_activity_log')`;
  const viewsOfRange = async () =>
    sql<{ data: { rowCount: number; rowCountIsLowerBound?: boolean } }[]>`
      select d.customized_data as data from activity_records r
      join activity_record_details d on d.tenant_id = r.tenant_id and d.occurred_at = r.occurred_at and d.record_id = r.id
      where r.tenant_id = ${CONTOSO_ID} and r.operation_type = 'view_activity_log'
        and r.user_principal_name = 'billing@contoso.example' and r.occurred_at > now() - interval '10 minutes'
        and d.customized_data->'range'->>'from' = ${from} and d.customized_data->'range'->>'to' = ${to}
        and d.customized_data->'filters'->>'includeLogAccess' = 'false'`;

  await signIn(page, "billing@contoso.example", { path: `/account/activity-log?from=${from}&to=${to}` });
  await expect(rows(page).first()).toBeVisible();
  // Reloads and coming back are the same view: one record, holding the records that matched.
  await page.reload();
  await expect(rows(page).first()).toBeVisible();
  await page.goto("/account/activity-log");
  await expect(rows(page).first()).toBeVisible();
  await page.goto(`/account/activity-log?from=${from}&to=${to}`);
  await expect(rows(page).first()).toBeVisible();
  const views = await viewsOfRange();
  expect(views).toHaveLength(1);
  const view = required(views[0], "the record of viewing that range");
  expect(view.data.rowCount).toBe(Math.min(customers, 10_000));
  expect(view.data.rowCountIsLowerBound ?? false).toBe(customers > 10_000);

  // Today's first screen is about customers: none of the reader's own views on it.
  await page.goto("/account/activity-log");
  await expect(rows(page).first()).toBeVisible();
  await expect(rows(page).filter({ hasText: /Viewed activity log|Exported activity log/ })).toHaveCount(0);
  const box = page.getByRole("checkbox", { name: "Include log access" });
  await expect(box).not.toBeChecked();
  await expect(page.getByRole("link", { name: /Export log/ })).not.toHaveAttribute("href", /access=/);

  await box.check();
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/[?&]access=include(&|$)/);
  await expect(page.getByRole("checkbox", { name: "Include log access" })).toBeChecked();
  await expect(rows(page).filter({ hasText: "Viewed activity log" }).first()).toBeVisible();
  // The export follows the page's params.
  await expect(page.getByRole("link", { name: /Export log/ })).toHaveAttribute("href", /[?&]access=include(&|$)/);

  // Choosing the action asks for those records, with the switch off.
  await page.goto("/account/activity-log?action=view_activity_log");
  await expect(page.getByRole("checkbox", { name: "Include log access" })).not.toBeChecked();
  await expect(rows(page).filter({ hasText: "billing@contoso.example" }).first()).toContainText("Viewed activity log");
});

test("changing the range keeps it in the URL and shows only that range", async ({ page }) => {
  await openActivityLog(page);
  const day = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel("From", { exact: true }).fill(day);
  await page.getByLabel("To", { exact: true }).fill(day);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(new RegExp(`from=${day}&to=${day}`));
  await expect(page.getByTestId("table-skeleton")).toHaveCount(0);
  await expect(rows(page).first()).toBeVisible();
  const days = await page
    .locator("[data-testid=activity-row] time")
    .evaluateAll((els) => els.map((e) => e.getAttribute("datetime")!.slice(0, 10)));
  expect(new Set(days)).toEqual(new Set([day]));
  // A preset brings back a rolling range.
  await page.getByRole("link", { name: "Last 7 days" }).click();
  await expect(page).toHaveURL(/\?from=\d{4}-\d{2}-\d{2}$/);
  await expect(page.locator('a[aria-current="true"]', { hasText: "Last 7 days" })).toHaveCount(1);
});

test("expanding a 40-line-item order shows every line item", async ({ page }) => {
  const order = await firstRow(
    sql`
    select r.id, r.occurred_at, r.customer_name from activity_records r
    join activity_record_details d on d.tenant_id = r.tenant_id and d.occurred_at = r.occurred_at and d.record_id = r.id
    where r.tenant_id = ${CONTOSO_ID} and r.operation_type = 'create_order'
      and jsonb_array_length(d.resource_new_value->'lineItems') = 40
    order by r.occurred_at desc limit 1`,
    "a Contoso order of 40 line items",
  );
  expect(order, "the demo seed holds a 40-line-item order").toBeTruthy();
  const day = (order.occurred_at as Date).toISOString().slice(0, 10);
  await signIn(page, "admin@contoso.example", {
    path: `/account/activity-log?from=${day}&to=${day}&action=create_order&size=100`,
  });
  const row = rows(page).filter({ has: page.locator(`time[datetime="${(order.occurred_at as Date).toISOString()}"]`) });
  await expect(row).toHaveCount(1);
  const toggle = row.getByRole("button", { name: "Show details" });
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  // From the keyboard, as a screen-reader user would.
  await toggle.focus();
  await page.keyboard.press("Enter");
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  const details = page.getByTestId("activity-details");
  await expect(details.getByTestId("line-item")).toHaveCount(40);
  await expect(details.getByRole("heading", { name: /Order line items \(40\)/ })).toBeVisible();
  await expect(details).toContainText("Correlation ID");
  await expect(details).toContainText("Partner Center");
  await details.getByText("Raw JSON").click();
  await expect(details.getByLabel("Raw JSON of the record")).toContainText('"lineItems"');

  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
});

test("a subscription change shows old and new values field by field", async ({ page }) => {
  await signIn(page, "admin@contoso.example", { path: "/account/activity-log?action=update_subscription" });
  await rows(page).first().getByRole("button", { name: "Show details" }).click();
  const details = page.getByTestId("activity-details");
  await expect(details.getByRole("columnheader", { name: "Old value" })).toBeVisible();
  // Only what changed by default; every field, labelled, on request.
  await expect(details.getByTestId("change-row").first()).toBeVisible();
  await details.getByRole("button", { name: "All fields" }).click();
  await expect(details.getByRole("rowheader", { name: "Quantity" })).toBeVisible();
});

test("a customer link leads to that customer's subscriptions", async ({ page }) => {
  await openActivityLog(page);
  const link = rows(page).locator("a[href^='/customers/']").first();
  const name = (await link.textContent())!;
  await link.click();
  await expect(page).toHaveURL(/\/customers\/[0-9a-f-]{36}\/subscriptions$/);
  await expect(page.getByTestId("customer-name")).toHaveText(name);
  await expect(page.getByTestId("subscription-row").first()).toBeVisible();
});

test("filters by status and by customer combine", async ({ page }) => {
  await openActivityLog(page);
  // A tick applies at once.
  await page.getByTestId("filter-status-list").locator("summary").click();
  await page.getByRole("checkbox", { name: "Failed", exact: true }).check();
  await expect(page).toHaveURL(/status=failed/);
  await expect(page.getByTestId("table-skeleton")).toHaveCount(0);
  await expect(rows(page).first()).toBeVisible();
  for (const status of await rows(page).locator("td:last-child").allTextContents()) expect(status).toBe("Failed");

  const customer = await firstRow(
    sql`select company_name from customers where tenant_id = ${CONTOSO_ID} and company_name ~ '[가-힣]' order by company_name limit 1`,
    "a Contoso customer with a Korean name",
  );
  // The list is open again after the tick applied, the box focused.
  await expect(page.getByRole("checkbox", { name: "Failed", exact: true })).toBeFocused();
  await page.getByRole("checkbox", { name: "Failed", exact: true }).uncheck();
  await expect(page).not.toHaveURL(/status=failed/);
  await page.getByLabel("Customer", { exact: true }).fill(customer.company_name);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/customer=/);
  await expect(page.getByTestId("table-skeleton")).toHaveCount(0);
  await expect(rows(page).first()).toBeVisible();
  for (const name of await rows(page).locator("td:nth-child(3)").allTextContents())
    expect(name).toBe(customer.company_name);
});

test("pages forward and back by cursor", async ({ page }) => {
  await openActivityLog(page);
  const firstPage = await page
    .locator("[data-testid=activity-row] time")
    .evaluateAll((els) => els.map((e) => e.getAttribute("datetime")));
  await page.getByRole("link", { name: "Older →" }).click();
  await expect(page).toHaveURL(/cursor=/);
  await expect(rows(page).first().locator("time")).not.toHaveAttribute("datetime", firstPage[0]!);
  const secondPage = await page
    .locator("[data-testid=activity-row] time")
    .evaluateAll((els) => els.map((e) => e.getAttribute("datetime")));
  expect(secondPage).toHaveLength(25);
  expect(secondPage[0]! <= firstPage[firstPage.length - 1]!).toBe(true);
  await page.getByRole("link", { name: "← Newer" }).click();
  await expect(rows(page).first().locator("time")).toHaveAttribute("datetime", firstPage[0]!);
  const back = await page
    .locator("[data-testid=activity-row] time")
    .evaluateAll((els) => els.map((e) => e.getAttribute("datetime")));
  expect(back).toEqual(firstPage);
});

test("bad URL parameters show a message and a usable form", async ({ page }) => {
  await signIn(page, "admin@contoso.example", {
    path: "/account/activity-log?from=2026-02-30&status=bogus&size=1000000000&cursor=%%%",
  });
  const alert = page.getByTestId("param-errors");
  await expect(alert).toContainText('"From" is not a real date');
  await expect(alert).toContainText('"Status"');
  await expect(alert).toContainText('"Page size"');
  await expect(alert).toContainText("page position");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("param-errors")).toHaveCount(0);
  await expect(rows(page).first()).toBeVisible();

  await page.goto("/account/activity-log?from=2026-06-01&to=2026-05-01");
  await expect(page.getByTestId("param-errors")).toContainText('"From" must be on or before "To"');
  await page.goto("/account/activity-log?from=2024-01-01&to=2026-01-01");
  await expect(page.getByTestId("param-errors")).toContainText(/year|366/);
});

test("an empty range says so and offers nothing to export", async ({ page }) => {
  await signIn(page, "admin@contoso.example", { path: "/account/activity-log?from=2021-01-01&to=2021-01-31" });
  // The period's days read as dates in the reader's locale (the URL keeps YYYY-MM-DD).
  await expect(page.getByTestId("empty-state")).toHaveText("No activity between Jan 1, 2021 and Jan 31, 2021.");
  await expect(page.getByTestId("export-empty")).toBeVisible();
  await expect(page.getByRole("link", { name: /Export log/ })).toHaveCount(0);
});

test("a database failure shows an error, never an empty log", async ({ page }) => {
  await signIn(page, "admin@contoso.example");
  await sql`revoke select on activity_records from activity_app`;
  try {
    await page.goto("/account/activity-log");
    await expect(page.getByTestId("load-error")).toContainText("The activity log could not be loaded.");
    await expect(page.getByTestId("empty-state")).toHaveCount(0);
  } finally {
    await sql`grant select on activity_records to activity_app`;
  }
  await page.reload();
  await expect(rows(page).first()).toBeVisible();
});

test("a sales agent is told they lack access", async ({ page }) => {
  await signIn(page, "sales@contoso.example");
  // Customers is the portal's own page, in the header's navigation; the log is not offered.
  await expect(page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Customers" })).toBeVisible();
  await page.getByRole("button", { name: "Account settings" }).click();
  const menu = page.getByRole("list", { name: "Account settings" });
  await expect(menu.getByRole("link", { name: "Sessions" })).toBeVisible();
  await expect(menu.getByRole("link", { name: "Activity log" })).toHaveCount(0);
  const response = await page.goto("/account/activity-log");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
});

test("another tenant's customer is not found", async ({ page }) => {
  const foreign = await firstRow(
    sql`select id from customers where tenant_id = ${FABRIKAM_ID} limit 1`,
    "a Fabrikam customer",
  );
  await signIn(page, "admin@contoso.example");
  const response = await page.goto(`/customers/${foreign.id}/subscriptions`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("names holding markup are shown as text", async ({ page }) => {
  const customer = await firstRow(
    sql`select company_name from customers where tenant_id = ${CONTOSO_ID} and company_name like '%<b>%'`,
    "a Contoso customer with markup in its name",
  );
  test
    .info()
    .annotations.push({ type: "fixture", description: customer ? customer.company_name : "none seeded for Contoso" });
  await signIn(page, "admin@contoso.example", { path: "/customers" });
  const markup =
    await sql`select company_name from customers where tenant_id = ${CONTOSO_ID} and company_name ~ '[<>]'`;
  for (const { company_name } of markup)
    await expect(page.getByRole("link", { name: company_name, exact: true })).toBeVisible();
  await expect(page.locator("main b")).toHaveCount(0);
});
