import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { auditRecord, orderRecord } from "../support/partner-center-records";
import { CONTOSO_ID, signIn } from "./support";

/*
 * Partner Center records imported as Partner Center returns them, then read in the browser: an
 * order's line items from its index-suffixed customizedData, a change's old and new values from
 * their serialized strings, identical values said as such, and the verbatim record one click away;
 * in English and in Korean. Then the same records out of the compatible read API, by the session.
 */

const CONTOSO_KEY = "pal_demo_contoso_7c4e9a1f3b8d2e6a0f5c9b7d1e3a8f24";

const TEXT = {
  en: {
    showDetails: "Show details",
    lineItems: /Order line items \(4\)/,
    oldValue: "Old value",
    noChanges: "No field changes recorded",
    raw: "Partner Center record, as imported",
    rawLabel: "The Partner Center audit record exactly as it was imported",
    source: "Imported from Partner Center",
    declined: "Declined",
  },
  ko: {
    showDetails: "세부 정보 표시",
    lineItems: /주문 품목 \(4\)/,
    oldValue: "이전 값",
    noChanges: "기록된 필드 변경 사항이 없습니다",
    raw: "가져온 그대로의 파트너 센터 기록",
    rawLabel: "가져온 그대로의 파트너 센터 감사 기록",
    source: "파트너 센터에서 가져옴",
    declined: "거부됨",
  },
} as const;

async function importRecords(request: APIRequestContext, records: unknown[]) {
  const response = await request.post("/api/v1/partner-center/audit-records", {
    headers: { authorization: `Bearer ${CONTOSO_KEY}`, "content-type": "application/json" },
    // As a saved Partner Center response: the envelope, with a byte-order mark.
    data: Buffer.from(
      `\uFEFF${JSON.stringify({ totalCount: records.length, items: records, attributes: { objectType: "Collection" } })}`,
    ),
  });
  expect(response.status(), await response.text()).toBe(201);
}

const rowOf = (page: Page, name: string) => page.getByTestId("activity-row").filter({ hasText: name });

for (const [language, locale] of [
  ["en", "en-US"],
  ["ko", "ko-KR"],
] as const) {
  test.describe(`imported Partner Center records, ${language}`, () => {
    test.use({ locale });

    test("an order shows its line items, a change its fields, and the verbatim record", async ({ page, request }) => {
      const t = TEXT[language];
      const name = `Wingtip ${language} ${randomUUID().slice(0, 8)}`;
      const at = new Date(Date.now() - 5 * 60_000);
      const order = orderRecord(CONTOSO_ID, at, 4, { customerName: name });
      const change = auditRecord(CONTOSO_ID, new Date(at.getTime() - 60_000), {
        customerName: name,
        operationStatus: "decline",
      });
      const same = JSON.stringify({ Quantity: 5, Status: "Active" });
      const unchanged = auditRecord(CONTOSO_ID, new Date(at.getTime() - 120_000), {
        customerName: name,
        resourceOldValue: same,
        resourceNewValue: same,
      });
      await importRecords(request, [order, change, unchanged]);

      await signIn(page, "admin@contoso.example", {
        path: `/account/activity-log?customer=${encodeURIComponent(name)}`,
      });
      await expect(rowOf(page, name)).toHaveCount(3);
      await expect(rowOf(page, name).nth(1)).toContainText(t.declined);

      // The order: its four products from the index-suffixed keys.
      await rowOf(page, name).nth(0).getByRole("button", { name: t.showDetails }).click();
      let details = page.getByTestId("activity-details");
      await expect(details.getByRole("heading", { name: t.lineItems })).toBeVisible();
      await expect(details.getByTestId("line-item")).toHaveCount(4);
      await expect(details.getByTestId("line-item").first()).toContainText("Microsoft 365 Business Premium");
      await expect(details.getByTestId("line-item").nth(3)).toContainText("8");
      await expect(details).toContainText(t.source);
      await details.getByText(t.raw).click();
      const raw = details.getByLabel(t.rawLabel);
      await expect(raw).toContainText(String(order.operationDate)); // 7 fractional digits, as sent
      await expect(raw).toContainText('"SubscriptionName-3"');
      await expect(raw).toContainText(`"sessionId": "${String(order.sessionId)}"`);
      await rowOf(page, name).nth(0).getByRole("button", { name: t.showDetails }).click();

      // The license change: old and new, parsed from the serialized strings.
      await rowOf(page, name).nth(1).getByRole("button", { name: t.showDetails }).click();
      details = page.getByTestId("activity-details");
      await expect(details.getByRole("columnheader", { name: t.oldValue })).toBeVisible();
      const quantity = details.getByTestId("change-row").filter({ hasText: "Quantity" });
      await expect(quantity).toContainText("196");
      await expect(quantity).toContainText("188");
      await rowOf(page, name).nth(1).getByRole("button", { name: t.showDetails }).click();

      // Identical old and new values say so instead of an empty table.
      await rowOf(page, name).nth(2).getByRole("button", { name: t.showDetails }).click();
      details = page.getByTestId("activity-details");
      await expect(details.getByTestId("no-changes")).toContainText(t.noChanges);

      // The signed-in session may read the compatible API; the records come back as they went in.
      const response = await page.request.get(
        `/api/v1/auditrecords?${new URLSearchParams({
          startDate: new Date(at.getTime() - 180_000).toISOString(),
          endDate: new Date(at.getTime() + 1).toISOString(),
          filter: JSON.stringify({ Field: "CompanyName", Value: name, Operator: "equals" }),
        })}`,
      );
      expect(response.status()).toBe(200);
      const body = (await response.json()) as { items: unknown[] };
      expect(body.items).toEqual([unchanged, change, order].map((r) => JSON.parse(JSON.stringify(r))));
    });
  });
}
