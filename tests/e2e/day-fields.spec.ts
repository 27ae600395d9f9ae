import { expect, test, type Page } from "@playwright/test";
import { dayAsShown, defaultUtcRange, expectNoSeriousViolations, signIn } from "./support";

const LOG = "/account/activity-log";
const daysBack = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const rows = (page: Page) => page.getByTestId("activity-row");

/** The day part of the newest row's Date-Time cell, as the table writes it. */
async function newestRowDay(page: Page, pattern: RegExp): Promise<string> {
  const text = (await rows(page).first().locator("time").first().textContent()) ?? "";
  const day = pattern.exec(text)?.[0];
  expect(day, `a day at the start of "${text}"`).toBeTruthy();
  return day!;
}

for (const { locale, lang, fromLabel, toLabel, applyLabel, dayPattern } of [
  {
    locale: "en-US",
    lang: "en" as const,
    fromLabel: "From",
    toLabel: "To",
    applyLabel: "Apply",
    dayPattern: /^[A-Z][a-z]{2} \d{1,2}, \d{4}/,
  },
  {
    locale: "ko-KR",
    lang: "ko" as const,
    fromLabel: "시작일",
    toLabel: "종료일",
    applyLabel: "적용",
    dayPattern: /^\d{4}\. \d{2}\. \d{2}\./,
  },
]) {
  test.describe(`day fields (${lang})`, () => {
    test.use({ locale });

    test("the fields, the hint, the summary and the table write a day one way", async ({ page }) => {
      await signIn(page, "admin@contoso.example", { path: LOG });
      await expect(rows(page).first()).toBeVisible();
      const { from, to } = defaultUtcRange();
      const toField = page.getByLabel(toLabel, { exact: true });
      await expect(page.getByLabel(fromLabel, { exact: true })).toHaveValue(dayAsShown(from, lang));
      await expect(toField).toHaveValue(dayAsShown(to, lang));
      // The table's days have the fields' form (the newest row need not be from today).
      expect(dayPattern.test(await toField.inputValue())).toBe(true);
      expect(dayPattern.test(await newestRowDay(page, dayPattern))).toBe(true);
      await expect(page.locator("#date-format")).toContainText(dayAsShown(to, lang));
      await expect(page.getByTestId("result-line")).toContainText(dayAsShown(from, lang));
      await expect(page.getByTestId("result-line")).toContainText(dayAsShown(to, lang));
      await expectNoSeriousViolations(page);
    });

    test("a day typed as the page writes it applies, and the address keeps YYYY-MM-DD", async ({ page }) => {
      await signIn(page, "admin@contoso.example", { path: LOG });
      await expect(rows(page).first()).toBeVisible();
      const [start, end] = [daysBack(12), daysBack(3)];
      await page.getByLabel(fromLabel, { exact: true }).fill(dayAsShown(start, lang));
      await page.getByLabel(toLabel, { exact: true }).fill(dayAsShown(end, lang));
      await page.getByRole("button", { name: applyLabel, exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`[?&]from=${start}&to=${end}(&|$)`));
      await expect(page.getByLabel(fromLabel, { exact: true })).toHaveValue(dayAsShown(start, lang));
      await expect(page.getByTestId("result-line")).toContainText(dayAsShown(end, lang));
    });

    test("the calendar button writes the picked day in the page's form", async ({ page }) => {
      await signIn(page, "admin@contoso.example", { path: LOG });
      await expect(rows(page).first()).toBeVisible();
      const calendar = page.getByTestId("filter-from-calendar");
      await expect(calendar).toHaveAccessibleName(
        lang === "en" ? "From: choose from a calendar" : "시작일: 달력에서 선택",
      );
      // The browser's own calendar pops up outside the page; what it writes is the picker's value.
      await page.getByTestId("filter-from-picker").fill(daysBack(20));
      await expect(page.getByLabel(fromLabel, { exact: true })).toHaveValue(dayAsShown(daysBack(20), lang));
      await page.getByRole("button", { name: applyLabel, exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`[?&]from=${daysBack(20)}(&|$)`));
    });
  });
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false, locale: "ko-KR" });

  test("the plain form sends the typed day and the page answers with the canonical address", async ({
    browser,
    page,
  }) => {
    // Sign in with script (the authority's form), then read the log without it.
    const withScript = await browser.newContext({ locale: "ko-KR" });
    const signInPage = await withScript.newPage();
    await signIn(signInPage, "admin@contoso.example", { path: LOG });
    await page.context().addCookies(await withScript.cookies());
    await withScript.close();

    await page.goto(LOG);
    const [start, end] = [daysBack(9), daysBack(2)];
    await page.getByLabel("시작일", { exact: true }).fill(dayAsShown(start, "ko"));
    await page.getByLabel("시작 시각(선택)").fill("9:30");
    await page.getByLabel("종료일", { exact: true }).fill(dayAsShown(end, "ko"));
    await page.getByRole("button", { name: "적용", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`[?&]from=${start}&to=${end}&fromTime=09%3A30(&|$)`));
    await expect(page.getByLabel("시작일", { exact: true })).toHaveValue(dayAsShown(start, "ko"));
    await expect(page.getByLabel("시작 시각(선택)")).toHaveValue("09:30");
    // No calendar button without script: nothing on the page that cannot work.
    await expect(page.getByTestId("filter-from-calendar")).toHaveCount(0);

    // A day that could mean two days is named, and the other filters stay.
    await page.goto(`${LOG}?from=11/04/2026&status=failed`);
    await expect(page.getByTestId("param-errors")).toContainText(
      `‘시작일’: ${dayAsShown(defaultUtcRange().to, "ko")} 또는 ${defaultUtcRange().to} 형식의 날짜여야 합니다.`,
    );
    await expect(page.getByTestId("filter-status-summary")).toHaveText("실패");
  });
});
