import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "demo-password";

export const CLOUD_BUTTON = {
  commercial: /Sign in with Microsoft Entra ID \(Commercial\)/,
  usgov: /Sign in with Microsoft Entra ID \(US Government\)/,
} as const;

/** Signs in through the real OIDC flow: the app's sign-in page, then the local authority's form. */
export async function signIn(
  page: Page,
  email: string,
  { cloud = "commercial", path = "/" }: { cloud?: keyof typeof CLOUD_BUTTON; path?: string } = {},
) {
  await page.goto(path);
  await expect(page).toHaveURL(/\/signin/);
  await page.getByRole("button", { name: CLOUD_BUTTON[cloud] }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
}
