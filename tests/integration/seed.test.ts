import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "@/db/seed/seed-demo";
import { firstRow } from "../support/present";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

const anchor = new Date("2026-11-01T12:00:00Z");

async function fingerprint(db: TestDatabase) {
  return firstRow(
    db.admin`
    select
      (select count(*)::int from partner_tenants) as tenants,
      (select count(*)::int from partner_users) as users,
      (select count(*)::int from customers) as customers,
      (select count(*)::int from subscriptions) as subscriptions,
      (select count(*)::int from activity_records) as records,
      (select count(*)::int from activity_record_details) as details,
      (select md5(string_agg(concat_ws('|', id, tenant_id, company_name, domain), ',' order by id)) from customers) as customers_sum,
      (select md5(string_agg(concat_ws('|', tenant_id, occurred_at, id, customer_id, customer_name, operation_type, resource_type,
                                       operation_status, user_principal_name, application_id, correlation_id), ',' order by tenant_id, occurred_at, id))
         from activity_records) as records_sum,
      (select md5(string_agg(concat_ws('|', record_id, resource_old_value, resource_new_value, customized_data), ',' order by tenant_id, occurred_at, record_id))
         from activity_record_details) as details_sum`,
    "the seeded database's fingerprint row",
  );
}

describe("demo seed", () => {
  let first: TestDatabase;
  let second: TestDatabase;
  let third: TestDatabase;

  beforeAll(async () => {
    [first, second, third] = await Promise.all([createTestDatabase(), createTestDatabase(), createTestDatabase()]);
    await seedDemo(first.url, { seed: 7, anchor, recordsPerTenant: 3000 });
    await seedDemo(second.url, { seed: 7, anchor, recordsPerTenant: 3000 });
    await seedDemo(third.url, { seed: 8, anchor, recordsPerTenant: 3000 });
  });

  afterAll(async () => {
    await Promise.all([first?.drop(), second?.drop(), third?.drop()]);
  });

  it("gives the same counts and checksums for the same seed", async () => {
    const [a, b] = await Promise.all([fingerprint(first), fingerprint(second)]);
    expect(a.records).toBe(9000);
    expect(a.details).toBe(9000);
    expect(a.tenants).toBe(3);
    expect(a.customers).toBe(120);
    expect(b).toEqual(a);
  });

  it("gives different rows for another seed", async () => {
    const [a, c] = await Promise.all([fingerprint(first), fingerprint(third)]);
    expect(c.records).toBe(a.records);
    expect(c.records_sum).not.toBe(a.records_sum);
    expect(c.details_sum).not.toBe(a.details_sum);
  });

  it("covers the shapes the product has to show", async () => {
    const shape = await firstRow(
      first.admin`
      select
        (select count(*)::int from activity_records where customer_id is null and operation_type = 'add_customer' and operation_status = 'failed') as failed_adds,
        (select count(*)::int from activity_records where customer_id is null and operation_type <> 'add_customer') as other_nulls,
        (select max(jsonb_array_length(resource_new_value->'lineItems'))::int from activity_record_details) as max_items,
        (select count(*)::int from activity_record_details where jsonb_array_length(resource_new_value->'lineItems') between 25 and 60) as big_orders,
        (select count(*)::int from activity_record_details where resource_old_value ? 'assignedLicenses' and resource_new_value ? 'assignedLicenses') as license_changes,
        (select count(distinct operation_status)::int from activity_records) as statuses,
        (select round(avg((operation_status = 'succeeded')::int), 2)::float from activity_records) as success_share,
        (select count(*)::int from customers where company_name ~ '[가-힣]') as korean,
        (select count(*)::int from customers where company_name like '%,%' or company_name like '%"%') as punctuated,
        (select min(occurred_at) from activity_records) as oldest,
        (select max(occurred_at) from activity_records) as newest`,
      "the seeded data's shape row",
    );
    expect(shape.failed_adds).toBeGreaterThan(0);
    expect(shape.other_nulls).toBe(0);
    expect(shape.max_items).toBe(60);
    expect(shape.big_orders).toBeGreaterThan(0);
    expect(shape.license_changes).toBeGreaterThan(0);
    expect(shape.statuses).toBe(3);
    expect(shape.success_share).toBeGreaterThan(0.8);
    expect(shape.korean).toBeGreaterThan(0);
    expect(shape.punctuated).toBeGreaterThan(0);
    expect(new Date(shape.newest).getTime()).toBeLessThanOrEqual(anchor.getTime());
    expect(anchor.getTime() - new Date(shape.oldest).getTime()).toBeGreaterThan(170 * 86_400_000);
  });
});
