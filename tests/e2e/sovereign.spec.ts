import { expect, test } from "@playwright/test";
import { CLOUD_BUTTON, DEMO_PASSWORD, signIn, SOVEREIGN_URL } from "./support";

test.describe("the US Government-only deployment", () => {
  test("offers only the US Government provider and says which cloud it is", async ({ page }) => {
    await page.goto(`${SOVEREIGN_URL}/`);
    await expect(page).toHaveURL(/\/signin/);
    await expect(page).toHaveTitle(/US Government/);
    await expect(page.getByTestId("cloud-badge")).toHaveText("US Government");
    await expect(page.getByRole("button", { name: CLOUD_BUTTON.usgov })).toBeVisible();
    await expect(page.getByRole("button", { name: CLOUD_BUTTON.commercial })).toHaveCount(0);
  });

  test("signs in the US Government admin", async ({ page }) => {
    await page.goto(`${SOVEREIGN_URL}/`);
    await page.getByRole("button", { name: CLOUD_BUTTON.usgov }).click();
    await page.getByLabel("Email").fill("admin@tailspin.example");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("header-tenant")).toHaveText("Tailspin Government Solutions");
    await expect(page.getByTestId("cloud-badge")).toHaveText("US Government");
  });

  test("rejects a commercial session even when its cookie is presented", async ({ page, context }) => {
    // Signed in on the commercial deployment: cookies on localhost reach every port.
    await signIn(page, "admin@contoso.example");
    await expect(page.getByTestId("header-tenant")).toHaveText("Contoso Partners");
    const cookies = await context.cookies(SOVEREIGN_URL);
    expect(cookies.some((c) => c.name.includes("session-token"))).toBe(true);

    await page.goto(`${SOVEREIGN_URL}/account/activity-log`);
    await expect(page).toHaveURL(/\/signin\?.*error=SessionCloud/);
    await expect(page.locator("main").getByRole("alert")).toContainText("does not serve");
    await expect(page.getByTestId("header-tenant")).toHaveCount(0);

    const api = await page.request.get(`${SOVEREIGN_URL}/api/activity-log/export`, {
      headers: { accept: "application/json" },
    });
    expect(api.status()).toBe(401);
  });
});
