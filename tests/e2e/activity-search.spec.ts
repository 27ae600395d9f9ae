import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import { CONTOSO_ID, e2eDatabaseUrl, expectNoSeriousViolations, required, signIn } from "./support";

/*
 * The search box, the attempted name of a failed "Add customer", and the records of one operation
 * (related records, the correlation filter, the outcome of an operation in progress), in English
 * and in Korean, against the demo data.
 */

let sql: postgres.Sql;
test.beforeAll(() => {
  sql = postgres(e2eDatabaseUrl(), { max: 1, onnotice: () => {} });
});
test.afterAll(async () => {
  await sql.end();
});

const rows = (page: Page) => page.getByTestId("activity-row");
const LOG = "/account/activity-log";
// Within the default month, and before today (other specs write records today).
const RECENT_SQL = "occurred_at >= now() - interval '25 days' and occurred_at < now() - interval '1 day'";
const recent = () => sql.unsafe(RECENT_SQL);

/** A customer with an accented Latin name, and a word of it as someone types it without accents. */
async function accentedCustomer() {
  const [row] = await sql<[{ name: string }]>`
    select customer_name as name from activity_records
    where tenant_id = ${CONTOSO_ID} and ${recent()} and customer_name ~ '[À-ž]' and customer_name ~ '^[A-Za-zÀ-ž]'
    group by customer_name order by customer_name limit 1`;
  expect(row, "the demo seed gives Contoso a customer with an accented Latin name").toBeTruthy();
  const word = required(row.name.split(/\s+/)[0], `a word of ${row.name}`);
  const typed = word
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[ŁłØøÆæ]/g, (c) => ({ Ł: "L", ł: "l", Ø: "O", ø: "o", Æ: "AE", æ: "ae" })[c]!)
    .toLowerCase();
  return { name: row.name, typed };
}

/** An order and its subscriptions and licences, recorded under one correlation id. */
async function orderChain() {
  const [row] = await sql<[{ correlation_id: string }]>`
    select correlation_id from activity_records where tenant_id = ${CONTOSO_ID} and ${recent()}
    group by correlation_id having count(*) = 4 and bool_or(operation_type = 'create_order')
    order by max(occurred_at) desc limit 1`;
  expect(row, "the demo seed holds order chains").toBeTruthy();
  return row.correlation_id;
}

/** Every row is about that customer: a link to it, or the name a failed "Add customer" tried. */
async function expectOnly(page: Page, name: string) {
  const cells = await rows(page).locator("td:nth-child(3)").allTextContents();
  expect(cells.length).toBeGreaterThan(0);
  for (const cell of cells) expect(cell.startsWith(name), cell).toBe(true);
  expect(await rows(page).locator("td:nth-child(3) a").allTextContents()).toContain(name);
}

async function search(page: Page, label: string, text: string) {
  await page.getByLabel(label, { exact: true }).fill(text);
  await page.getByLabel(label, { exact: true }).press("Enter");
  // This search's address, not the previous one's: a second search must not read the first's rows.
  await page.waitForURL((url) => url.searchParams.get("q") === text.trim());
  await expect(page.getByTestId("table-skeleton")).toHaveCount(0);
}

