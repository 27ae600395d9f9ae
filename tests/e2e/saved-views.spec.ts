import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import { e2eDatabaseUrl, expectNoSeriousViolations, signIn } from "./support";

/*
 * Saved views: the current filters saved under a name (private, or shared with the tenant),
 * picked from a menu, one of them the view the log opens with; a row's action, user and status
 * filter the log; a purchase's message leads to its record. English and Korean, mouse and keyboard.
 */

const LOG = "/account/activity-log";
const rows = (page: Page) => page.getByTestId("activity-row");
const settled = async (page: Page) => {
  await expect(page.getByTestId("table-skeleton")).toHaveCount(0);
  await expect(rows(page).first()).toBeVisible();
};
const menu = (page: Page) => page.getByTestId("saved-views");
async function openMenu(page: Page) {
  if (!(await menu(page).evaluate((d) => (d as HTMLDetailsElement).open)))
    await page.getByTestId("saved-views-summary").click();
  await expect(page.getByTestId("save-view-form")).toBeVisible();
}

let sql: postgres.Sql;
test.beforeAll(() => {
  sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
});
// Other specs sign in as the same demo users: leave them no views (and so no default) behind.
test.afterAll(async () => {
  await sql`delete from saved_views where owner_key like '%@contoso.example'`;
  await sql.end();
});

test.describe("saved views, in English", () => {
  test("save the filters as the default view, open the log with it, leave it, delete it", async ({ page }) => {
    await signIn(page, "billing@contoso.example", { path: `${LOG}?status=failed&size=50` });
    await settled(page);
    await expect(page.getByTestId("saved-views-summary")).toHaveText(/Saved views \(0\)/);
    await openMenu(page);
    await expect(menu(page)).toContainText("No saved views yet");
    await expectNoSeriousViolations(page);

    const form = page.getByRole("form", { name: "Save the current filters as a view" });
    // A name is required: the server's answer, in words beside the field.
    await form.getByLabel("Name").evaluate((el) => el.removeAttribute("required"));
    await form.getByRole("button", { name: "Save view" }).click();
    await expect(form.getByRole("alert")).toHaveText("Enter a name for the view.");

    await form.getByLabel("Name").fill("Failed, 50 a page");
    await form.getByLabel("Open the log with this view").check();
    await form.getByRole("button", { name: "Save view" }).click();
    await expect(form.getByRole("status")).toHaveText("Saved the view “Failed, 50 a page”.");
    await expect(page.getByTestId("saved-views-summary")).toHaveText(/View: Failed, 50 a page/);
    const saved = page.getByTestId("saved-view").filter({ hasText: "Failed, 50 a page" });
    await expect(saved).toContainText("Default");
    await expect(saved.getByRole("link", { name: "Failed, 50 a page" })).toHaveAttribute("aria-current", "true");

    // The same name twice is refused.
    await form.getByLabel("Name").fill("Failed, 50 a page");
    await form.getByRole("button", { name: "Save view" }).click();
    await expect(form.getByRole("alert")).toHaveText("You already have a view with this name. Choose another name.");

    // The log with no parameters opens the default view.
    await page.goto(LOG);
    await expect(page).toHaveURL(/\?status=failed&size=50$/);
    await settled(page);
    await expect(page.getByTestId("chip-status")).toHaveCount(1);

    // "Without a view" shows everything, even with a default.
    await openMenu(page);
    await page.getByTestId("no-view").click();
    await expect(page).toHaveURL(/\?view=none$/);
    await settled(page);
    await expect(page.getByTestId("active-filters")).toHaveCount(0);

    // Saving was recorded in the log, with the filters.
    await page.goto(`${LOG}?action=create_saved_view&user=billing@contoso.example`);
    await settled(page);
    await expect(rows(page).first()).toContainText("Saved activity log view");

    // Deleted: gone from the menu, and the log opens unfiltered again.
    await openMenu(page);
    await page.getByRole("button", { name: "Delete the view “Failed, 50 a page”" }).click();
    await expect(page.getByTestId("saved-view")).toHaveCount(0);
    await page.goto(LOG);
    await expect(page).toHaveURL(new RegExp(`${LOG}$`));
  });

  test("a view shared with the organization is in a colleague's menu, and can be their default", async ({
    page,
    browser,
  }) => {
    await signIn(page, "agent@contoso.example", { path: `${LOG}?status=progress` });
    await settled(page);
    await openMenu(page);
    const form = page.getByRole("form", { name: "Save the current filters as a view" });
    await form.getByLabel("Name").fill("Team: in progress");
    await form.getByLabel("Share with everyone in my organization").check();
    await form.getByRole("button", { name: "Save view" }).click();
    await expect(form.getByRole("status")).toBeVisible();
    await form.getByLabel("Name").fill("Agent only");
    await form.getByLabel("Share with everyone in my organization").uncheck();
    await form.getByRole("button", { name: "Save view" }).click();
    await expect(page.getByTestId("saved-view")).toHaveCount(2);

    // A colleague (another browser: the authority remembers who signed in).
    const other = await browser.newContext();
    const colleague = await other.newPage();
    try {
      await signIn(colleague, "billing@contoso.example", { path: LOG });
      await settled(colleague);
      await openMenu(colleague);
      const shared = colleague.getByTestId("saved-view");
      await expect(shared).toHaveCount(1);
      await expect(shared).toContainText("Team: in progress");
      await expect(shared).toContainText("Shared by agent@contoso.example");
      // Not theirs to delete; theirs to use as the default.
      await expect(shared.getByRole("button", { name: /Delete/ })).toHaveCount(0);
      await shared.getByRole("button", { name: "Open the log with “Team: in progress”" }).click();
      await expect(colleague.getByTestId("saved-view")).toContainText("Default");
      await colleague.goto(LOG);
      await expect(colleague).toHaveURL(/\?status=progress$/);
      await settled(colleague);
    } finally {
      await other.close();
      await sql`delete from saved_views where owner_key = 'agent@contoso.example'`;
    }
  });

  test("a row's action, partner user and status filter the log", async ({ page }) => {
    await signIn(page, "admin@contoso.example", { path: LOG });
    await settled(page);
    const first = rows(page).first();
    const status = first.getByTestId("row-filter-status");
    await expect(status).toHaveAttribute("title", "Show only this status");
    await status.click();
    await expect(page).toHaveURL(/[?&]status=[a-z]+(&|$)/);
    await settled(page);
    await expect(page.getByTestId("chip-status")).toHaveCount(1);

    const action = rows(page).first().getByTestId("row-filter-action");
    const label = (await action.textContent())!;
    await action.click();
    await expect(page).toHaveURL(/[?&]action=[a-z_]+/);
    await settled(page);
    for (const text of await rows(page).getByTestId("row-filter-action").allTextContents()) expect(text).toBe(label);

    await page.setViewportSize({ width: 1350, height: 900 });
    const user = rows(page).first().getByTestId("row-filter-user");
    await user.click();
    await expect(page).toHaveURL(/[?&]user=[^&]+/);
    await settled(page);
    await expect(page.getByTestId("chip-user")).toHaveCount(1);
    await expectNoSeriousViolations(page);
  });

  test("a purchase's message leads to its record in the log", async ({ page }) => {
    await signIn(page, "agent@contoso.example", { path: "/customers" });
    await page.locator("main table a").first().click();
    const form = page.getByRole("form", { name: "Purchase subscription" });
    await form.getByLabel("Offer").selectOption("Power BI Pro");
    await form.getByLabel("Quantity").fill("3");
    await form.getByRole("button", { name: "Purchase" }).click();
    await expect(form.getByRole("status")).toContainText("Purchased 3 × Power BI Pro");
    const link = form.getByRole("link", { name: "See it in the activity log" });
    await expect(link).toHaveAttribute("href", /^\/account\/activity-log\/records\/\d+$/);
    await link.click();
    await expect(page).toHaveURL(/\/account\/activity-log\?.*record=\d+/);
    const details = page.getByTestId("activity-details");
    await expect(details).toContainText("Power BI Pro");
    await expect(rows(page).first()).toContainText("Purchased subscription");
  });
});

