import { expect } from "@playwright/test";
import { CONTOSO_ID, expectNoSeriousViolations, firstRow, required, signIn, test } from "./support";

/*
 * Log integrity says what it checked. The demo history is stored as loaded in the hour before the
 * first start, so the sealing run at that start seals it: the page has real seals to check, and
 * says how far they reach, in English and Korean.
 */

for (const [locale, text] of [
  ["en", { intact: "The log is intact.", sealedUntil: "Records stored up to", seals: /([\d,]+) seals?\b/ }],
  [
    "ko",
    { intact: "로그가 변경되지 않았습니다.", sealedUntil: "저장된 기록이 봉인되어 있습니다", seals: /봉인 ([\d,]+)개/ },
  ],
] as const) {
  test(`the demo history is sealed after the first start, and the page says how far (${locale})`, async ({
    page,
    baseURL,
    sql,
  }) => {
    const sealCount = async () =>
      (
        await firstRow(
          sql<{ n: number }[]>`select count(*)::int as n from activity_seals where tenant_id = ${CONTOSO_ID}`,
          "a count of Contoso's seals",
        )
      ).n;
    // The first sealing run starts with the server and seals the seeded history.
    await expect.poll(sealCount, { timeout: 60_000 }).toBeGreaterThan(0);
    const sealed = await sealCount();
    await page.context().addCookies([{ name: "NEXT_LOCALE", value: locale, url: baseURL! }]);
    await signIn(page, "admin@contoso.example", { path: "/account/log-integrity" });
    const status = page.getByTestId("integrity-status");
    await expect(status).toHaveAttribute("data-state", "intact");
    await expect(status).toContainText(text.intact);
    await expect(status).toContainText(text.sealedUntil);
    // It names how many seals it checked: at least those there were a moment ago.
    const statusText = (await status.textContent()) ?? "";
    const shown = Number(
      required(statusText.match(text.seals)?.[1], `a count of seals in "${statusText}"`).replace(/,/g, ""),
    );
    expect(shown).toBeGreaterThanOrEqual(sealed);
    await expectNoSeriousViolations(page);
  });
}
