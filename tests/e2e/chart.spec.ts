import { expect, type Page } from "@playwright/test";
import { expectNoSeriousViolations, test } from "./support";

/*
 * The activity chart above the log: bars per day (per hour for a short range), stacked by status,
 * a bar narrowing the period to its day, and the same numbers as a table with links, in English
 * and Korean.
 */

// Every test here reads the log as the tenant's admin.
test.use({ account: "admin@contoso.example" });

const LOG = "/account/activity-log";
const rows = (page: Page) => page.getByTestId("activity-row");

/** With a partner-user filter the chart comes from that user's day counts: its days add up to the page's count. */
async function expectUserChartMatchesCount(page: Page, asTable: string) {
  await page.goto(`${LOG}?user=agent%40contoso.example&tz=UTC`);
  const chart = page.getByTestId("activity-chart");
  await chart.getByText(asTable).click();
  const cells = chart.getByTestId("chart-table").locator("tbody tr td:last-child");
  expect(await cells.count()).toBeGreaterThan(3);
  // The first number in a text, with its thousands separators ("1,234").
  const numberIn = (text: string) => Number(/\d[\d,]*/.exec(text)?.[0].replaceAll(",", "") ?? NaN);
  const sum = (await cells.allTextContents()).map(numberIn).reduce((a, b) => a + b, 0);
  const count = numberIn(await page.getByTestId("export-count").innerText());
  expect(count).toBeGreaterThan(0);
  expect(sum).toBe(count);
}

test.describe("in English", () => {
  test("bars per day; a bar narrows the period to its day; a table says the same", async ({ page }) => {
    await page.goto(LOG);
    const chart = page.getByTestId("activity-chart");
    await expect(chart).toContainText("Records per day (UTC)");
    const bars = chart.getByTestId("chart-bar");
    expect(await bars.count()).toBeGreaterThan(20);

    // The table alternative: one row per bar, each a link, the totals adding up.
    await chart.getByText("Show the chart as a table").click();
    const table = chart.getByTestId("chart-table");
    await expect(table.locator("tbody tr")).toHaveCount(await bars.count());
    await expect(table.getByRole("columnheader", { name: "Failed" })).toBeVisible();
    await expectNoSeriousViolations(page);

    const href = await bars.nth(3).getAttribute("href");
    const day = new URL(href!, page.url()).searchParams.get("from")!;
    await bars.nth(3).click();
    await expect(page).toHaveURL(new RegExp(`from=${day}&to=${day}`));
    await expect(rows(page).first()).toBeVisible();
    const days = await page
      .locator("[data-testid=activity-row] time")
      .evaluateAll((els) => els.map((e) => e.getAttribute("datetime")!.slice(0, 10)));
    expect(new Set(days)).toEqual(new Set([day]));
    // One day: per hour now.
    await expect(page.getByTestId("activity-chart")).toContainText("Records per hour");
  });

  test("the table's links work by keyboard", async ({ page }) => {
    await page.goto(LOG);
    await expect(rows(page).first()).toBeVisible();
    const summary = page.getByTestId("activity-chart").locator("summary");
    await expect(summary).toHaveText("Show the chart as a table");
    await summary.focus();
    await expect(summary).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("chart-table")).toBeVisible();
    const link = page.getByTestId("chart-table").getByRole("link").first();
    await link.focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}/);
  });

  test("a partner-user filter charts that user's records, adding up to the count", async ({ page }) => {
    await expectUserChartMatchesCount(page, "Show the chart as a table");
  });
});

test.describe("in Korean", () => {
  test.use({ locale: "ko-KR" });
  test("일별 차트와 표", async ({ page }) => {
    await page.goto(LOG);
    const chart = page.getByTestId("activity-chart");
    await expect(chart).toContainText("일별 기록 수(UTC)");
    await chart.getByText("차트를 표로 보기").click();
    await expect(chart.getByTestId("chart-table").getByRole("columnheader", { name: "합계" })).toBeVisible();
    await expectNoSeriousViolations(page);
  });

  test("파트너 사용자 필터의 차트는 그 사용자의 기록 수와 같다", async ({ page }) => {
    await expectUserChartMatchesCount(page, "차트를 표로 보기");
  });
});
