import { expect, type Page } from "@playwright/test";
import { CONTOSO_ID, dayAsShown, expectNoSeriousViolations, test } from "./support";

/*
 * Filters that combine: several statuses, actions and partner users at once, actions excluded, a
 * customer typeahead, a tick that applies at once (and the plain form without JavaScript), an
 * address with only the fields that are set, in English and Korean, by mouse and by keyboard.
 */

// Every test here reads the log as the tenant's admin.
test.use({ account: "admin@contoso.example" });

const LOG = "/account/activity-log";
const rows = (page: Page) => page.getByTestId("activity-row");
// A status cell may add a later outcome after the status ("In progress" then "Later failed …").
const statusCells = async (page: Page) =>
  (await rows(page).locator("td:last-child").allTextContents()).map((cell) =>
    ["Succeeded", "Failed", "In progress", "Declined", "성공", "실패", "진행 중", "거부됨"].find((s) =>
      cell.startsWith(s),
    ),
  );
const settled = async (page: Page) => {
  await expect(page.getByTestId("table-skeleton")).toHaveCount(0);
  await expect(rows(page).first()).toBeVisible();
};

/** The list behind a filter's summary, opened. */
async function openList(page: Page, id: string) {
  const list = page.getByTestId(`${id}-list`);
  if (!(await list.evaluate((d) => (d as HTMLDetailsElement).open))) await list.locator("summary").click();
  await expect(list.locator("fieldset")).toBeVisible();
  return list;
}

