import { expect, test, type Locator, type Page } from "@playwright/test";
import postgres from "postgres";
import { CONTOSO_ID, dayAsShown, e2eDatabaseUrl, expectNoSeriousViolations, required, signIn } from "./support";

/*
 * Where a reader is in the log: the position of every page ("26–50 of 3,359"), the Newest and
 * Oldest jumps, a jump to a day, the sticky table header and the skip link, in English and in
 * Korean. The range ends yesterday, so other tests writing today's records leave the numbers alone.
 */

let sql: postgres.Sql;
test.beforeAll(() => {
  sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
});
test.afterAll(async () => {
  await sql.end();
});

const rows = (page: Page) => page.getByTestId("activity-row");
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
const [FROM, TO, TODAY] = [day(200), day(1), day(0)];
const JUMP_DAY = day(40);
const LOG = "/account/activity-log";

/** Failed records of the range, as the page counts them (without the log's own access records). */
async function failed(before = `${TODAY}T00:00:00Z`) {
  return sql<{ occurred_at: Date; id: number }[]>`
    select occurred_at, id::int as id from activity_records
    where tenant_id = ${CONTOSO_ID} and cloud = 'commercial' and operation_status = 'failed'
      and occurred_at >= ${FROM + "T00:00:00Z"}::timestamptz and occurred_at < ${before}::timestamptz
      and operation_type not in ('view_activity_log', 'export_activity_log')
    order by occurred_at desc, id desc`;
}

/** Presses Tab until `target` has the focus; fails if it is never reached. */
async function tabTo(page: Page, target: Locator, max = 150) {
  await expect(target).toBeAttached();
  for (let presses = 0; presses < max; presses++) {
    if (await target.evaluate((el) => el === document.activeElement)) break;
    await page.keyboard.press("Tab");
  }
  await expect(target).toBeFocused();
}

const LANGUAGES = {
  en: {
    locale: "en-US",
    lang: "en",
    position: (start: string, end: string, total: string) => `${start}–${end} of ${total} records between`,
    beyond: "Beyond the first 10,000 of 10,000+ records between",
    newest: "Newest",
    newer: "← Newer",
    older: "Older →",
    oldest: "Oldest",
    jump: "Jump to date",
    go: "Go",
    skip: "Skip to results",
  },
  ko: {
    locale: "ko-KR",
    lang: "ko",
    position: (start: string, end: string, total: string) => `기록 ${total}건 중 ${start}–${end}`,
    beyond: "기록 10,000+건 중 처음 10,000건 이후",
    newest: "최신",
    newer: "← 최근 항목",
    older: "이전 항목 →",
    oldest: "가장 오래된 항목",
    jump: "날짜로 이동",
    go: "이동",
    skip: "결과로 건너뛰기",
  },
} as const;

const n = (value: number) => value.toLocaleString("en-US");

