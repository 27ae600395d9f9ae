import { expect, test } from "@playwright/test";
import { readFile } from "node:fs/promises";
import { parseCsv } from "../support/rfc4180";
import { required, signIn } from "./support";

test("Export log downloads the period as an Excel-ready CSV, and the export is logged", async ({ page }) => {
  await signIn(page, "admin@contoso.example", { path: "/account/activity-log?status=failed" });
  const count = Number((await page.getByTestId("result-count").textContent())!.replace(/[^\d]/g, "").slice(0, 5));
  expect(count).toBeGreaterThan(0);

  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: /Export log/ }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(
    /^activity-log_commercial_contoso-partners_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}_failed_[0-9a-f]{6}\.csv$/,
  );
  const bytes = await readFile((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString("utf8");
  const [header] = text.split("\r\n");
  expect(header).toBe(
    "Date-Time (UTC),Affected customer,Customer ID,Action,Operation type,Resource type,Status,Partner user,Application,Correlation ID,Error code,Error message,Changes (old → new),Details",
  );
  // Every record is failed (the page's filter went with the link); rows end in CRLF.
  const records = text.split("\r\n").filter((line) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},/.test(line));
  expect(records.length).toBeGreaterThan(0);
  for (const line of records) expect(line).toContain(",Failed,");
  // A failure's code has its own column.
  const cells = parseCsv(text).slice(1);
  const exported = Number((await page.getByTestId("export-count").textContent())!.replace(/[^\d]/g, ""));
  expect(cells.length).toBe(exported);
  expect(cells.filter((c) => c[10] !== "").length).toBeGreaterThan(0);
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

/** An order's lines as the log holds them: its own lineItems, or Partner Center's index-suffixed pairs. */
function linesOf(record: { resourceNewValue: unknown; customizedData: unknown }): number {
  const items = (record.resourceNewValue as { lineItems?: unknown } | null)?.lineItems;
  const own = Array.isArray(items) ? items.filter((i) => typeof i === "object" && i !== null).length : 0;
  const pairs = Array.isArray(record.customizedData) ? (record.customizedData as Array<{ key?: unknown }>) : [];
  const indexes = new Set(
    pairs.map((p) => /^(?:OfferId|SubscriptionId|SubscriptionName|Quantity)-(\d+)$/.exec(String(p.key))?.[1]),
  );
  indexes.delete(undefined);
  return own + indexes.size;
}

for (const [locale, copy] of [
  ["en", { csv: /^Export log · ([\d,]+) rows/, lines: "Export line items", ndjson: "Export NDJSON" }],
  ["ko", { csv: /^로그 내보내기 · ([\d,]+)행/, lines: "주문 항목 내보내기", ndjson: "NDJSON 내보내기" }],
] as const) {
  test.describe(`exports in ${locale}`, () => {
    test.use({ locale: locale === "ko" ? "ko-KR" : "en-US" });

    test(`the buttons show the count, and the NDJSON and line-item files hold the same records (${locale})`, async ({
      page,
    }) => {
      await signIn(page, "admin@contoso.example", {
        path: "/account/activity-log?status=failed&action=create_order",
      });
      await expect(page.locator("html")).toHaveAttribute("lang", locale);
      const csvLink = page.getByTestId("export-csv");
      const label = (await csvLink.innerText()).replace(/\s+/g, " ").trim();
      const shown = copy.csv.exec(label);
      expect(shown, label).not.toBeNull();
      const count = Number(required(shown?.[1], `a count in "${label}"`).replace(/,/g, ""));
      expect(count).toBeGreaterThan(0);
      // The same count as the result line above the table.
      await expect(page.getByTestId("result-count")).toContainText(new Intl.NumberFormat(locale).format(count));

      const download = async (name: string) => {
        const [file] = await Promise.all([
          page.waitForEvent("download"),
          page.getByRole("link", { name: new RegExp(`^${name}`) }).click(),
        ]);
        return { name: file.suggestedFilename(), bytes: await readFile((await file.path())!) };
      };
      const base =
        /^activity-log_commercial_contoso-partners_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}_failed_create-order_[0-9a-f]{6}/;

      // NDJSON: one whole record per line, as many as the page counts, each parsing on its own.
      const ndjson = await download(copy.ndjson);
      expect(ndjson.name).toMatch(new RegExp(base.source + "\\.ndjson$"));
      const text = ndjson.bytes.toString("utf8");
      expect(text.endsWith("\n")).toBe(true);
      const records = text
        .slice(0, -1)
        .split("\n")
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(records).toHaveLength(count);
      for (const r of records) {
        expect(r).toMatchObject({ operationType: "create_order", operationStatus: "failed" });
        expect(Object.keys(r)).toEqual(
          expect.arrayContaining(["id", "occurredAt", "correlationId", "resourceNewValue"]),
        );
      }

      // Line items: one row per order line, as many as those records hold.
      const lineItems = await download(copy.lines);
      expect(lineItems.name).toMatch(new RegExp(base.source + "_line-items\\.csv$"));
      expect([...lineItems.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const [header, ...rows] = parseCsv(lineItems.bytes.subarray(3).toString("utf8"));
      expect(header).toEqual([
        "Date-Time (UTC)",
        "Affected customer",
        "Customer ID",
        "Order ID",
        "Line",
        "Subscription ID",
        "Offer",
        "Offer ID",
        "Quantity",
        "Term",
        "Billing cycle",
        "Partner user",
        "Status",
        "Correlation ID",
      ]);
      const expectedLines = records.reduce((sum, r) => sum + linesOf(r as never), 0);
      expect(expectedLines).toBeGreaterThan(0);
      expect(rows).toHaveLength(expectedLines);
      expect(new Set(rows.map((cells) => cells[13]))).toEqual(
        new Set(records.filter((r) => linesOf(r as never) > 0).map((r) => r.correlationId)),
      );
      for (const cells of rows) {
        expect(cells[12]).toBe("Failed");
        expect(cells[8]).toMatch(/^\d+$/);
      }
      // Terms and cycles in words, as the details read them.
      expect(rows.some((cells) => /^\d+ (month|year)s?$/.test(cells[9] ?? ""))).toBe(true);
      expect(rows.some((cells) => cells[10] === "Monthly" || cells[10] === "Annual")).toBe(true);

      // The log records each export with its format (written as the download ends: reload until it shows).
      await expect(async () => {
        await page.goto(`/account/activity-log?action=export_activity_log`);
        const first = page.getByTestId("activity-row").first();
        await first.getByRole("button", { name: locale === "ko" ? "세부 정보 표시" : "Show details" }).click();
        await expect(page.getByTestId("activity-details").getByTestId("log-access")).toContainText(
          locale === "ko" ? "주문 항목 (CSV" : "Line items (CSV",
          { timeout: 2000 },
        );
      }).toPass({ timeout: 15_000 });
    });
  });
}

test("NDJSON is gzipped when asked, and a bad export format is a 400 that names the parameter", async ({ page }) => {
  await signIn(page, "admin@contoso.example");
  await expect(page.getByTestId("header-tenant")).toBeVisible();
  // NDJSON is gzipped for a client that asks, like the CSV.
  const ndjson = await page.request.get("/api/activity-log/export?format=ndjson", {
    headers: { "accept-encoding": "gzip" },
  });
  expect(ndjson.headers()["content-type"]).toBe("text/x-ndjson; charset=utf-8");
  expect(ndjson.headers()["content-encoding"]).toBe("gzip");
  expect((await ndjson.text()).split("\n").length).toBeGreaterThan(1);
  const response = await page.request.get("/api/activity-log/export?format=xlsx");
  expect(response.status()).toBe(400);
  const body = await response.json();
  expect(body.error.details).toEqual([expect.objectContaining({ param: "format" })]);
  expect(body.error.message).toContain('"format"');
});
