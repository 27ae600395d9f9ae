import { expect, test } from "@playwright/test";
import { readFile } from "node:fs/promises";
import { signIn } from "./support";

test("Export log downloads the period as an Excel-ready CSV, and the export is logged", async ({ page }) => {
  await signIn(page, "admin@contoso.example", { path: "/account/activity-log?status=failed" });
  const count = Number((await page.getByTestId("result-count").textContent())!.replace(/[^\d]/g, "").slice(0, 5));
  expect(count).toBeGreaterThan(0);

  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: /Export log/ }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^activity-log_commercial_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
  const bytes = await readFile((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString("utf8");
  const [header] = text.split("\r\n");
  expect(header).toBe(
    "Date-Time (UTC),Affected customer,Customer ID,Action,Operation type,Resource type,Status,Partner user,Application,Correlation ID,Details",
  );
  // Every record is failed (the page's filter went with the link); rows end in CRLF.
  const records = text.split("\r\n").filter((line) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},/.test(line));
  expect(records.length).toBeGreaterThan(0);
  for (const line of records) expect(line).toContain(",Failed,");
  expect(text.endsWith("\r\n")).toBe(true);

  await page.goto("/account/activity-log?action=export_activity_log");
  const row = page.getByTestId("activity-row").first();
  await expect(row).toContainText("Exported activity log");
  await row.getByRole("button", { name: "Show details" }).click();
  await expect(page.getByTestId("activity-details").getByTestId("log-access")).toContainText("Status: Failed");
});

test("an export link opened signed out leads to sign-in and back to the download", async ({ page }) => {
  const path = "/api/activity-log/export?status=succeeded&action=create_order";
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  const response = await page.request.get(path, { maxRedirects: 0, headers: { accept: "text/html" } });
  expect(response.status()).toBe(307);
  expect(response.headers().location).toBe(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  expect((await page.request.get(path, { maxRedirects: 0, headers: { accept: "text/csv" } })).status()).toBe(401);
});

test("bad parameters are a 400 with a message, before any CSV", async ({ page }) => {
  await signIn(page, "admin@contoso.example");
  await expect(page.getByTestId("header-tenant")).toBeVisible();
  const response = await page.request.get("/api/activity-log/export?from=2026-02-30&status=bogus");
  expect(response.status()).toBe(400);
  expect(response.headers()["content-type"]).toContain("application/json");
  const body = await response.json();
  expect(body.error.code).toBe("bad_request");
  expect(body.error.message).toContain("2026-02-30");
});