test.describe("multi-select filters, in English", () => {
  test("two statuses at once, each removable; a tick applies without a separate click", async ({ page }) => {
    await page.goto(LOG);
    await settled(page);

    let list = await openList(page, "filter-status");
    await list.getByRole("checkbox", { name: "Failed", exact: true }).check();
    await expect(page).toHaveURL(/[?&]status=failed(&|$)/);
    await settled(page);
    // The list is open again with the box that was ticked focused: the next tick is one step away.
    list = page.getByTestId("filter-status-list");
    await expect(list.getByRole("checkbox", { name: "Failed", exact: true })).toBeFocused();
    await expect(list.getByRole("checkbox", { name: "Failed", exact: true })).toBeChecked();
    await list.getByRole("checkbox", { name: "In progress", exact: true }).check();
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

  test("actions chosen, then excluded; partner users several at once", async ({ page, sql }) => {
    await page.goto(`${LOG}?action=create_order&action=add_customer`);
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

  test("the customer field suggests the tenant's customers", async ({ page, sql }) => {
    await page.goto(LOG);
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
    await page.goto(LOG);
    await settled(page);
    const summary = page.getByTestId("filter-status-list").locator("summary");
    await summary.focus();
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    await expect(page.getByRole("checkbox", { name: "Succeeded", exact: true })).toBeFocused();
    await page.keyboard.press("Space");
    await expect(page).toHaveURL(/[?&]status=succeeded(&|$)/);
    await expect(page.getByRole("checkbox", { name: "Succeeded", exact: true })).toBeFocused();
    await page.keyboard.press("Tab");
    await page.keyboard.press("Space");
    await expect(page).toHaveURL(/status=succeeded&status=failed/);
    await expect(page.getByRole("checkbox", { name: "Failed", exact: true })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(summary).toBeFocused();
    await expect(page.getByTestId("filter-status-list").locator("fieldset")).toBeHidden();
  });
});

test.describe("multi-select filters, in Korean", () => {
  test.use({ locale: "ko-KR" });

  test("상태 두 개를 함께 고르고 작업을 제외한다", async ({ page }) => {
    await page.goto(LOG);
    await settled(page);
    let list = await openList(page, "filter-status");
    await list.getByRole("checkbox", { name: "실패", exact: true }).check();
    await expect(page).toHaveURL(/[?&]status=failed(&|$)/);
    await settled(page);
    list = page.getByTestId("filter-status-list");
    await list.getByRole("checkbox", { name: "진행 중", exact: true }).check();
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
    // Without JavaScript the streamed results stay hidden: this is about the form and the address.
    await page.goto(LOG);
    await expect(page.getByTestId("filters-form")).toBeVisible();
    await page.getByTestId("filter-status-list").locator("summary").click();
    await page.getByRole("checkbox", { name: "Failed", exact: true }).check();
    await page.getByRole("checkbox", { name: "In progress", exact: true }).check();
    // Nothing happens until Apply.
    await expect(page).toHaveURL(/\/account\/activity-log$/);
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/status=failed&status=progress/);
    const search = new URL(page.url()).searchParams;
    for (const [name, value] of search) expect(value, name).not.toBe("");
    expect(search.has("customer")).toBe(false);
    expect(search.has("q")).toBe(false);
    await expect(page.getByTestId("filter-status-summary")).toHaveText("Failed or In progress");
  });
});

test.describe("finer time", () => {
  const today = () => new Date().toISOString().slice(0, 10);
  const daysBack = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

  test("Today, Last 7 days (seven days), Last 24 hours and a time of day", async ({ page }) => {
    await page.goto(LOG);
    await settled(page);
    await page.getByRole("link", { name: "Today", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`from=${today()}(&|$)`));
    await expect(page.getByRole("link", { name: "Today", exact: true })).toHaveAttribute("aria-current", "true");

    await page.getByRole("link", { name: "Last 7 days" }).click();
    await expect(page).toHaveURL(new RegExp(`from=${daysBack(6)}$`));
    await expect(page.getByLabel("From", { exact: true })).toHaveValue(dayAsShown(daysBack(6), "en"));

    await page.getByRole("link", { name: "Last 24 hours" }).click();
    await expect(page).toHaveURL(/fromTime=\d{2}%3A\d{2}/);
    await expect(page.getByLabel("From time (optional)")).not.toHaveValue("");
    await settled(page);
    const since = Date.now() - 24 * 3_600_000 - 60_000;
    for (const iso of await rows(page)
      .locator("time")
      .evaluateAll((els) => els.map((e) => e.getAttribute("datetime")!)))
      expect(Date.parse(iso)).toBeGreaterThanOrEqual(since);

    // A period on one day between two times of day.
    const day = daysBack(3);
    await page.getByLabel("From", { exact: true }).fill(day);
    await page.getByLabel("From time (optional)").fill("09:00");
    await page.getByLabel("To", { exact: true }).fill(day);
    await page.getByLabel("To time (optional)").fill("17:30");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/fromTime=09%3A00/);
    await expect(page).toHaveURL(/toTime=17%3A30/);
    // The new view replaces the old one when it arrives: every row within the two times.
    await expect
      .poll(async () => {
        const times = await rows(page)
          .locator("time")
          .evaluateAll((els) => els.map((e) => e.getAttribute("datetime")!));
        const empty = (await page.getByTestId("empty-state").count()) > 0;
        return (times.length > 0 || empty) && times.every((iso) => iso >= `${day}T09:00` && iso < `${day}T17:31`);
      })
      .toBe(true);
    await expectNoSeriousViolations(page);
  });

  test("any IANA zone from the picker, kept by Reset", async ({ page }) => {
    await page.goto(`${LOG}?status=failed`);
    await settled(page);
    await page.getByLabel("Time zone", { exact: true }).selectOption("America/Sao_Paulo");
    await expect(page).toHaveURL(/tz=America%2FSao_Paulo/);
    await expect(page).toHaveURL(/status=failed/);
    await expect(page.getByTestId("time-zone")).toContainText("America/Sao_Paulo");
    await expect(page.getByLabel("Time zone", { exact: true })).toHaveValue("America/Sao_Paulo");
    await page.getByTestId("reset-filters").click();
    await expect(page).toHaveURL(/\?tz=America%2FSao_Paulo$/);
    await expect(page.getByTestId("time-zone")).toContainText("America/Sao_Paulo");
    await page.getByRole("link", { name: "Show in UTC" }).click();
    await expect(page).toHaveURL(/\/account\/activity-log$/);
    await expectNoSeriousViolations(page);
  });

  test.describe("in Korean", () => {
    test.use({ locale: "ko-KR" });
    test("오늘·최근 24시간 프리셋과 시간대 선택", async ({ page }) => {
      await page.goto(LOG);
      await settled(page);
      await page.getByRole("link", { name: "최근 7일" }).click();
      await expect(page).toHaveURL(new RegExp(`from=${daysBack(6)}$`));
      await expect(page.getByRole("link", { name: "오늘", exact: true })).toBeVisible();
      await page.getByRole("link", { name: "최근 24시간" }).click();
      await expect(page).toHaveURL(/fromTime=/);
      await page.getByLabel("시간대", { exact: true }).selectOption("Asia/Seoul");
      await expect(page).toHaveURL(/tz=Asia%2FSeoul/);
      await expect(page.getByTestId("time-zone")).toContainText("Asia/Seoul");
      await expectNoSeriousViolations(page);
    });
  });
});
