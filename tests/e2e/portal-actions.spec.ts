import { expect, test } from "@playwright/test";
import { signIn } from "./support";

test("adding a customer appears at the top of the activity log", async ({ page }) => {
  const name = `Hangang Robotics ${Date.now()} 주식회사`;
  await signIn(page, "agent@contoso.example", { path: "/customers" });
  const form = page.getByRole("form", { name: "Add customer" });
  await form.getByLabel("Company name").fill(name);
  await form.getByLabel("Domain").fill(`hangang${Date.now()}.example`);
  await form.getByRole("button", { name: "Add customer" }).click();
  await expect(page).toHaveURL(/\/customers\/[0-9a-f-]{36}\/subscriptions\?added=1&record=\d+$/);
  await expect(page.getByTestId("customer-name")).toHaveText(name);

  await page.goto("/account/activity-log?action=add_customer");
  const first = page.getByTestId("activity-row").first();
  await expect(first).toContainText("Added customer");
  await expect(first).toContainText(name);
  await expect(first).toContainText("agent@contoso.example");
});

test("purchasing a subscription is recorded, and bad input is refused with a message", async ({ page }) => {
  await signIn(page, "agent@contoso.example", { path: "/customers" });
  await page.locator("main table a").first().click();
  const form = page.getByRole("form", { name: "Purchase subscription" });
  await form.getByLabel("Offer").selectOption("Power BI Pro");
  await form.getByLabel("Quantity").fill("0");
  // The browser's own check would stop 0; remove it to see the server's answer.
  await form.getByLabel("Quantity").evaluate((el) => el.removeAttribute("min"));
  await form.getByRole("button", { name: "Purchase" }).click();
  await expect(form.getByRole("alert")).toContainText("at least 1");

  await form.getByLabel("Quantity").fill("12");
  await form.getByRole("button", { name: "Purchase" }).click();
  await expect(form.getByRole("status")).toContainText("Purchased 12 × Power BI Pro");
  await expect(page.getByTestId("subscription-row").filter({ hasText: "Power BI Pro" }).first()).toBeVisible();

  await page.goto("/account/activity-log?action=purchase_subscription");
  const first = page.getByTestId("activity-row").first();
  await expect(first).toContainText("Purchased subscription");
  await first.getByRole("button", { name: "Show details" }).click();
  await expect(page.getByTestId("activity-details")).toContainText("Power BI Pro");
});

test("viewing the log is itself recorded", async ({ page }) => {
  await signIn(page, "billing@contoso.example", { path: "/account/activity-log?status=failed" });
  await expect(page.getByTestId("activity-row").first()).toBeVisible();
  await page.goto("/account/activity-log?action=view_activity_log");
  const row = page.getByTestId("activity-row").filter({ hasText: "billing@contoso.example" }).first();
  await expect(row).toContainText("Viewed activity log");
  await row.getByRole("button", { name: "Show details" }).click();
  const details = page.getByTestId("activity-details");
  await expect(details.getByTestId("log-access")).toContainText("Status: Failed");
});

test("the log integrity view is for global admins", async ({ page, browser }) => {
  await signIn(page, "admin@contoso.example", { path: "/account/log-integrity" });
  await expect(page.getByRole("heading", { name: "Log integrity" })).toBeVisible();
  await expect(page.getByTestId("integrity-status")).toContainText(/The log is intact\.|changed after sealing/);

  // A separate browser: the authority remembers who signed in, as Entra ID does.
  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  await signIn(agent, "agent@contoso.example");
  await expect(agent.getByTestId("header-tenant")).toBeVisible();
  expect((await agent.request.get("/account/log-integrity")).status()).toBe(403);
  await agentContext.close();
});
