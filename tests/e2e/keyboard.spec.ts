import { expect, test, type Locator, type Page } from "@playwright/test";
import { dayAsShown, signIn } from "./support";

/*
 * The whole activity log flow by keyboard alone: after signing in, every step is a key press
 * (Tab, Shift+Tab, Enter, Space, arrows, typing). No clicks, no programmatic focus. At each stop the
 * element the user means to use has the focus, and the focus can be seen.
 */

const rows = (page: Page) => page.getByTestId("activity-row");
const LOG = "/account/activity-log";

/**
 * Presses Tab (Shift+Tab with `back`) until `target` has the focus; fails if it is never reached.
 * A page of 25 rows has five stops a row (details, customer, action, partner user, status).
 */
async function tabTo(page: Page, target: Locator, { back = false, max = 300 } = {}) {
  await expect(target).toBeVisible();
  for (let presses = 0; presses < max; presses++) {
    if (await target.evaluate((el) => el === document.activeElement)) break;
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
  }
  await expectVisibleFocus(target);
}

/**
 * The element has the focus, the browser considers it keyboard focus (`:focus-visible`), and its
 * style shows it: an outline, a ring (box-shadow), or a background that differs from the unfocused one.
 */
async function expectVisibleFocus(target: Locator) {
  await expect(target).toBeFocused();
  const indicator = await target.evaluate((el) => {
    const style = getComputedStyle(el);
    return {
      focusVisible: el.matches(":focus-visible"),
      // (A transparent outline, Tailwind's outline-hidden, shows nothing.)
      outline:
        style.outlineStyle !== "none" &&
        parseFloat(style.outlineWidth) > 0 &&
        !/^(transparent|rgba\(.*,\s*0\))$/.test(style.outlineColor),
      ring: style.boxShadow !== "none",
    };
  });
  expect(indicator.focusVisible, "keyboard focus is :focus-visible").toBe(true);
  expect(indicator.outline || indicator.ring, "the focused element shows an outline or a ring").toBe(true);
}

/** A date as Chromium's en-US date field takes it from the keyboard: MMDDYYYY, segment by segment. */
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

