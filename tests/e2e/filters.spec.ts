import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import { CONTOSO_ID, e2eDatabaseUrl, expectNoSeriousViolations, signIn } from "./support";

/*
 * Filters that combine: several statuses, actions and partner users at once, actions excluded, a
 * customer typeahead, a tick that applies at once (and the plain form without JavaScript), an
 * address with only the fields that are set, in English and Korean, by mouse and by keyboard.
 */

const LOG = "/account/activity-log";
const rows = (page: Page) => page.getByTestId("activity-row");
const statusCells = (page: Page) => rows(page).locator("td:last-child").allTextContents();
const settled = async (page: Page) => {
  await expect(page.getByTestId("table-skeleton")).toHaveCount(0);
  await expect(rows(page).first()).toBeVisible();
};

let sql: postgres.Sql;
test.beforeAll(() => {
  sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
});
test.afterAll(async () => {
  await sql.end();
});

/** The list behind a filter's summary, opened. */
async function openList(page: Page, id: string) {
  const list = page.getByTestId(`${id}-list`);
  if (!(await list.evaluate((d) => (d as HTMLDetailsElement).open))) await list.locator("summary").click();
  await expect(list.locator("fieldset")).toBeVisible();
  return list;
}

test.describe("multi-select filters, in English", () => {
  test("two statuses at once, each removable; a tick applies without a separate click", async ({ page }) => {
    await signIn(page, "admin@contoso.example", { path: LOG });
    await settled(page);

    let list = await openList(page, "filter-status");
    await list.getByLabel("Failed", { exact: true }).check();
    await expect(page).toHaveURL(/[?&]status=failed(&|$)/);
    await settled(page);
    // The list is open again with the box that was ticked focused: the next tick is one step away.
    list = page.getByTestId("filter-status-list");
    await expect(list.getByLabel("Failed", { exact: true })).toBeFocused();
    await expect(list.getByLabel("Failed", { exact: true })).toBeChecked();
    await list.getByLabel("In progress", { exact: true }).check();
    await expect(page).toHaveURL(/status=failed&status=progress/);
    await settled(page);
    expect(new URL(page.url()).search).not.toMatch(/=(&|$)/);
    for (const status of await statusCells(page)) expect(["Failed", "In progress"]).toContain(status);
    await expect(page.getByTestId("filter-status-summary")).toHaveText("Failed or In progress");
    await expect(page.getByTestId("chip-status")).toHaveCount(2);
    await expectNoSeriousViolations(page);

    // Removing one status keeps the other.
    await page.getByRole("link", { name: "Remove filter: Status: Failed" }).click();
    await expect(page).toHaveURL(/[?&]status=progress$/);
    await settled(page);
    for (const status of await statusCells(page)) expect(status).toBe("In progress");
  });

  test("actions chosen, then excluded; partner users several at once", async ({ page }) => {
    await signIn(page, "admin@contoso.example", { path: `${LOG}?action=create_order&action=add_customer` });
    await settled(page);
    const actionCells = () => rows(page).locator("td:nth-child(4)").allTextContents();
    const chosen = new Set(await actionCells());
    expect(chosen.size).toBeGreaterThan(0);
    expect(chosen.size).toBeLessThanOrEqual(2);
    await expect(page.getByTestId("chip-action")).toHaveCount(2);

    // Exclude the same two: none of them is listed any more.
    const list = await openList(page, "filter-action");
    await list.getByLabel("Exclude these actions").check();
    await expect(page).toHaveURL(/actionMode=exclude/);
    await settled(page);
    for (const action of await actionCells()) expect(chosen.has(action), action).toBe(false);
    await expect(page.getByTestId("filter-action-summary")).toContainText("All except");
    await expect(page.getByTestId("chip-action").first()).toContainText("Action is not:");

    // Two partner users: every row is one of theirs.
    const users = await sql<{ upn: string }[]>`
      select user_principal_name as upn from partner_users where tenant_id = ${CONTOSO_ID}
      order by display_name limit 2`;
    await page.goto(`${LOG}?${users.map((u) => `user=${encodeURIComponent(u.upn)}`).join("&")}`);
    await settled(page);
    const userCells = await rows(page).locator("td:nth-child(5)").allTextContents();
    for (const cell of userCells)
      expect(
        users.some((u) => cell.toLowerCase().includes(u.upn.toLowerCase())),
        cell,
      ).toBe(true);
    const userList = await openList(page, "filter-partner-user");
    await expect(userList.getByRole("checkbox", { checked: true })).toHaveCount(2);
    await expectNoSeriousViolations(page);
  });

  test("the customer field suggests the tenant's customers", async ({ page }) => {
    await signIn(page, "admin@contoso.example", { path: LOG });
    const [customer] = await sql<[{ name: string }]>`
      select company_name as name from customers where tenant_id = ${CONTOSO_ID} order by company_name limit 1`;
    const field = page.getByLabel("Customer", { exact: true });
    await expect(field).toHaveAttribute("list", "filter-customer-options");
    await expect(page.locator(`#filter-customer-options option[value="${customer.name}"]`)).toHaveCount(1);
    await field.fill(customer.name);
    await field.press("Enter");
    await expect(page).toHaveURL(/[?&]customer=/);
    await settled(page);
  });

  test("keyboard only: open a list, tick, tick again, close with Escape", async ({ page }) => {
    await signIn(page, "admin@contoso.example", { path: LOG });
    await settled(page);
    const summary = page.getByTestId("filter-status-list").locator("summary");
    await summary.focus();
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    await expect(page.getByLabel("Succeeded", { exact: true })).toBeFocused();
    await page.keyboard.press("Space");
    await expect(page).toHaveURL(/[?&]status=succeeded(&|$)/);
    await expect(page.getByLabel("Succeeded", { exact: true })).toBeFocused();
    await page.keyboard.press("Tab");
    await page.keyboard.press("Space");
    await expect(page).toHaveURL(/status=succeeded&status=failed/);
    await expect(page.getByLabel("Failed", { exact: true })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(summary).toBeFocused();
    await expect(page.getByTestId("filter-status-list").locator("fieldset")).toBeHidden();
  });
});

test.describe("multi-select filters, in Korean", () => {
  test.use({ locale: "ko-KR" });

  test("상태 두 개를 함께 고르고 작업을 제외한다", async ({ page }) => {
    await signIn(page, "admin@contoso.example", { path: LOG });
    await settled(page);
    let list = await openList(page, "filter-status");
    await list.getByLabel("실패", { exact: true }).check();
    await expect(page).toHaveURL(/[?&]status=failed(&|$)/);
    await settled(page);
    list = page.getByTestId("filter-status-list");
    await list.getByLabel("진행 중", { exact: true }).check();
    await expect(page).toHaveURL(/status=failed&status=progress/);
    await settled(page);
    for (const status of await statusCells(page)) expect(["실패", "진행 중"]).toContain(status);
    await expect(page.getByTestId("filter-status-summary")).toHaveText("실패 또는 진행 중");
    await expect(page.getByRole("link", { name: "필터 제거: 상태: 실패" })).toBeVisible();

    await page.goto(`${LOG}?action=create_order&actionMode=exclude`);
    await settled(page);
    await expect(page.getByTestId("filter-action-summary")).toContainText("제외 전체");
    await expect(page.getByTestId("chip-action")).toContainText("제외한 작업:");
    await expectNoSeriousViolations(page);
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("Apply sends the ticked boxes, and the address keeps only what is set", async ({ page }) => {
    await signIn(page, "admin@contoso.example", { path: LOG });
    await expect(rows(page).first()).toBeVisible();
    await page.getByTestId("filter-status-list").locator("summary").click();
    await page.getByLabel("Failed", { exact: true }).check();
    await page.getByLabel("In progress", { exact: true }).check();
    // Nothing happens until Apply.
    await expect(page).toHaveURL(/\/account\/activity-log$/);
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/status=failed&status=progress/);
    const search = new URL(page.url()).searchParams;
    for (const [name, value] of search) expect(value, name).not.toBe("");
    expect(search.has("customer")).toBe(false);
    expect(search.has("q")).toBe(false);
    for (const status of await statusCells(page)) expect(["Failed", "In progress"]).toContain(status);
  });
});
