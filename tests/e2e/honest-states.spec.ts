import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { CONTOSO_ID, e2eDatabaseUrl, expectNoSeriousViolations, signIn } from "./support";

/*
 * Log integrity says what it checked. The demo history is stored as loaded in the hour before the
 * first start, so the sealing run at that start seals it: the page has real seals to check, and
 * says how far they reach, in English and Korean.
 */

let sql: postgres.Sql;
test.beforeAll(() => {
  sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
});
test.afterAll(async () => {
  await sql.end();
});

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
  }) => {
    // The first sealing run starts with the server and seals the seeded history.
    await expect
      .poll(
        async () => (await sql`select count(*)::int as n from activity_seals where tenant_id = ${CONTOSO_ID}`)[0].n,
        {
          timeout: 60_000,
        },
      )
      .toBeGreaterThan(0);
    const [{ n: sealed }] = await sql`select count(*)::int as n from activity_seals where tenant_id = ${CONTOSO_ID}`;
    await page.context().addCookies([{ name: "NEXT_LOCALE", value: locale, url: baseURL! }]);
    await signIn(page, "admin@contoso.example", { path: "/account/log-integrity" });
    const status = page.getByTestId("integrity-status");
    await expect(status).toHaveAttribute("data-state", "intact");
    await expect(status).toContainText(text.intact);
    await expect(status).toContainText(text.sealedUntil);
    // It names how many seals it checked: at least those there were a moment ago.
    const shown = Number(((await status.textContent()) ?? "").match(text.seals)![1].replace(/,/g, ""));
    expect(shown).toBeGreaterThanOrEqual(sealed);
    await expectNoSeriousViolations(page);
  });
}
