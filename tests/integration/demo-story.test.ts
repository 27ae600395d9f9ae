import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "@/db/seed/seed-demo";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { firstRow } from "../support/present";

/* The demo's directory and its log tell one story. */
describe("demo data", () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemo(db.url, { seed: 7, anchor: new Date("2026-11-01T12:00:00Z"), recordsPerTenant: 3000 });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("dates each customer by its one 'Added customer' record", async () => {
    const rows = await db.admin`
      select c.id, c.created_at, count(r.id)::int as adds, min(r.occurred_at) as added_at
      from customers c
      left join activity_records r on r.tenant_id = c.tenant_id and r.customer_id = c.id
        and r.operation_type = 'add_customer' and r.operation_status = 'succeeded'
      group by c.id, c.created_at`;
    expect(rows.length).toBeGreaterThan(0);
    const added = rows.filter((r) => r.adds > 0);
    expect(added.length).toBeGreaterThan(0);
    for (const r of added) {
      expect(r.adds).toBe(1);
      expect((r.created_at as Date).toISOString()).toBe((r.added_at as Date).toISOString());
    }
  });

  it("adds every customer before anything else happens to it: no order comes before its 'Added customer'", async () => {
    const rows = await db.admin`
      select c.id, c.created_at,
        (select min(r.occurred_at) from activity_records r
          where r.tenant_id = c.tenant_id and r.customer_id = c.id
            and not (r.operation_type = 'add_customer' and r.operation_status = 'succeeded')) as first_other,
        (select count(*)::int from activity_records r
          where r.tenant_id = c.tenant_id and r.customer_id = c.id
            and r.operation_type = 'add_customer' and r.operation_status = 'succeeded') as adds
      from customers c`;
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.adds, String(r.id)).toBe(1);
      if (r.first_other) expect((r.first_other as Date) > (r.created_at as Date), String(r.id)).toBe(true);
    }
  });

  it("lists as subscriptions what the successful orders created: same ids, offers and customers", async () => {
    const check = await firstRow(
      db.admin`
      with lines as (
        select r.customer_id, (li->>'subscriptionId')::uuid as id, li->>'offerName' as offer, r.occurred_at
        from activity_records r
        join activity_record_details d on d.tenant_id = r.tenant_id and d.occurred_at = r.occurred_at and d.record_id = r.id
        cross join lateral jsonb_array_elements(d.resource_new_value->'lineItems') li
        where r.operation_type = 'create_order' and r.operation_status = 'succeeded' and r.customer_id is not null
      )
      select
        (select count(*)::int from lines) as lines,
        (select count(*)::int from lines l left join subscriptions s on s.id = l.id
          where s.id is null or s.offer_name <> l.offer or s.customer_id <> l.customer_id or s.created_at <> l.occurred_at) as mismatched`,
      "the check of orders against subscriptions",
    );
    expect(check.lines).toBeGreaterThan(0);
    expect(check.mismatched).toBe(0);
  });

  it("never gives one subscription id two offers, in the log or in the directory", async () => {
    const check = await firstRow(
      db.admin`
      with named as (
        select (d.resource_new_value->>'subscriptionId')::uuid as id, d.resource_new_value->>'offerName' as offer
        from activity_record_details d where d.resource_new_value ? 'subscriptionId' and d.resource_new_value ? 'offerName'
        union all
        select (d.resource_old_value->>'subscriptionId')::uuid, d.resource_old_value->>'offerName'
        from activity_record_details d where d.resource_old_value ? 'subscriptionId' and d.resource_old_value ? 'offerName'
        union all
        select (li->>'subscriptionId')::uuid, li->>'offerName'
        from activity_record_details d cross join lateral jsonb_array_elements(d.resource_new_value->'lineItems') li
        where jsonb_typeof(d.resource_new_value->'lineItems') = 'array'
        union all
        select id, offer_name from subscriptions
      )
      select count(*)::int as ids, count(*) filter (where offers > 1)::int as with_two
      from (select id, count(distinct offer) as offers from named group by id) x`,
      "the check of offers per subscription id",
    );
    expect(check.ids).toBeGreaterThan(0);
    expect(check.with_two).toBe(0);
  });

  it("has every subscription an update names in the directory", async () => {
    const check = await firstRow(
      db.admin`
      select count(*)::int as missing from activity_records r
      join activity_record_details d on d.tenant_id = r.tenant_id and d.occurred_at = r.occurred_at and d.record_id = r.id
      where r.operation_type = 'update_subscription' and r.operation_status = 'succeeded' and r.customer_id is not null
        and not exists (select 1 from subscriptions s where s.id = (d.resource_new_value->>'subscriptionId')::uuid)`,
      "the check of updated subscriptions",
    );
    expect(check.missing).toBe(0);
  });
});
