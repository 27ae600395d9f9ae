import { expect, test } from "@playwright/test";
import { startWebhookReceiver, waitFor } from "../support/stream-receivers";
import { dayAsShown, signIn } from "./support";

/*
 * Account settings → Log streaming, end to end: a global admin adds a webhook destination, the
 * receiver (started here, verifying with the standardwebhooks library) gets a test event and then
 * the log's own records, delivered by the worker npm start runs; pause, resume and remove.
 */

const SECRET = `whsec_${Buffer.alloc(32, 9).toString("base64")}`;

test("a global admin streams the log to a webhook", async ({ page }) => {
  const receiver = await startWebhookReceiver(SECRET);
  try {
    await signIn(page, "admin@contoso.example", { path: "/account/log-streaming" });
    await expect(page.getByRole("heading", { name: "Log streaming", level: 1 })).toBeVisible();

    const form = page.getByRole("form", { name: "Add a destination" });
    await form.getByLabel("Name", { exact: true }).fill("E2E SIEM");
    await form.getByLabel("URL (webhook or Splunk HEC)").fill(receiver.url("/e2e"));
    await form.getByLabel("Signing key (whsec_…) or HEC token").fill(SECRET);
    await form.getByRole("button", { name: "Add destination" }).click();
    await expect(form.getByRole("status")).toHaveText("The destination was added.");

    const row = page.getByTestId("stream-destination-row").filter({ hasText: "E2E SIEM" });
    await expect(row).toBeVisible();
    await expect(page.locator("body")).not.toContainText(SECRET);

    await row.getByRole("button", { name: "Send test event" }).click();
    await expect(page.getByRole("status").first()).toHaveText("The test event was delivered.");
    expect(receiver.rejected).toEqual([]);
    expect(receiver.events.some((e) => e.test === true)).toBe(true);

    // Adding the destination is itself a record of the log, and the app's worker delivers it.
    await waitFor(() => receiver.events.some((e) => e.operation === "create_log_stream"), 20_000, "the worker");

    await row.getByRole("button", { name: "Pause" }).click();
    await expect(page.getByRole("status").first()).toContainText("Delivery is paused");
    await expect(row).toContainText("Paused by admin@contoso.example.");
    await row.getByRole("button", { name: "Resume" }).click();
    await expect(page.getByRole("status").first()).toHaveText("Delivery resumed.");

    // Replay from a day written as the page writes days (UTC), and a day that does not exist.
    const today = new Date().toISOString().slice(0, 10);
    await row.getByLabel("Replay records since the day (UTC)").fill(dayAsShown(today, "en"));
    await row.getByLabel("Time (optional)").fill("0:00");
    await row.getByRole("button", { name: "Replay", exact: true }).click();
    await expect(page.getByRole("status").first()).toHaveText(/^\d[\d,]* records? (was|were) queued again\.$/);
    await row.getByLabel("Replay records since the day (UTC)").fill("Feb 30, 2026");
    await row.getByRole("button", { name: "Replay", exact: true }).click();
    await expect(page.getByRole("status").first()).toHaveText("That was not accepted. Check the values and try again.");

    // Change it: the form starts from its settings, and an empty secret keeps the stored one.
    await page.getByText("Change: E2E SIEM").click();
    const edit = page.getByRole("form", { name: "Change E2E SIEM" });
    await expect(edit.getByLabel("Signing key (whsec_…) or HEC token")).toHaveValue("");
    await edit.getByLabel("Name", { exact: true }).fill("E2E SIEM 2");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await expect(edit.getByRole("status")).toHaveText("The destination was saved.");
    const renamed = page.getByTestId("stream-destination-row").filter({ hasText: "E2E SIEM 2" });
    await expect(renamed).toBeVisible();
    await renamed.getByRole("button", { name: "Send test event" }).click();
    await expect(page.getByRole("status").first()).toHaveText("The test event was delivered.");

    await renamed.getByRole("button", { name: "Remove E2E SIEM 2" }).click();
    await expect(page.getByRole("status").first()).toHaveText("The destination was removed.");
    await expect(renamed).toHaveCount(0);
  } finally {
    await receiver.close();
  }
});

test("other roles get no log streaming settings, nor the menu entry", async ({ page }) => {
  await signIn(page, "agent@contoso.example");
  await page.getByRole("button", { name: "Account settings" }).click();
  const menu = page.getByRole("list", { name: "Account settings" });
  await expect(menu.getByRole("link", { name: "Activity log" })).toBeVisible();
  await expect(menu.getByRole("link", { name: "Log streaming" })).toHaveCount(0);
  const response = await page.goto("/account/log-streaming");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
});

test.describe("in Korean", () => {
  test.use({ locale: "ko-KR" });

  test("a destination aimed at the metadata service is refused beside its field, in Korean, keeping what was typed", async ({
    page,
  }) => {
    await signIn(page, "admin@contoso.example", { path: "/account/log-streaming" });
    const form = page.getByRole("form", { name: "대상 추가" });
    await form.getByLabel("이름", { exact: true }).fill("메타데이터");
    const url = form.getByLabel("URL (웹후크 또는 Splunk HEC)");
    await url.fill("http://169.254.169.254/latest/meta-data");
    await form.getByRole("button", { name: "대상 추가" }).click();
    const message = "이 URL은 사설, 예약 또는 링크 로컬 주소를 가리킵니다. 대상은 인터넷에서 접근할 수 있어야 합니다.";
    await expect(url).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator(`#${await url.getAttribute("aria-describedby")}`)).toHaveText(message);
    await expect(form.getByLabel("이름", { exact: true })).toHaveValue("메타데이터");
    await expect(page.getByTestId("stream-destination-row").filter({ hasText: "메타데이터" })).toHaveCount(0);
  });
});