test.describe("saved views, in Korean, by keyboard alone", () => {
  test.use({ locale: "ko-KR" });

  test("save, pick and delete a view with the keyboard", async ({ page }) => {
    await signIn(page, "billing@contoso.example", { path: `${LOG}?status=succeeded` });
    await settled(page);
    const summary = page.getByTestId("saved-views-summary");
    await expect(summary).toHaveText(/저장된 보기\(0\)/);
    await summary.focus();
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("save-view-form")).toBeVisible();

    // Into the form: the name, then the two boxes, then Save.
    await page.keyboard.press("Tab");
    const name = page.getByLabel("이름", { exact: true });
    await expect(name).toBeFocused();
    await page.keyboard.type("성공한 작업");
    await page.keyboard.press("Tab");
    await expect(page.getByLabel("조직의 모든 사용자와 공유")).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(page.getByLabel("로그를 이 보기로 열기")).toBeFocused();
    await page.keyboard.press("Space");
    await page.keyboard.press("Tab");
    await expect(page.getByRole("button", { name: "보기 저장" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("status").filter({ hasText: "“성공한 작업” 보기를 저장했습니다." })).toBeVisible();
    await expect(summary).toHaveText(/보기: 성공한 작업/);
    await expect(page.getByTestId("saved-view")).toContainText("기본값");
    await expectNoSeriousViolations(page);

    // The default opens the log; the menu's "no view" link is reached and followed by keyboard.
    await page.goto(LOG);
    await expect(page).toHaveURL(/\?status=succeeded$/);
    await settled(page);
    await page.getByTestId("saved-views-summary").focus();
    await page.keyboard.press("Enter");
    const noView = page.getByRole("link", { name: "보기 없이 로그 표시" });
    await noView.focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\?view=none$/);
    await settled(page);

    // The view's link applies it; its delete button deletes it.
    await page.getByTestId("saved-views-summary").focus();
    await page.keyboard.press("Enter");
    const link = page.getByRole("link", { name: "성공한 작업" });
    await link.focus();
    await page.keyboard.press("Tab");
    await expect(page.getByRole("button", { name: "로그를 더 이상 “성공한 작업” 보기로 열지 않기" })).toBeFocused();
    await page.keyboard.press("Tab");
    const remove = page.getByRole("button", { name: "“성공한 작업” 보기 삭제" });
    await expect(remove).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("saved-view")).toHaveCount(0);
    await page.goto(LOG);
    await expect(page).toHaveURL(new RegExp(`${LOG}$`));
  });

  test("a row's status filters the log, by keyboard", async ({ page }) => {
    await signIn(page, "admin@contoso.example", { path: LOG });
    await settled(page);
    const status = rows(page).first().getByTestId("row-filter-status");
    await expect(status).toHaveAttribute("title", "이 상태만 표시");
    await status.focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/[?&]status=[a-z]+(&|$)/);
    await settled(page);
    await expect(page.getByTestId("chip-status")).toHaveCount(1);
  });
});
