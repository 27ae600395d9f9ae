import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import { CONTOSO_ID, e2eDatabaseUrl, expectNoSeriousViolations, firstRow, signIn } from "./support";

/*
 * A record's details read without knowing the JSON behind them, in English and Korean: field
 * labels, terms in words, a change as what changed (with the difference), a failure explained by
 * its code, a view of the log as its period and filters, and a Raw JSON that copies the whole record.
 */

let sql: postgres.Sql;
test.beforeAll(() => {
  sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
});
test.afterAll(async () => {
  await sql.end();
});

const LOG = "/account/activity-log";
const day = (d: Date) => d.toISOString().slice(0, 10);
const rowAt = (page: Page, at: Date) =>
  page.getByTestId("activity-row").filter({ has: page.locator(`time[datetime="${at.toISOString()}"]`) });

const TEXT = {
  en: {
    showDetails: "Show details",
    quantity: "Quantity",
    offer: "Offer",
    allFields: "All fields",
    onlyChanged: "Only what changed",
    year: /^(1 month|1 year|3 years)$/,
    failure: "Another customer already uses this domain. Choose a different domain.",
    code: "Error code DomainAlreadyExists",
    period: "Period",
    noFilters: "None",
    statusFailed: "Status: Failed",
    notOrders: "All actions but: Created order",
    rawSummary: "Raw JSON",
    copy: "Copy JSON",
    copied: "Copied",
    totalQuantity: /Total quantity: [\d,]+/,
  },
  ko: {
    showDetails: "세부 정보 표시",
    quantity: "수량",
    offer: "제품",
    allFields: "모든 필드",
    onlyChanged: "변경된 항목만",
    year: /^(1개월|1년|3년)$/,
    failure: "다른 고객이 이미 이 도메인을 사용하고 있습니다. 다른 도메인을 선택하세요.",
    code: "오류 코드 DomainAlreadyExists",
    period: "기간",
    noFilters: "없음",
    statusFailed: "상태: 실패",
    notOrders: "제외한 작업: 주문 생성",
    rawSummary: "원본 JSON",
    copy: "JSON 복사",
    copied: "복사됨",
    totalQuantity: /총 수량: [\d,]+/,
  },
} as const;

/** A record of the demo tenant, by its kind, with its details row. */
async function findRecord(where: postgres.PendingQuery<postgres.Row[]>) {
  const row = await firstRow(
    sql`
    select r.id, r.occurred_at, r.operation_type, r.correlation_id, d.resource_old_value, d.resource_new_value, d.customized_data
    from activity_records r
    join activity_record_details d on d.tenant_id = r.tenant_id and d.occurred_at = r.occurred_at and d.record_id = r.id
    where r.tenant_id = ${CONTOSO_ID} and ${where}
    order by r.occurred_at desc limit 1`,
    "a Contoso record of that kind",
  );
  expect(row, "the demo seed holds such a record").toBeTruthy();
  return row;
}

async function expand(page: Page, at: Date, operationType: string, showDetails: string) {
  await page.goto(`${LOG}?from=${day(at)}&to=${day(at)}&action=${operationType}&size=100`);
  const row = rowAt(page, at);
  await row.getByRole("button", { name: showDetails }).click();
  const details = page.getByTestId("activity-details");
  await expect(details).toBeVisible();
  return details;
}

