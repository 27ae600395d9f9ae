import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import { CONTOSO_ID, e2eDatabaseUrl, expectNoSeriousViolations, firstRow, signIn } from "./support";

/*
 * The pages a partner reads, on a phone (390 x 844) and on a desktop (1350 x 900), in English and
 * Korean: the document is never wider than the screen, every control is inside it (or inside a
 * box of its own that scrolls), the header's menu holds Sign out, a record is a card that opens in
 * place, and axe finds nothing serious.
 */

let sql: postgres.Sql;
test.beforeAll(() => {
  sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
});
test.afterAll(async () => {
  await sql.end();
});

const LOG = "/account/activity-log";
const VIEWPORTS = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1350, height: 900 },
] as const;
const LOCALES = [
  { locale: "en", showDetails: "Show details", menu: "Menu", signOut: "Sign out", customers: "Customers" },
  { locale: "ko", showDetails: "세부 정보 표시", menu: "메뉴", signOut: "로그아웃", customers: "고객" },
] as const;

/** The page is no wider than the screen, and every visible control lies within it or within a scroll box of its own. */
async function expectFitsScreen(page: Page) {
  const { scrollWidth, viewport, outside } = await page.evaluate(() => {
    const viewport = document.documentElement.clientWidth;
    const scrollsItself = (el: Element) => {
      for (let p = el.parentElement; p; p = p.parentElement) {
        const style = getComputedStyle(p);
        if (/(auto|scroll)/.test(style.overflowX) && p.scrollWidth > p.clientWidth) return true;
      }
      return false;
    };
    const controls = [...document.querySelectorAll("a[href], button, input, select, textarea, summary")];
    const outside = controls
      .filter((el) => {
        const box = el.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) return false; // not shown
        if (getComputedStyle(el).visibility === "hidden") return false;
        return (box.left < -1 || box.right > viewport + 1) && !scrollsItself(el);
      })
      .map((el) => el.outerHTML.slice(0, 120));
    return { scrollWidth: document.documentElement.scrollWidth, viewport, outside };
  });
  expect(scrollWidth, "document width").toBeLessThanOrEqual(viewport);
  expect(outside, "controls outside the screen").toEqual([]);
}

for (const vp of VIEWPORTS) {
  for (const l of LOCALES) {
    test.describe(`${vp.name} (${vp.width}px), ${l.locale}`, () => {
      test.use({ viewport: { width: vp.width, height: vp.height } });

      test("the log, a record's details and the header menu", async ({ page, baseURL }) => {
        await page.context().addCookies([{ name: "NEXT_LOCALE", value: l.locale, url: baseURL! }]);
        await signIn(page, "admin@contoso.example", { path: LOG });
        const rows = page.getByTestId("activity-row");
        await expect(rows).toHaveCount(25);
        await expectFitsScreen(page);
        await expectNoSeriousViolations(page);

        // Sign out: behind the menu on a phone, in the header on a desktop.
        const signOut = page.getByRole("button", { name: l.signOut });
        const menuButton = page.getByRole("button", { name: l.menu });
        if (vp.name === "phone") {
          await expect(signOut).toBeHidden();
          await menuButton.click();
          await expect(menuButton).toHaveAttribute("aria-expanded", "true");
          await expect(signOut).toBeVisible();
          await expect(page.locator("#site-menu").getByRole("link", { name: l.customers, exact: true })).toBeVisible();
          await expectFitsScreen(page);
          await expectNoSeriousViolations(page);
          await page.keyboard.press("Escape");
          await expect(signOut).toBeHidden();
          await expect(menuButton).toBeFocused();
        } else {
          await expect(menuButton).toBeHidden();
          await expect(signOut).toBeVisible();
        }

        // A record opens in place, below its own card, and its details fit the screen too.
        const order = rows.filter({ hasText: l.locale === "en" ? "Created order" : "주문" }).first();
        const toggle = order.getByRole("button", { name: l.showDetails });
        await toggle.click();
        await expect(toggle).toHaveAttribute("aria-expanded", "true");
        const details = page.getByTestId("activity-details");
        await expect(details).toBeVisible();
        await expect(details.getByTestId("line-item").first()).toBeVisible();
        const cardBox = (await order.boundingBox())!;
        const detailsBox = (await details.boundingBox())!;
        expect(detailsBox.y).toBeGreaterThan(cardBox.y);
        expect(detailsBox.x + detailsBox.width).toBeLessThanOrEqual(vp.width);
        await details.locator("summary").last().click();
        await expectFitsScreen(page);
        await expectNoSeriousViolations(page);
      });

      test("customers and a customer's subscriptions", async ({ page, baseURL }) => {
        await page.context().addCookies([{ name: "NEXT_LOCALE", value: l.locale, url: baseURL! }]);
        const customer = await firstRow(
          sql`
          select c.id from customers c
          where c.tenant_id = ${CONTOSO_ID} and (select count(*) from subscriptions s where s.customer_id = c.id) >= 2
          order by c.company_name limit 1`,
          "a Contoso customer with two subscriptions",
        );
        await signIn(page, "admin@contoso.example", { path: "/customers" });
        await expect(page.locator("main table a").first()).toBeVisible();
        await expectFitsScreen(page);
        await expectNoSeriousViolations(page);

        await page.goto(`/customers/${customer.id}/subscriptions`);
        await expect(page.getByTestId("subscription-row").first()).toBeVisible();
        await expectFitsScreen(page);
        await expectNoSeriousViolations(page);
      });
    });
  }
}

test("a tablet folds the partner user into the details", async ({ page }) => {
  await page.setViewportSize({ width: 820, height: 1000 });
  await signIn(page, "admin@contoso.example", { path: LOG });
  await expect(page.getByRole("columnheader", { name: "Action" })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Partner user" })).toBeHidden();
  await expectFitsScreen(page);
  await page.setViewportSize({ width: 1350, height: 900 });
  await expect(page.getByRole("columnheader", { name: "Partner user" })).toBeVisible();
});

test("the local sign-in page names the demo accounts; a US Government session is unmistakable", async ({ page }) => {
  await page.goto("/");
  await page.getByTestId("sign-in-usgov").click();
  const demo = page.getByRole("region", { name: "Demo accounts" });
  await expect(demo).toContainText("admin@tailspin.example");
  await expect(demo).toContainText("demo-password");
  await expect(demo).not.toContainText("admin@contoso.example"); // another cloud's account
  await page.getByLabel("Email").fill("admin@tailspin.example");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("header-tenant")).toBeVisible();
  await expect(page.getByTestId("cloud-banner")).toContainText("US Government cloud");
  await expect(page.locator("header")).toHaveAttribute("data-cloud", "usgov");
  await expectNoSeriousViolations(page);
});
