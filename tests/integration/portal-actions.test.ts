import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { addCustomer, purchaseSubscription } from "@/db/mutations/customers";
import { recordLogAccess } from "@/db/mutations/log-access";
import * as schema from "@/db/schema";
import { DEMO_TENANTS } from "@/db/seed/demo-data";
import { seedDemo } from "@/db/seed/seed-demo";
import { parseActivityLogParams } from "@/lib/activity-log-params";
import { AppError } from "@/lib/errors";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import type { TenantContext } from "@/lib/domain";
import { at, firstRow } from "../support/present";

const contoso = at(DEMO_TENANTS, 0, "the Contoso demo tenant");
const fabrikam = at(DEMO_TENANTS, 1, "the Fabrikam demo tenant");
const ctx: TenantContext = {
  tenantId: contoso.id,
  cloud: "commercial",
  userId: "00000000-0000-4000-8000-000000000001",
  userPrincipalName: "admin@contoso.example",
  role: "global_admin",
};

async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

describe("portal actions write their activity record in the same transaction", () => {
  let db: TestDatabase;
  let client: postgres.Sql;
  let orm: Database;

  const counts = async () =>
    (
      await db.admin<Array<{ customers: number; subscriptions: number; records: number }>>`
        select (select count(*)::int from customers) as customers, (select count(*)::int from subscriptions) as subscriptions,
               (select count(*)::int from activity_records) as records`
    )[0];

  const recordRow = async (id: number) =>
    (
      await db.admin`
        select r.tenant_id, r.cloud, r.customer_id, r.customer_name, r.operation_type, r.resource_type, r.operation_status,
               r.user_principal_name, r.application_id, d.resource_new_value, d.customized_data,
               jsonb_typeof(coalesce(d.resource_new_value, d.customized_data)) as json_type
        from activity_records r
        left join activity_record_details d on d.tenant_id = r.tenant_id and d.occurred_at = r.occurred_at and d.record_id = r.id
        where r.id = ${id}`
    )[0];

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemo(db.url, { recordsPerTenant: 20, customersPerTenant: 3, tenants: [contoso, fabrikam] });
    client = postgres(db.url, { max: 2, onnotice: () => {} });
    orm = drizzle(client, { schema });
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it("Add customer stores the customer and an add_customer record by the signed-in user", async () => {
    const { customer, record } = await addCustomer({
      ctx,
      companyName: "  주식회사 새봄 ",
      domain: "Saebom.Example",
      db: orm,
    });
    expect(customer).toMatchObject({ tenantId: contoso.id, companyName: "주식회사 새봄", domain: "saebom.example" });
    expect(await recordRow(record.id)).toEqual({
      tenant_id: contoso.id,
      cloud: "commercial",
      customer_id: customer.id,
      customer_name: "주식회사 새봄",
      operation_type: "add_customer",
      resource_type: "customer",
      operation_status: "succeeded",
      user_principal_name: "admin@contoso.example",
      application_id: "Partner Center Web",
      resource_new_value: { customerId: customer.id, companyName: "주식회사 새봄", domain: "saebom.example" },
      customized_data: null,
      json_type: "object",
    });
  });

  it("validates input with a message per field and stores nothing", async () => {
    const before = await counts();
    const error = await appErrorOf(addCustomer({ ctx, companyName: "", domain: "not a domain", db: orm }));
    expect(error.code).toBe("bad_request");
    expect(error.details).toEqual({
      errors: [
        { field: "companyName", code: "company_name_required", message: "Enter the company name." },
        { field: "domain", code: "domain_invalid", message: "Enter a domain name such as contoso.example." },
      ],
    });
    expect(await counts()).toEqual(before);
  });

  it("rolls the customer back when its record cannot be written", async () => {
    const before = await counts();
    await db.admin`alter table activity_records add constraint test_refuse check (operation_type <> 'add_customer') not valid`;
    try {
      const error = await addCustomer({ ctx, companyName: "Never Stored Ltd", domain: "never.example", db: orm }).catch(
        (e: Error) => e,
      );
      expect(((error as Error).cause as Error).message).toMatch(/violates check constraint "test_refuse"/);
    } finally {
      await db.admin`alter table activity_records drop constraint test_refuse`;
    }
    expect(await counts()).toEqual(before);
  });

  it("Purchase subscription stores the subscription and a purchase_subscription record", async () => {
    const { id: customerId, company_name } = await firstRow(
      db.admin`select id, company_name from customers where tenant_id = ${contoso.id} limit 1`,
      "a Contoso customer",
    );
    const { subscription, record } = await purchaseSubscription({
      ctx,
      customerId,
      offerName: "Microsoft 365 E3",
      quantity: "25",
      billingCycle: "annual",
      db: orm,
    });
    expect(subscription).toMatchObject({
      customerId,
      tenantId: contoso.id,
      offerName: "Microsoft 365 E3",
      quantity: 25,
      status: "active",
      billingCycle: "annual",
    });
    expect(await recordRow(record.id)).toMatchObject({
      customer_id: customerId,
      customer_name: company_name,
      operation_type: "purchase_subscription",
      resource_type: "subscription",
      user_principal_name: "admin@contoso.example",
      application_id: "Partner Center Web",
      resource_new_value: {
        subscriptionId: subscription.id,
        offerName: "Microsoft 365 E3",
        quantity: 25,
        billingCycle: "annual",
        status: "active",
      },
    });
  });

  it("answers not_found for another tenant's customer or a malformed id, and 400 for bad input, storing nothing", async () => {
    const before = await counts();
    const { id: foreign } = await firstRow(
      db.admin`select id from customers where tenant_id = ${fabrikam.id} limit 1`,
      "a Fabrikam customer",
    );
    const { id: own } = await firstRow(
      db.admin`select id from customers where tenant_id = ${contoso.id} limit 1`,
      "a Contoso customer",
    );
    const input = { offerName: "Power BI Pro", quantity: 1, billingCycle: "monthly", db: orm };
    expect((await appErrorOf(purchaseSubscription({ ctx, customerId: foreign, ...input }))).code).toBe("not_found");
    expect((await appErrorOf(purchaseSubscription({ ctx, customerId: "nope", ...input }))).code).toBe("not_found");
    const bad = await appErrorOf(
      purchaseSubscription({ ctx, customerId: own, ...input, quantity: "1.5", billingCycle: "weekly" }),
    );
    expect(bad.code).toBe("bad_request");
    expect((bad.details as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toEqual([
      "quantity",
      "billingCycle",
    ]);
    expect(await counts()).toEqual(before);
  });

  it("records views and exports of the log in the tenant's own log", async () => {
    const parsed = parseActivityLogParams(
      { from: "2026-05-01", to: "2026-05-31", tz: "Asia/Seoul", customer: "한빛", status: "failed" },
      { now: new Date("2026-06-01T00:00:00Z") },
    );
    if (!parsed.ok) throw new Error("params");
    const view = await recordLogAccess({ ctx, kind: "view", params: parsed.value, rowCount: 25, db: orm });
    const exported = await recordLogAccess({ ctx, kind: "export", params: parsed.value, rowCount: 1234, db: orm });

    expect(await recordRow(view.id)).toMatchObject({
      tenant_id: contoso.id,
      operation_type: "view_activity_log",
      resource_type: "activity_log",
      user_principal_name: "admin@contoso.example",
      customer_id: null,
      customized_data: {
        range: {
          from: "2026-05-01",
          to: "2026-05-31",
          timeZone: "Asia/Seoul",
          start: "2026-04-30T15:00:00.000Z",
          end: "2026-05-31T15:00:00.000Z",
        },
        filters: { customer: "한빛", action: null, user: null, status: "failed" },
        rowCount: 25,
        pageSize: 25,
      },
    });
    expect(await recordRow(exported.id)).toMatchObject({
      operation_type: "export_activity_log",
      customized_data: { rowCount: 1234, filters: { customer: "한빛", status: "failed" } },
    });
    // Only Contoso's log holds them.
    const { n } = await firstRow(
      db.admin`
      select count(*)::int as n from activity_records where operation_type in ('view_activity_log', 'export_activity_log') and tenant_id <> ${contoso.id}`,
      "the count of other tenants' log records",
    );
    expect(n).toBe(0);
  });
});
