import { expect, test, type Page } from "@playwright/test";
import { defaultUtcRange, expectNoSeriousViolations, signIn } from "./support";

/*
 * Errors that keep the reader's work: a bad parameter leaves every valid one applied, From after
 * To is stopped before the form is sent, an empty result says why (an empty period, or filters
 * that matched nothing, with "Clear filters"), and on a phone the filters fold behind one button.
 */

const LOG = "/account/activity-log";
const rows = (page: Page) => page.getByTestId("activity-row");
const daysBack = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

test.describe("in English", () => {
  test("a bad parameter is named and left out; the others stay applied", async ({ page }) => {
    await signIn(page, "admin@contoso.example", { path: `${LOG}?status=failed&size=7&customer=a` });
    const alert = page.getByTestId("param-errors");
    await expect(alert).toContainText('"Page size" must be 25, 50, or 100.');
    await expect(alert).toContainText("Every other filter is still applied.");
    await expect(page.getByLabel("Customer", { exact: true })).toHaveValue("a");
    await expect(page.getByTestId("filter-status-summary")).toHaveText("Failed");
    await expect(rows(page).first()).toBeVisible();
    for (const status of await rows(page).locator("td:last-child").allTextContents()) expect(status).toBe("Failed");
    await expectNoSeriousViolations(page);
  });

  test("From after To is stopped before the form is sent, with a message naming both", async ({ page }) => {
    await signIn(page, "admin@contoso.example", { path: LOG });
    await expect(rows(page).first()).toBeVisible();
    const before = page.url();
    const to = page.getByLabel("To", { exact: true });
    // Each day's calendar is bounded by the other day, and follows it as it changes.
    await expect(page.getByTestId("filter-from-picker")).toHaveAttribute("max", defaultUtcRange().to);
    await to.fill(daysBack(10));
    await to.blur();
    await expect(page.getByTestId("filter-from-picker")).toHaveAttribute("max", daysBack(10));
    await page.getByLabel("From", { exact: true }).fill(daysBack(5));
    await expect(page.getByTestId("date-range-error")).toHaveText('"From" must be on or before "To".');
    await expect(page.getByLabel("From", { exact: true })).toHaveAttribute("aria-invalid", "true");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page.getByTestId("date-range-error")).toBeVisible();
    expect(page.url()).toBe(before);
    // Put right, it goes.
    await page.getByLabel("From", { exact: true }).fill(daysBack(12));
    await expect(page.getByTestId("date-range-error")).toHaveText("");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(new RegExp(`from=${daysBack(12)}&to=${daysBack(10)}`));
  });

  test("an empty result says whether the period is empty or the filters matched nothing", async ({ page }) => {
    await signIn(page, "admin@contoso.example", { path: `${LOG}?customer=no-such-customer-anywhere` });
    const empty = page.getByTestId("empty-state");
    await expect(empty).toContainText("none matches these filters");
    await expectNoSeriousViolations(page);
    await empty.getByRole("link", { name: "Clear filters" }).click();
    await expect(page).toHaveURL(/\/account\/activity-log$/);
    await expect(rows(page).first()).toBeVisible();

    await page.goto(`${LOG}?from=2021-01-01&to=2021-01-31&status=failed`);
    await expect(page.getByTestId("empty-state")).toHaveText("No activity between Jan 1, 2021 and Jan 31, 2021.");
    await expect(page.getByTestId("clear-filters")).toHaveCount(0);
  });
});

test.describe("in Korean", () => {
  test.use({ locale: "ko-KR" });

  test("잘못된 값은 빠지고 나머지 필터는 유지되며, 빈 결과는 이유를 알려 준다", async ({ page }) => {
    await signIn(page, "admin@contoso.example", { path: `${LOG}?status=failed&size=7` });
    const alert = page.getByTestId("param-errors");
    await expect(alert).toContainText("‘페이지 크기’: 25, 50 또는 100 중 하나여야 합니다.");
    await expect(alert).toContainText("나머지 필터는 그대로 적용됩니다.");
    await expect(page.getByTestId("filter-status-summary")).toHaveText("실패");

    await page.goto(`${LOG}?customer=no-such-customer-anywhere`);
    await expect(page.getByTestId("empty-state")).toContainText("이 필터에 맞는 기록이 없습니다");
    await expect(page.getByRole("link", { name: "필터 지우기" })).toBeVisible();

    await page.getByLabel("종료일", { exact: true }).fill(daysBack(10));
    await page.getByLabel("시작일", { exact: true }).fill(daysBack(5));
    await expect(page.getByTestId("date-range-error")).toHaveText(
      "‘시작일’: ‘종료일’과 같거나 그 이전 날짜여야 합니다.",
    );
    await expectNoSeriousViolations(page);
  });
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the filters fold behind a Filters (n) button", async ({ page }) => {
    await signIn(page, "admin@contoso.example", { path: `${LOG}?status=failed&status=progress` });
    const toggle = page.getByTestId("filters-toggle");
    await expect(toggle).toHaveText(/Filters \(2\)/);
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await expect(page.getByTestId("filters-form")).toBeHidden();
    await expect(rows(page).first()).toBeVisible();
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-expanded", "true");
    await expect(page.getByTestId("filters-form")).toBeVisible();
    await expectNoSeriousViolations(page);
    // By keyboard too.
    await toggle.focus();
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("filters-form")).toBeHidden();
  });

  test.describe("wider", () => {
    test.use({ viewport: { width: 1350, height: 900 } });
    test("a wide window shows the filters and no button", async ({ page }) => {
      await signIn(page, "admin@contoso.example", { path: LOG });
      await expect(page.getByTestId("filters-form")).toBeVisible();
      await expect(page.getByTestId("filters-toggle")).toBeHidden();
    });
  });
});