test.describe("in English", () => {
  test("the search box finds a customer typed without accents, in full width, and by its id", async ({ page }) => {
    const { name, typed } = await accentedCustomer();
    await signIn(page, "admin@contoso.example", { path: LOG });
    await expect(rows(page).first()).toBeVisible();
    await search(page, "Search", typed);
    await expect(rows(page).first()).toBeVisible();
    await expectOnly(page, name);

    // Full-width letters (as an IME types them) find the same records.
    const wide = [...typed].map((c) => (/[a-z]/.test(c) ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join("");
    await search(page, "Search", wide);
    await expect(rows(page).first()).toBeVisible();
    await expectOnly(page, name);

    // A correlation id finds its operation's records.
    const correlation = await orderChain();
    await search(page, "Search", correlation.toUpperCase());
    await expect(rows(page)).toHaveCount(4);
    await expectNoSeriousViolations(page);
  });

  test("a search that is too long is refused with a message, and the form still works", async ({ page }) => {
    await signIn(page, "admin@contoso.example", { path: `${LOG}?q=${"x".repeat(500)}` });
    await expect(page.getByTestId("param-errors")).toContainText('"Search" can be at most 200 characters long.');
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page.getByTestId("param-errors")).toHaveCount(0);
    await expect(rows(page).first()).toBeVisible();
  });

  test("a failed Add customer shows the name it tried, marked as not created", async ({ page }) => {
    const [attempt] = await sql<[{ name: string }]>`
      select d.resource_new_value->>'companyName' as name from activity_records r
      join activity_record_details d on d.tenant_id = r.tenant_id and d.occurred_at = r.occurred_at and d.record_id = r.id
      where r.tenant_id = ${CONTOSO_ID} and r.operation_type = 'add_customer' and r.operation_status = 'failed'
        and r.customer_id is null and r.occurred_at >= now() - interval '25 days'
      order by r.occurred_at desc limit 1`;
    expect(attempt, "the demo seed holds a failed Add customer").toBeTruthy();
    await signIn(page, "admin@contoso.example", { path: `${LOG}?action=add_customer&status=failed` });
    const cell = rows(page).first().getByTestId("attempted-customer");
    await expect(cell).toContainText(attempt.name);
    await expect(cell).toContainText("not created");
  });

  test("an expanded order lists its related records, which open the log filtered by the operation", async ({
    page,
    context,
  }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const correlation = await orderChain();
    await signIn(page, "admin@contoso.example", { path: `${LOG}?action=create_order&q=${correlation}` });
    await expect(rows(page)).toHaveCount(1);
    await rows(page).first().getByRole("button", { name: "Show details" }).click();
    const details = page.getByTestId("activity-details");
    const related = details.getByTestId("related-records");
    await expect(related.getByRole("heading", { name: "Related records" })).toBeVisible();
    await expect(related.getByTestId("related-record")).toHaveCount(3);
    await expect(related).toContainText("Updated subscription");

    // Copy the correlation id from the keyboard.
    const copy = details.getByRole("button", { name: "Copy Correlation ID" });
    await copy.focus();
    await page.keyboard.press("Enter");
    await expect(details).toContainText("Copied Correlation ID");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(correlation);
    await expectNoSeriousViolations(page);

    await related.getByTestId("related-open-all").click();
    await expect(page).toHaveURL(new RegExp(`correlation=${correlation}`));
    await expect(page.getByTestId("correlation-filter")).toContainText(correlation);
    await expect(rows(page)).toHaveCount(4);
    await page.getByTestId("correlation-filter").getByRole("link", { name: "Show all operations" }).click();
    await expect(page).not.toHaveURL(/correlation=/);
  });

  test("an operation in progress shows how it later ended", async ({ page }) => {
    const [chain] = await sql<[{ correlation_id: string; outcome: string }]>`
      select correlation_id, max(operation_status) filter (where operation_status <> 'progress') as outcome
      from activity_records where tenant_id = ${CONTOSO_ID} and ${recent()}
      group by correlation_id having count(*) = 2 and bool_or(operation_status = 'progress')
      order by max(occurred_at) desc limit 1`;
    expect(chain, "the demo seed holds operations in progress that resolve").toBeTruthy();
    await signIn(page, "admin@contoso.example", { path: `${LOG}?correlation=${chain.correlation_id}` });
    await expect(rows(page)).toHaveCount(2);
    const progress = rows(page).filter({ hasText: "In progress" });
    const later = chain.outcome === "succeeded" ? "Later succeeded" : "Later failed";
    await expect(progress.getByTestId("row-later-outcome")).toContainText(later);
    await progress.getByRole("button", { name: "Show details" }).click();
    await expect(page.getByTestId("later-outcome")).toContainText(`This operation ${later.toLowerCase()}`);
  });
});

test.describe("in Korean", () => {
  test.use({ locale: "ko-KR" });

  test("the search box, the attempted name and related records speak Korean", async ({ page }) => {
    const { name, typed } = await accentedCustomer();
    await signIn(page, "admin@contoso.example", { path: LOG });
    await expect(rows(page).first()).toBeVisible();
    await search(page, "검색", typed);
    await expect(rows(page).first()).toBeVisible();
    await expectOnly(page, name);
    await expect(page.getByTestId("chip-q")).toContainText(`검색: ${typed}`);

    await page.goto(`${LOG}?q=${"x".repeat(500)}`);
    await expect(page.getByTestId("param-errors")).toContainText("‘검색’: 최대 200자까지 입력할 수 있습니다.");

    await page.goto(`${LOG}?action=add_customer&status=failed`);
    await expect(rows(page).first().getByTestId("attempted-customer")).toContainText("생성되지 않음");

    const correlation = await orderChain();
    await page.goto(`${LOG}?action=create_order&q=${correlation}`);
    await rows(page).first().getByRole("button", { name: "세부 정보 표시" }).click();
    const related = page.getByTestId("related-records");
    await expect(related.getByRole("heading", { name: "관련 기록" })).toBeVisible();
    await expect(related.getByTestId("related-record")).toHaveCount(3);
    await expect(page.getByRole("button", { name: "상관 관계 ID 복사" })).toBeVisible();
    await expectNoSeriousViolations(page);
  });
});

test.describe("filters from a row, and chips", () => {
  test("an expanded row's action and status filter the log, and each chip removes its filter", async ({ page }) => {
    await signIn(page, "admin@contoso.example", { path: LOG });
    await expect(rows(page).first()).toBeVisible();
    await expect(page.getByTestId("active-filters")).toHaveCount(0);
    await rows(page).first().getByRole("button", { name: "Show details" }).click();
    const details = page.getByTestId("activity-details");
    const operationType = await details.locator("dd.font-mono").first().textContent();
    await details.getByRole("link", { name: "Show only this action" }).click();
    await expect(page).toHaveURL(new RegExp(`[?&]action=${operationType}(&|$)`));
    await expect(page.getByTestId("chip-action")).toBeVisible();

    await rows(page).first().getByRole("button", { name: "Show details" }).click();
    await page.getByTestId("activity-details").getByRole("link", { name: "Show only this status" }).click();
    await expect(page).toHaveURL(/[?&]status=/);
    await expect(page.getByTestId("chip-status")).toBeVisible();
    await expectNoSeriousViolations(page);

    // Removing one chip keeps the other filter.
    await page.getByTestId("chip-action").click();
    await expect(page).not.toHaveURL(/[?&]action=/);
    await expect(page).toHaveURL(/[?&]status=/);
    await expect(page.getByTestId("chip-action")).toHaveCount(0);
    await page.getByTestId("chip-status").click();
    await expect(page.getByTestId("active-filters")).toHaveCount(0);
  });
});
