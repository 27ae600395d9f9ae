import { expect, test } from "@playwright/test";
import { CLOUD_BUTTON, DEMO_PASSWORD, signIn } from "./support";

test.describe("sign-in per cloud", () => {
  test("a commercial admin signs in and sees their tenant and cloud", async ({ page }) => {
    await signIn(page, "admin@contoso.example", { fresh: true });
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByTestId("header-tenant")).toHaveText("Contoso Partners");
    await expect(page.getByTestId("cloud-badge")).toHaveText("Commercial");
  });

  test("the US Government admin signs in through the US Government provider", async ({ page }) => {
    await signIn(page, "admin@tailspin.example", { fresh: true, cloud: "usgov" });
    await expect(page.getByTestId("header-tenant")).toHaveText("Tailspin Government Solutions");
    await expect(page.getByTestId("cloud-badge")).toHaveText("US Government");
  });

  test("the US Government account cannot sign in through the commercial provider", async ({ page }) => {
    await signIn(page, "admin@tailspin.example", { fresh: true, cloud: "commercial" });
    await expect(page.getByRole("alert")).toContainText("couldn't sign you in");
    await expect(page.getByTestId("header-tenant")).toHaveCount(0);
  });

  test("a wrong password is refused by the authority", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("button", { name: CLOUD_BUTTON.commercial }).click();
    await page.getByLabel("Email").fill("admin@contoso.example");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert")).toBeVisible();
    expect(DEMO_PASSWORD).not.toBe("not-the-password");
  });

  test("a deep link survives sign-in", async ({ page }) => {
    await signIn(page, "admin@fabrikam.example", { fresh: true, path: "/account/activity-log?status=failed" });
    await expect(page).toHaveURL(/\/account\/activity-log\?status=failed$/);
  });

  test("sign-out ends the session", async ({ page }) => {
    await signIn(page, "agent@contoso.example", { fresh: true });
    await expect(page.getByTestId("header-tenant")).toHaveText("Contoso Partners");
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin/);
    await page.goto("/");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2F$/);
  });
});
