import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import { DEMO_PARTNER_CENTER } from "@/db/seed/demo-data";
import { e2eDatabaseUrl, expectNoSeriousViolations, FABRIKAM_ID, signIn, SOVEREIGN_URL } from "./support";

/*
 * Data sources: a global admin connects Partner Center (the local stand-in the e2e servers run),
 * reads a wrong secret's error in words, tests the connection, asks for a sync and watches its
 * records arrive. Other roles get 403. Nothing is connected before these tests connect it.
 */

const status = (page: Page, key: string) => page.getByTestId(`status-${key}`).locator("dd");

/** The sync runs in the server's background: reload until its status says it caught up. */
const reloadUntilDaysBehind = (page: Page, text: string) =>
  expect
    .poll(
      async () => {
        await page.reload();
        return status(page, "daysBehind").textContent();
      },
      { timeout: 60_000 },
    )
    .toBe(text);

test.describe("Data sources, in English", () => {
  test.use({ locale: "en-US" });

  test("a global admin connects Partner Center, tests it and watches a sync", async ({ page }) => {
    await signIn(page, "admin@fabrikam.example");
    await page.getByRole("button", { name: "Account settings" }).click();
    await page.getByRole("link", { name: "Data sources" }).click();
    await expect(page).toHaveURL(/\/account\/data-sources$/);
    await expect(page.getByRole("heading", { name: "Data sources", level: 1 })).toBeVisible();
    await expect(page.getByTestId("sync-state")).toHaveText("Not connected");

    // A malformed client id is refused, naming the field; nothing is saved.
    await page.getByLabel("Application (client) ID").fill("not-a-guid");
    await page.getByLabel("Client secret").fill("wrong-secret");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.locator("#clientId-error")).toHaveText(/The application \(client\) ID is a GUID/);
    await expect(page.getByTestId("sync-state")).toHaveText("Not connected");
    await expect(page.getByLabel("Client secret")).toHaveValue("");

    // A wrong secret saves (it cannot be known before asking), and the test says what is wrong.
    await page.getByLabel("Application (client) ID").fill(DEMO_PARTNER_CENTER.clientId);
    await page.getByLabel("Client secret").fill("wrong-secret");
    await page.getByLabel("Sync automatically").uncheck();
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Partner Center is connected" })).toBeVisible();
    await expect(page.getByTestId("sync-state")).toHaveText("Turned off");
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect(page.getByTestId("test-result")).toHaveText(/The test failed: .* refused the client secret/);

    // The right secret: the test passes, and a sync brings in Partner Center's 90 days.
    await page.getByLabel("Client secret").fill(DEMO_PARTNER_CENTER.clientSecret);
    await page.getByLabel("Sync automatically").check();
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("status").filter({ hasText: "The connection was saved." })).toBeVisible();
    await expect(page.getByText("A secret is stored. Leave empty to keep it")).toBeVisible();
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect(page.getByTestId("test-result")).toHaveText(
      /Connected: .* issued a token and Partner Center answered/,
    );

    await page.getByRole("button", { name: "Sync now" }).click();
    await expect(page.getByRole("status").filter({ hasText: "A sync starts within a minute" })).toBeVisible();
    await reloadUntilDaysBehind(page, "Up to date");
    await expect(status(page, "recordsInAll")).toHaveText(/^[1-9][\d,]*$/);
    await expect(status(page, "lastError")).toHaveText("None");
    await expect(status(page, "lastSuccess")).not.toHaveText("Never");
    await expectNoSeriousViolations(page);

    // The secret is nowhere on the page or in its API, and each change is a record in the log.
    expect(await page.content()).not.toContain(DEMO_PARTNER_CENTER.clientSecret);
    const api = await page.request.get("/api/account/data-sources");
    expect(api.status()).toBe(200);
    const body = await api.text();
    expect(body).not.toContain(DEMO_PARTNER_CENTER.clientSecret);
    expect(JSON.parse(body)).toMatchObject({
      partnerCenter: { clientId: DEMO_PARTNER_CENTER.clientId, enabled: true },
    });

    const sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
    try {
      const rows = await sql<{ operation_type: string }[]>`
        select operation_type from activity_records
        where tenant_id = ${FABRIKAM_ID} and resource_type = 'data_source' order by occurred_at`;
      expect(rows.map((r) => r.operation_type)).toEqual([
        "create_partner_center_connection",
        "update_partner_center_connection",
      ]);
      const [{ clear }] = await sql<[{ clear: number }]>`
        select count(*)::int as clear from partner_center_connections where client_secret like ${"%" + DEMO_PARTNER_CENTER.clientSecret + "%"}`;
      expect(clear).toBe(0);
    } finally {
      await sql.end();
    }
    await page.goto("/account/activity-log");
    await expect(page.getByRole("cell", { name: "Updated Partner Center connection" }).first()).toBeVisible();
  });

  test("other roles cannot open Data sources", async ({ page }) => {
    await signIn(page, "agent@fabrikam.example");
    await page.getByRole("button", { name: "Account settings" }).click();
    await expect(page.getByRole("link", { name: "Sessions" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Data sources" })).toHaveCount(0);
    const response = await page.goto("/account/data-sources");
    expect(response?.status()).toBe(403);
    expect((await page.request.get("/api/account/data-sources")).status()).toBe(403);
  });
});

test.describe("Data sources, in Korean, in the US Government cloud", () => {
  test.use({ locale: "ko-KR", baseURL: SOVEREIGN_URL });

  test("a global admin connects the sovereign tenant to its own cloud's Partner Center", async ({ page }) => {
    await signIn(page, "admin@tailspin.example", { cloud: "usgov" });
    await page.goto("/account/data-sources");
    await expect(page.getByRole("heading", { name: "데이터 원본", level: 1 })).toBeVisible();
    await expect(page.getByText("미국 정부 클라우드의 파트너 센터 API")).toBeVisible();
    await page.getByLabel("애플리케이션(클라이언트) ID").fill("1234");
    await page.getByLabel("클라이언트 암호").fill(DEMO_PARTNER_CENTER.clientSecret);
    await page.getByRole("button", { name: "저장" }).click();
    await expect(page.locator("#clientId-error")).toHaveText(/GUID입니다/);

    await page.getByLabel("애플리케이션(클라이언트) ID").fill(DEMO_PARTNER_CENTER.clientId);
    await page.getByLabel("클라이언트 암호").fill(DEMO_PARTNER_CENTER.clientSecret);
    await page.getByRole("button", { name: "저장" }).click();
    await expect(page.getByRole("status").filter({ hasText: "파트너 센터가 연결되었습니다" })).toBeVisible();
    await page.getByRole("button", { name: "연결 테스트" }).click();
    await expect(page.getByTestId("test-result")).toHaveText(/^연결됨: /);
    await reloadUntilDaysBehind(page, "최신 상태");
    await expect(status(page, "recordsInAll")).toHaveText(/^[1-9][\d,]*$/);
    await expectNoSeriousViolations(page);
  });
});
