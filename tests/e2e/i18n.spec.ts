import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { dayAsShown, defaultUtcRange, signIn } from "./support";

/*
 * The interface in Korean (a browser whose language is ko-KR), then in English by the header's
 * switcher: same URLs, same rows, same export link, words and dates in the chosen language.
 */

const rows = (page: Page) => page.getByTestId("activity-row");

/**
 * What the table must show for an instant, in UTC: the month by name in English, two-digit
 * numbers in Korean ("2026. 03. 04."), and a two-digit 24-hour time in both.
 */
const expectedDateTime = (iso: string, locale: string) =>
  new Intl.DateTimeFormat(locale, {
    timeZone: "UTC",
    year: "numeric",
    ...(locale === "ko" ? { month: "2-digit", day: "2-digit" } : { month: "short", day: "numeric" }),
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }).format(new Date(iso));

test.describe("a Korean browser", () => {
  test.use({ locale: "ko-KR" });

  test("signs in, reads and exports the activity log in Korean, then switches to English", async ({
    page,
    context,
  }) => {
    await signIn(page, "admin@contoso.example");
    await expect(page.locator("html")).toHaveAttribute("lang", "ko");
    await expect(page.getByRole("banner")).toContainText("파트너 활동 로그");
    await expect(page.getByTestId("cloud-badge")).toHaveText("상용");

    await page.getByRole("button", { name: "계정 설정" }).click();
    await page.getByRole("list", { name: "계정 설정" }).getByRole("link", { name: "활동 로그" }).click();
    await expect(page).toHaveURL(/\/account\/activity-log$/);
    await expect(page.getByRole("heading", { level: 1, name: "활동 로그" })).toBeVisible();
    await expect(rows(page).first()).toBeVisible();
    await expect(page).toHaveTitle(/^활동 로그 · 파트너 활동 로그$/);

    // The period fields write days as the Korean table does; their labels are the product's terms.
    const { from, to } = defaultUtcRange();
    await expect(page.getByLabel("시작일", { exact: true })).toHaveValue(dayAsShown(from, "ko"));
    await expect(page.getByLabel("종료일", { exact: true })).toHaveValue(dayAsShown(to, "ko"));
    await expect(page.getByTestId("time-zone")).toContainText("표시 시간대: UTC");
    await expect(page.getByRole("link", { name: "최근 7일" })).toBeVisible();

    // Korean headers, the zone still named.
    await expect(page.getByRole("columnheader", { name: "날짜-시간 (UTC)" })).toBeVisible();
    for (const name of ["영향을 받은 고객", "작업", "파트너 사용자", "상태"]) {
      await expect(page.getByRole("columnheader", { name, exact: true })).toBeVisible();
    }
    await expect(page.getByTestId("result-count")).toContainText(/기간의 기록 [\d,]+\+?건/);

    // Dates in Korean format; the machine-readable attribute stays ISO 8601.
    const firstTime = rows(page).first().locator("time");
    const iso = (await firstTime.getAttribute("datetime"))!;
    expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    await expect(firstTime).toHaveText(expectedDateTime(iso, "ko"));
    await expect(firstTime).toHaveText(/^\d{4}\. \d{1,2}\. \d{1,2}\. \d{1,2}:\d{2}:\d{2}$/);

    const sampleIso = (await rows(page).nth(10).locator("time").getAttribute("datetime"))!;
    await expect(rows(page).nth(10).locator("time")).toHaveText(expectedDateTime(sampleIso, "ko"));

    // Statuses and actions in Korean.
    for (const status of await rows(page).locator("td:last-child").allTextContents())
      expect(["성공", "실패", "진행 중"]).toContain(status);
    await expect(
      rows(page)
        .filter({ hasText: /생성|업데이트|추가|제거|재설정|삭제|구매|조회|내보내기|적용/ })
        .first(),
    ).toBeVisible();

    // Expand a row: the details panel speaks Korean too.
    const toggle = rows(page).first().getByRole("button", { name: "세부 정보 표시" });
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-expanded", "true");
    const details = page.getByTestId("activity-details");
    await expect(details).toContainText("상관 관계 ID");
    await expect(details).toContainText("작업 유형");
    await expect(details).toContainText(`${expectedDateTime(iso, "ko")} (UTC)`);
    await expect(details.getByText("원본 JSON")).toBeVisible();

    // Accessible in Korean too (html lang="ko", every control named).
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);

    // Export: the same link as in English, an ASCII-safe file name, English column names.
    const exportLink = page.getByRole("link", { name: /로그 내보내기/ });
    const exportHref = await exportLink.getAttribute("href");
    expect(exportHref).toMatch(/^\/api\/activity-log\/export(\?|$)/);
    const [download] = await Promise.all([page.waitForEvent("download"), exportLink.click()]);
    expect(download.suggestedFilename()).toMatch(/^activity-log_commercial_.*\.csv$/);
    const csv = readFileSync((await download.path())!, "utf8");
    expect(csv.replace(/^\uFEFF/, "").split("\r\n")[0]).toMatch(/^Date-Time \(UTC\),Affected customer,/);

    // Switch to English in the header: same URL, same rows, in English.
    const url = page.url();
    await page.getByRole("group", { name: "언어" }).getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Activity log" })).toBeVisible();
    expect(page.url()).toBe(url);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(
      page.getByRole("group", { name: "Language" }).getByRole("button", { name: "English" }),
    ).toHaveAttribute("aria-pressed", "true");
    await expect(page.getByRole("columnheader", { name: "Date-Time (UTC)" })).toBeVisible();
    for (const name of ["Affected customer", "Action", "Partner user", "Status"]) {
      await expect(page.getByRole("columnheader", { name, exact: true })).toBeVisible();
    }
    await expect(page.getByLabel("From", { exact: true })).toHaveValue(dayAsShown(from, "en"));
    // The same entries (the newest rows are now the log's records of this view and the export).
    const sameEntry = rows(page).locator(`time[datetime="${sampleIso}"]`);
    await expect(sameEntry).toHaveCount(1);
    await expect(sameEntry).toHaveText(expectedDateTime(sampleIso, "en"));
    await expect(sameEntry).toHaveText(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{2}:\d{2}:\d{2}$/);
    await expect(page.getByRole("link", { name: /Export log/ })).toHaveAttribute("href", exportHref!);

    // The choice is remembered (a year, Lax) and beats the browser's Accept-Language.
    const cookie = (await context.cookies()).find((c) => c.name === "NEXT_LOCALE");
    expect(cookie).toMatchObject({ value: "en", sameSite: "Lax", path: "/" });
    expect(cookie!.expires * 1000 - Date.now()).toBeGreaterThan(360 * 86_400_000);
    await page.reload();
    await expect(page.getByRole("heading", { level: 1, name: "Activity log" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");

    // The same entry's details, in English.
    const entry = rows(page).filter({ has: page.locator(`time[datetime="${sampleIso}"]`) });
    await entry.getByRole("button", { name: "Show details" }).click();
    const englishDetails = page.getByTestId("activity-details");
    await expect(englishDetails).toHaveCount(1);
    await expect(englishDetails).toContainText("Correlation ID");
    await expect(englishDetails).toContainText(`${expectedDateTime(sampleIso, "en")} (UTC)`);
  });

  test("sees sign-in, param errors, empty ranges and the 404 page in Korean", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/signin/);
    await expect(page.getByRole("heading", { level: 1, name: "로그인" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Microsoft Entra ID로 로그인 (상용)" })).toBeVisible();

    await signIn(page, "admin@contoso.example", { path: "/account/activity-log?from=2026-02-30&status=bogus&size=7" });
    const alert = page.getByTestId("param-errors");
    await expect(alert).toContainText("다음 필터는 사용할 수 없어 제외했습니다.");
    await expect(alert).toContainText("‘시작일’: 존재하지 않는 날짜입니다(2026-02-30).");
    await expect(alert).toContainText("‘상태’: succeeded, failed, progress 또는 decline 중 하나여야 합니다.");
    await expect(alert).toContainText("‘페이지 크기’: 25, 50 또는 100 중 하나여야 합니다.");

    await page.goto("/account/activity-log?from=2021-01-01&to=2021-01-31");
    await expect(page.getByTestId("empty-state")).toHaveText("2021. 01. 01. ~ 2021. 01. 31. 기간에 활동이 없습니다.");
    await expect(page.getByTestId("export-empty")).toHaveText("이 기간에는 내보낼 기록이 없습니다.");

    await page.goto("/customers/00000000-0000-4000-8000-000000000000/subscriptions");
    await expect(page.getByRole("heading", { name: "페이지를 찾을 수 없습니다" })).toBeVisible();
  });

  test("includes the log's own access records only when asked, in Korean", async ({ page }) => {
    await signIn(page, "admin@contoso.example", { path: "/account/activity-log" });
    await expect(rows(page).first()).toBeVisible();
    await expect(rows(page).filter({ hasText: /활동 로그 조회|활동 로그 내보내기/ })).toHaveCount(0);
    const box = page.getByRole("checkbox", { name: "로그 접근 기록 포함" });
    await expect(box).not.toBeChecked();
    await expect(page.getByText("이 로그의 조회 및 내보내기 기록도 표시합니다.")).toBeVisible();
    await box.check();
    await page.getByRole("button", { name: "적용" }).click();
    await expect(page).toHaveURL(/[?&]access=include(&|$)/);
    await expect(rows(page).filter({ hasText: "활동 로그 조회" }).first()).toBeVisible();

    await page.goto("/account/activity-log?access=on");
    await expect(page.getByTestId("param-errors")).toContainText(
      '‘로그 접근 기록 포함’: "include"이거나 비어 있어야 합니다.',
    );
  });

  test("a sales agent is told in Korean that they lack access", async ({ page }) => {
    await signIn(page, "sales@contoso.example");
    const response = await page.goto("/account/activity-log");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "이 페이지에 액세스할 수 없습니다" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "ko");
  });
});

test.describe("an English browser", () => {
  test("can choose Korean before signing in, and keeps it after", async ({ page }) => {
    await page.goto("/signin");
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
    await page.getByRole("group", { name: "Language" }).getByRole("button", { name: "한국어" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "로그인" })).toBeVisible();
    await expect(page).toHaveURL(/\/signin$/);
    await expect(page.locator("html")).toHaveAttribute("lang", "ko");
    await expect(page.getByRole("button", { name: "한국어" })).toHaveAttribute("lang", "ko");

    await signIn(page, "admin@contoso.example", { path: "/account/activity-log" });
    await expect(page.getByRole("heading", { level: 1, name: "활동 로그" })).toBeVisible();
  });
});
