import { expect, test } from "@playwright/test";
import { required, signIn } from "./support";

test("pages carry a nonce-based CSP and the other security headers", async ({ page }) => {
  const response = await page.goto("/signin");
  const headers = response!.headers();
  const csp = required(headers["content-security-policy"], "a Content-Security-Policy header");
  const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src"))!;
  expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/=]+'/);
  expect(scriptSrc).not.toContain("unsafe-inline");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  // Each response gets a fresh nonce.
  const again = (await page.request.get("/signin")).headers()["content-security-policy"];
  expect(again).not.toBe(csp);
});

test("the app still runs its scripts under the policy, and no CSP violation is reported", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await signIn(page, "admin@contoso.example", { fresh: true, path: "/account/activity-log" });
  // Expanding a row needs hydrated client code.
  await page.getByTestId("activity-row").first().getByRole("button", { name: "Show details" }).click();
  await expect(page.getByTestId("activity-details")).toBeVisible();
  expect(violations).toEqual([]);
});

test("the session cookie is HttpOnly and SameSite=Lax", async ({ page, context }) => {
  await signIn(page, "admin@contoso.example", { fresh: true });
  await expect(page.getByTestId("header-tenant")).toBeVisible();
  const session = (await context.cookies()).find((c) => c.name.includes("session-token"));
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });
});

test("static files are served with nosniff", async ({ page, request }) => {
  await page.goto("/signin");
  const script = await page.locator("script[src^='/_next/static/']").first().getAttribute("src");
  const response = await request.get(script!);
  expect(response.headers()["x-content-type-options"]).toBe("nosniff");
});