test("the activity log flow works by keyboard alone", async ({ page }) => {
  // Tabbing through whole pages of rows (five stops a row) one key at a time takes a while.
  test.setTimeout(150_000);
  await signIn(page, "admin@contoso.example");
  await expect(page.getByTestId("header-tenant")).toBeVisible();

  // The skip link is the first stop, shows itself when focused, and leads into the main content.
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expectVisibleFocus(skip);
  expect((await skip.boundingBox())!.width).toBeGreaterThan(10);
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  await expectVisibleFocus(page.getByRole("main").getByRole("link", { name: "Open the activity log" }));

  // Account settings, back in the header: a disclosure button; Escape closes it and gives the focus back.
  const menuButton = page.getByRole("button", { name: "Account settings" });
  const menu = page.getByRole("list", { name: "Account settings" });
  await tabTo(page, menuButton, { back: true });
  await page.keyboard.press("Enter");
  await expect(menuButton).toHaveAttribute("aria-expanded", "true");
  await expect(menu).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(menu).toHaveCount(0);
  await expect(menuButton).toHaveAttribute("aria-expanded", "false");
  await expectVisibleFocus(menuButton);

  // Tabbing past the last item closes the menu, so it never hides what gets the focus next.
  await page.keyboard.press("Space");
  await expect(menu).toBeVisible();
  for (const name of ["Activity log", "Log integrity", "Data sources", "Log streaming", "Sessions"]) {
    await page.keyboard.press("Tab");
    await expectVisibleFocus(menu.getByRole("link", { name }));
  }
  await page.keyboard.press("Tab");
  await expect(menu).toHaveCount(0);
  await expect(menuButton).toHaveAttribute("aria-expanded", "false");

  // Back to the button, open the menu again and follow "Activity log".
  await tabTo(page, menuButton, { back: true });
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  await expectVisibleFocus(menu.getByRole("link", { name: "Activity log" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`${LOG}$`));
  await expect(page.getByRole("heading", { level: 1, name: "Activity log" })).toBeVisible();
  await expect(rows(page)).toHaveCount(25);

  // From and To, typed into the date fields as the page writes days; Apply by Enter.
  const from = daysAgo(20);
  const to = daysAgo(5);
  const fromField = page.getByLabel("From", { exact: true });
  const toField = page.getByLabel("To", { exact: true });
  await tabTo(page, fromField);
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type(dayAsShown(from, "en"));
  await expect(fromField).toHaveValue(dayAsShown(from, "en"));
  await tabTo(page, toField);
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type(dayAsShown(to, "en"));
  await expect(toField).toHaveValue(dayAsShown(to, "en"));
  const apply = page.getByRole("button", { name: "Apply" });
  await tabTo(page, apply);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`[?&]from=${from}&to=${to}(&|$)`));
  await expect(rows(page).first()).toBeVisible();
  await expect(page.getByLabel("From", { exact: true })).toHaveValue(dayAsShown(from, "en"));

  // A quick range, by Enter on its link.
  const preset = page.getByRole("link", { name: "Last 90 days" });
  await tabTo(page, preset);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("link", { name: "Last 90 days" })).toHaveAttribute("aria-current", "true");
  const presetUrl = new URL(page.url());
  const presetFrom = presetUrl.searchParams.get("from")!;
  expect(presetFrom).toBe(daysAgo(89));

  // A status: its list opened with Enter, the box ticked with Space, which applies at once.
  const statusList = page.getByTestId("filter-status-list").locator("summary");
  await tabTo(page, statusList);
  await page.keyboard.press("Enter");
  const failed = page.getByRole("checkbox", { name: "Failed", exact: true });
  await tabTo(page, failed);
  await page.keyboard.press("Space");
  await expect(page).toHaveURL(/[?&]status=failed(&|$)/);
  await expect(page.getByRole("checkbox", { name: "Failed", exact: true })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(statusList).toBeFocused();
  expect(new URL(page.url()).searchParams.get("from")).toBe(presetFrom);
  await expect(rows(page)).toHaveCount(25);
  for (const text of await rows(page).locator("td:last-child").allTextContents()) expect(text).toBe("Failed");

  // Expand the first entry with Enter, collapse it with Space; the focus stays on the toggle.
  const toggle = rows(page).first().getByRole("button", { name: "Show details" });
  await tabTo(page, toggle);
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await page.keyboard.press("Enter");
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  const details = page.getByTestId("activity-details");
  await expect(details).toBeVisible();
  await expect(details).toContainText("Correlation ID");
  await expect(page.locator(`#${await toggle.getAttribute("aria-controls")}`)).toContainText("Correlation ID");
  await expectVisibleFocus(toggle);
  await page.keyboard.press("Space");
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await expect(details).toHaveCount(0);
  await expectVisibleFocus(toggle);

  // Page forward, then back to the same first entry.
  const firstTime = await rows(page).first().locator("time").getAttribute("datetime");
  await tabTo(page, page.getByRole("link", { name: "Older →" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/[?&]cursor=/);
  await expect(rows(page).first().locator("time")).not.toHaveAttribute("datetime", firstTime!);
  await tabTo(page, page.getByRole("link", { name: "← Newer" }));
  await page.keyboard.press("Enter");
  await expect(rows(page).first().locator("time")).toHaveAttribute("datetime", firstTime!);

  // Export log: Enter on the link starts a download of this view.
  const exportLink = page.getByRole("link", { name: /Export log/ });
  await tabTo(page, exportLink, { back: true });
  const [download] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
  expect(download.suggestedFilename()).toMatch(/^activity-log_commercial_.*\.csv$/);
  expect(new URL(download.url()).searchParams.get("status")).toBe("failed");

  // The first customer link on the page leads to that customer's Subscriptions.
  const customerLink = rows(page).locator("a[href^='/customers/']").first();
  const customerName = (await customerLink.textContent())!;
  await tabTo(page, customerLink);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/customers\/[0-9a-f-]{36}\/subscriptions$/);
  await expect(page.getByTestId("customer-name")).toHaveText(customerName);
  await expect(page.getByTestId("subscription-row").first()).toBeVisible();
});