for (const locale of ["en", "ko"] as const) {
  const t = TEXT[locale];
  test.describe(`in ${locale}`, () => {
    test.beforeEach(async ({ page, baseURL, context }) => {
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL! });
      await page.context().addCookies([{ name: "NEXT_LOCALE", value: locale, url: baseURL! }]);
      await signIn(page, "admin@contoso.example");
      await expect(page.getByTestId("header-tenant")).toBeVisible();
    });

    test("a change shows what changed, with the difference, and every field on request", async ({ page }) => {
      const record = await findRecord(sql`r.operation_type = 'update_subscription'
        and (d.resource_old_value->>'quantity')::int <> (d.resource_new_value->>'quantity')::int
        and d.resource_old_value->'autoRenewEnabled' = d.resource_new_value->'autoRenewEnabled'`);
      const details = await expand(page, record.occurred_at, "update_subscription", t.showDetails);
      const before = record.resource_old_value.quantity as number;
      const after = record.resource_new_value.quantity as number;
      const diff = after - before;
      const quantity = details.getByTestId("change-row").filter({ hasText: t.quantity });
      await expect(quantity).toContainText(new Intl.NumberFormat(locale).format(before));
      await expect(quantity.getByTestId("delta")).toHaveText(`(${diff > 0 ? "+" : "\u2212"}${Math.abs(diff)})`);
      // Only what changed by default: the offer did not, so it is not listed until asked for.
      await expect(details.getByTestId("change-row").filter({ hasText: t.offer })).toHaveCount(0);
      await expect(details.getByRole("table")).not.toContainText("offerName");
      await details.getByRole("button", { name: t.allFields }).click();
      await expect(details.getByTestId("change-row").filter({ hasText: t.offer })).toHaveCount(1);
      await expect(details.getByRole("button", { name: t.onlyChanged })).toHaveAttribute("aria-pressed", "true");
      await expectNoSeriousViolations(page);
    });

    test("a failure is explained by its code", async ({ page }) => {
      const record = await findRecord(
        sql`r.operation_status = 'failed' and d.customized_data->>'errorCode' = 'DomainAlreadyExists'`,
      );
      const details = await expand(page, record.occurred_at, record.operation_type, t.showDetails);
      const failure = details.getByTestId("failure");
      await expect(failure).toContainText(t.failure);
      await expect(failure).toContainText(t.code);
    });

    test("an order reads its terms in words and its total quantity; Raw JSON copies the whole record", async ({
      page,
    }) => {
      const record = await findRecord(
        sql`r.operation_type = 'create_order' and jsonb_array_length(d.resource_new_value->'lineItems') between 2 and 10`,
      );
      const details = await expand(page, record.occurred_at, "create_order", t.showDetails);
      const items = record.resource_new_value.lineItems as Array<{ quantity: number }>;
      const total = items.reduce((sum, i) => sum + i.quantity, 0);
      await expect(details.getByTestId("total-quantity")).toContainText(new Intl.NumberFormat(locale).format(total));
      await expect(details.getByTestId("total-quantity")).toContainText(t.totalQuantity);
      await expect(details.getByTestId("line-item").first().locator("td").nth(3)).toHaveText(t.year);
      for (const text of await details.getByTestId("line-item").allInnerTexts())
        expect(text).not.toMatch(/\bP\d+[MY]\b/);

      await details.getByText(t.rawSummary, { exact: true }).click();
      const copy = details.getByRole("button", { name: t.copy });
      await copy.click();
      await expect(details.getByRole("button", { name: t.copied })).toBeVisible();
      const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
      expect(copied).toMatchObject({
        id: Number(record.id),
        occurredAt: (record.occurred_at as Date).toISOString(),
        operationType: "create_order",
        correlationId: record.correlation_id,
        userPrincipalName: expect.any(String),
        customerId: expect.any(String),
        resourceNewValue: { orderId: record.resource_new_value.orderId },
      });
      // "Copied" is a moment's confirmation: the button reads "Copy JSON" again.
      await expect(details.getByRole("button", { name: t.copy })).toBeVisible({ timeout: 5000 });
    });

    test("a view of the log reads as its period and filters", async ({ page }) => {
      // This page view itself is recorded: open the log with a filter, then read that record.
      await page.goto(`${LOG}?status=failed&action=create_order&actionMode=exclude`);
      await expect(page.getByTestId("activity-row").first()).toBeVisible();
      const record = await findRecord(
        sql`r.operation_type = 'view_activity_log' and d.customized_data->'filters'->>'status' = 'failed'
            and d.customized_data->'filters'->'excludeActions' = 'true'::jsonb`,
      );
      const details = await expand(page, record.occurred_at, "view_activity_log", t.showDetails);
      const access = details.getByTestId("log-access");
      await expect(access).toContainText(t.period);
      await expect(access).toContainText(t.statusFailed);
      await expect(access).toContainText(t.notOrders);
      await expect(access).not.toContainText('"status"');
      await expectNoSeriousViolations(page);
    });
  });
}

test("an unknown operation type is marked as such", async ({ page }) => {
  const at = new Date(Date.now() - 60_000);
  at.setUTCMilliseconds(0);
  const { id } = await firstRow(
    sql`
    insert into activity_records (tenant_id, cloud, occurred_at, operation_type, resource_type, operation_status,
      user_principal_name, application_id, correlation_id)
    values (${CONTOSO_ID}, 'commercial', ${at.toISOString()}::timestamptz, 'frobnicate_widget', 'widget', 'succeeded',
      'admin@contoso.example', 'e2e', gen_random_uuid())
    returning id`,
    "the inserted record",
  );
  expect(id).toBeTruthy();
  await signIn(page, "admin@contoso.example");
  await expect(page.getByTestId("header-tenant")).toBeVisible();
  const details = await expand(page, at, "frobnicate_widget", "Show details");
  await expect(details.getByTestId("unknown-operation")).toContainText("Not a known operation type");
  await expect(details.getByTestId("unknown-operation")).toContainText("frobnicate_widget");
});
