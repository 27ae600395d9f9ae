import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import { CONTOSO_ID, e2eDatabaseUrl, expectNoSeriousViolations, signIn } from "./support";

/*
 * Pages that connect: a customer's subscriptions lead to the customer's activity, and a very
 * large purchase asks first, once, while a double click buys once.
 */

let sql: postgres.Sql;
test.beforeAll(() => {
  sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
});
test.afterAll(async () => {
  await sql.end();
});

/** A Contoso customer with records in the last month. */
async function activeCustomer() {
  const [row] = await sql<[{ id: string; name: string }]>`
    select customer_id as id, customer_name as name from activity_records
    where tenant_id = ${CONTOSO_ID} and customer_id is not null and occurred_at > now() - interval '20 days'
    group by customer_id, customer_name order by count(*) desc limit 1`;
  return row;
}
const subscriptionsOf = async (customerId: string, quantity: number) =>
  Number(
    (
      await sql<
        [{ n: number }]
      >`select count(*)::int as n from subscriptions where customer_id = ${customerId} and quantity = ${quantity}`
    )[0].n,
  );

async function purchase(page: Page, quantity: string) {
  const form = page.getByRole("form", { name: "Purchase subscription" });
  await form.getByLabel("Quantity").fill(quantity);
  return form;
}

test("the subscriptions page links to the customer's activity", async ({ page }) => {
  const customer = await activeCustomer();
  await signIn(page, "admin@contoso.example", { path: `/customers/${customer.id}/subscriptions` });
  await page.getByRole("link", { name: "Activity for this customer" }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]q=${customer.id}`));
  await expect(page.getByTestId("activity-row").first()).toBeVisible();
  const cells = await page.getByTestId("activity-row").locator("td:nth-child(3)").allTextContents();
  expect(cells.length).toBeGreaterThan(0);
  for (const cell of cells) expect(cell.startsWith(customer.name), cell).toBe(true);
});

test("a very large quantity asks first; a double click buys once", async ({ page }) => {
  const customer = await activeCustomer();
  await signIn(page, "admin@contoso.example", { path: `/customers/${customer.id}/subscriptions` });
  const large = 4321;
  const before = await subscriptionsOf(customer.id, large);
  let form = await purchase(page, String(large));
  await form.getByRole("button", { name: "Purchase" }).click();
  const confirm = page.getByTestId("confirm-large");
  await expect(confirm).toContainText("Buy 4,321 licenses?");
  await expectNoSeriousViolations(page);
  await confirm.getByRole("button", { name: "Change the quantity" }).click();
  await expect(confirm).toHaveCount(0);
  await expect(form.getByLabel("Quantity")).toBeFocused();
  expect(await subscriptionsOf(customer.id, large)).toBe(before);

  await form.getByRole("button", { name: "Purchase" }).click();
  await page.getByTestId("confirm-large").getByRole("button", { name: "Buy 4,321" }).click();
  await expect(form.getByRole("status")).toContainText("Purchased 4,321");
  expect(await subscriptionsOf(customer.id, large)).toBe(before + 1);

  const small = 37;
  const smallBefore = await subscriptionsOf(customer.id, small);
  form = await purchase(page, String(small));
  await form.getByRole("button", { name: "Purchase" }).dblclick();
  await expect(form.getByRole("status")).toContainText("Purchased 37");
  expect(await subscriptionsOf(customer.id, small)).toBe(smallBefore + 1);
});

test.describe("in Korean", () => {
  test.use({ locale: "ko-KR" });
  test("고객 활동 링크와 대량 구매 확인", async ({ page }) => {
    const customer = await activeCustomer();
    await signIn(page, "admin@contoso.example", { path: `/customers/${customer.id}/subscriptions` });
    await expect(page.getByRole("link", { name: "이 고객의 활동" })).toBeVisible();
    const form = page.getByRole("form", { name: "구독 구매" });
    await form.getByRole("spinbutton").fill("2000");
    await form.getByRole("button", { name: "구매", exact: true }).click();
    await expect(page.getByTestId("confirm-large")).toContainText("라이선스 2,000개를 구매할까요?");
    await page.getByTestId("confirm-large").getByRole("button", { name: "수량 변경" }).click();
    await expect(page.getByTestId("confirm-large")).toHaveCount(0);
  });
});

test("a record's permalink opens the log with it expanded; the added banner links to it", async ({ page }) => {
  const name = `Permalink Trading ${Date.now()}`;
  await signIn(page, "admin@contoso.example", { path: "/customers" });
  const form = page.getByRole("form", { name: "Add customer" });
  await form.getByLabel("Company name").fill(name);
  await form.getByLabel("Domain").fill(`permalink${Date.now()}.example`);
  await form.getByRole("button", { name: "Add customer" }).click();
  await expect(page).toHaveURL(/\?added=1&record=\d+$/);
  await page.getByTestId("added-record").click();
  await expect(page).toHaveURL(/\/account\/activity-log\?.*record=\d+/);
  const first = page.getByTestId("activity-row").first();
  await expect(first).toContainText(name);
  await expect(first.getByRole("button", { name: "Show details" })).toHaveAttribute("aria-expanded", "true");
  await expect(page.getByTestId("activity-details")).toContainText("add_customer");
  await expectNoSeriousViolations(page);
});