for (const [language, L] of Object.entries(LANGUAGES)) {
  test.describe(`in ${language}`, () => {
    test.use({ locale: L.locale });

    test("every page says where it is, the oldest page is one jump away, and Newer/Older work from it", async ({
      page,
    }) => {
      const all = await failed();
      const total = all.length;
      expect(total, "the demo seed has more than two pages of failed records").toBeGreaterThan(50);
      expect(total).toBeLessThanOrEqual(10_000);
      const line = page.getByTestId("result-line");

      await signIn(page, "admin@contoso.example", { path: `${LOG}?from=${FROM}&to=${TO}&status=failed` });
      await expect(line).toContainText(L.position("1", "25", n(total)));
      await expect(page.getByRole("link", { name: L.newest, exact: true })).toHaveCount(0);

      await page.getByRole("link", { name: L.older }).click();
      await expect(line).toContainText(L.position("26", "50", n(total)));
      await expect(page.getByRole("link", { name: L.newest, exact: true })).toBeVisible();

      await page.getByRole("link", { name: L.oldest }).click();
      await expect(page).toHaveURL(/[?&]dir=oldest(&|$)/);
      // A full page read from the range's start, so it need not line up with pages from the top.
      await expect(line).toContainText(L.position(n(total - 24), n(total), n(total)));
      await expect(rows(page)).toHaveCount(25);
      // Newest first within the page, ending at the range's oldest failed record.
      await expect(rows(page).last().locator("time")).toHaveAttribute(
        "datetime",
        all.at(-1)!.occurred_at.toISOString(),
      );
      await expect(page.getByRole("link", { name: L.older })).toHaveCount(0);
      await expect(page.getByRole("link", { name: L.oldest })).toHaveCount(0);
      await expectNoSeriousViolations(page);

      await page.getByRole("link", { name: L.newer }).click();
      await expect(line).toContainText(L.position(n(total - 49), n(total - 25), n(total)));
      await expect(rows(page).first().locator("time")).toHaveAttribute(
        "datetime",
        required(all[total - 50], "the 50th newest record").occurred_at.toISOString(),
      );
      await page.getByRole("link", { name: L.older }).click();
      await expect(line).toContainText(L.position(n(total - 24), n(total), n(total)));
      await expect(page.getByRole("link", { name: L.older })).toHaveCount(0);
      await page.getByRole("link", { name: L.newest, exact: true }).click();
      await expect(line).toContainText(L.position("1", "25", n(total)));
    });

    test("past 10,000 records the position says so instead of a number", async ({ page }) => {
      await signIn(page, "admin@contoso.example", { path: `${LOG}?from=${FROM}&to=${TO}` });
      const line = page.getByTestId("result-line");
      await expect(line).toContainText(L.position("1", "25", "10,000+"));
      await page.getByRole("link", { name: L.oldest }).click();
      await expect(line).toContainText(L.beyond);
    });

    test("jumps to a day by keyboard alone, to the last record at or before its end", async ({ page }) => {
      const dayEnd = new Date(Date.parse(`${JUMP_DAY}T00:00:00Z`) + 86_400_000).toISOString();
      const [all, upToDay] = [await failed(), await failed(dayEnd)];
      const newer = all.length - upToDay.length;
      await signIn(page, "admin@contoso.example", { path: `${LOG}?from=${FROM}&to=${TO}&status=failed` });
      await expect(rows(page).first()).toBeVisible();

      const field = page.getByLabel(L.jump, { exact: true });
      await tabTo(page, field);
      // Typed as the page writes days in this language.
      await page.keyboard.press("ControlOrMeta+a");
      await page.keyboard.type(dayAsShown(JUMP_DAY, L.lang));
      await expect(field).toHaveValue(dayAsShown(JUMP_DAY, L.lang));
      await tabTo(page, page.getByRole("button", { name: L.go, exact: true }));
      await page.keyboard.press("Enter");

      // A GET: the view's own fields travel beside the day (as YYYY-MM-DD), which the parser reads as a cursor.
      await expect(page).toHaveURL(new RegExp(`[?&]status=failed&at=${JUMP_DAY}$`));
      await expect(rows(page).first().locator("time")).toHaveAttribute(
        "datetime",
        required(upToDay[0], `a record up to ${JUMP_DAY}`).occurred_at.toISOString(),
      );
      await expect(page.getByTestId("result-line")).toContainText(
        L.position(n(newer + 1), n(newer + Math.min(25, upToDay.length)), n(all.length)),
      );
      await expect(page.getByRole("link", { name: L.newer })).toBeVisible();
      await expectNoSeriousViolations(page);
    });

    test("the jump form is a plain GET form: it works with JavaScript off", async ({ page, browser, baseURL }) => {
      const dayEnd = new Date(Date.parse(`${JUMP_DAY}T00:00:00Z`) + 86_400_000).toISOString();
      const upToDay = await failed(dayEnd);
      await signIn(page, "admin@contoso.example", { path: `${LOG}?from=${FROM}&to=${TO}&status=failed` });
      await expect(rows(page).first()).toBeVisible();
      const context = await browser.newContext({
        baseURL,
        locale: L.locale,
        javaScriptEnabled: false,
        storageState: await page.context().storageState(),
      });
      try {
        const noScript = await context.newPage();
        await noScript.goto(`${LOG}?from=${FROM}&to=${TO}&status=failed`);
        await noScript.getByLabel(L.jump, { exact: true }).fill(dayAsShown(JUMP_DAY, L.lang));
        await noScript.getByRole("button", { name: L.go, exact: true }).click();
        // The day arrives as typed; the page answers with the view's canonical address, at the day's position.
        await expect(noScript).toHaveURL(/[?&]cursor=[^&]+/);
        expect(new URL(noScript.url()).searchParams.getAll("status")).toEqual(["failed"]);
        expect(new URL(noScript.url()).searchParams.has("at")).toBe(false);
        // (The rows arrive in a streamed Suspense boundary, which stays hidden without a script to
        // reveal it: the page's HTML holds them, positioned at the day.)
        await expect(rows(noScript).first().locator("time")).toHaveAttribute(
          "datetime",
          required(upToDay[0], `a record up to ${JUMP_DAY}`).occurred_at.toISOString(),
        );
      } finally {
        await context.close();
      }
    });

    test("the skip link takes a keyboard user to the results, and the table header stays in view", async ({ page }) => {
      await signIn(page, "admin@contoso.example", { path: `${LOG}?from=${FROM}&to=${TO}` });
      await expect(rows(page).first()).toBeVisible();

      const skip = page.getByRole("link", { name: L.skip });
      await tabTo(page, skip);
      // Hidden until focused, then on screen.
      const box = await skip.boundingBox();
      expect(box && box.width > 10 && box.height > 10).toBe(true);
      await page.keyboard.press("Enter");
      await expect(page.locator("#results")).toBeFocused();
      // The next stop is the first control of the results: the jump to a day.
      await page.keyboard.press("Tab");
      await expect(page.getByLabel(L.jump, { exact: true })).toBeFocused();

      // Scroll the page well into the table: the header row is still at the top of the viewport.
      const head = page.getByTestId("table-head");
      await rows(page).nth(20).scrollIntoViewIfNeeded();
      await page.evaluate(() => window.scrollBy(0, 200));
      expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(300);
      const top = await head.evaluate((el) => el.getBoundingClientRect().top);
      expect(Math.abs(top)).toBeLessThanOrEqual(1);
      await expect(head).toBeInViewport();
      await expectNoSeriousViolations(page);
    });
  });
}
