import postgres from "postgres";
import { generateActivity } from "./activity-generator";
import {
  CUSTOMER_NAMES,
  DEFAULT_RECORDS_PER_TENANT,
  DEFAULT_SEED,
  DEFAULT_SPAN_DAYS,
  DEMO_API_KEYS,
  DEMO_TENANTS,
  type DemoTenant,
} from "./demo-data";
import { intBetween, seededRandom, shuffled, stableUuid } from "./random";
import { apiKeyDisplayPrefix, hashApiKey } from "@/lib/ingest/api-key-format";
import { scopeMaintenanceSql, setMaintenanceSession } from "@/db/scope";

export interface SeedOptions {
  seed?: number;
  /** The moment the six months of history end at; fixed in tests so two runs compare equal. */
  anchor?: Date;
  recordsPerTenant?: number;
  spanDays?: number;
  tenants?: readonly DemoTenant[];
  customersPerTenant?: number;
  log?: (line: string) => void;
}

export interface SeedSummary {
  tenants: number;
  customers: number;
  subscriptions: number;
  records: number;
}

/** A customer's made-up domain: its name in ASCII letters and digits, numbered to stay unique. */
export function domainOf(name: string, index: number): string {
  const ascii = name
    .normalize("NFKD")
    .replace(/[^a-zA-Z0-9]+/g, "")
    .toLowerCase()
    .slice(0, 20);
  return `${ascii || "customer"}${index}.example`;
}

/**
 * Loads the demo directory and its history. Runs as the owner with `app.maintenance` on, on its
 * own single connection, so the session-level setting never leaks into a pool.
 */
export async function seedDemo(databaseUrl: string, options: SeedOptions = {}): Promise<SeedSummary> {
  const seed = options.seed ?? DEFAULT_SEED;
  const anchor = options.anchor ?? new Date(Math.floor(Date.now() / 1000) * 1000);
  const perTenant = options.recordsPerTenant ?? DEFAULT_RECORDS_PER_TENANT;
  const spanDays = options.spanDays ?? DEFAULT_SPAN_DAYS;
  const tenants = options.tenants ?? DEMO_TENANTS;
  const customersPerTenant = options.customersPerTenant ?? 40;
  const log = options.log ?? (() => {});
  const from = new Date(anchor.getTime() - spanDays * 86_400_000);

  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const summary: SeedSummary = { tenants: 0, customers: 0, subscriptions: 0, records: 0 };
  try {
    await setMaintenanceSession(sql);
    await sql`select ensure_activity_partitions(${from.toISOString()}::timestamptz, ${anchor.toISOString()}::timestamptz)`;

    for (const [tenantIndex, tenant] of tenants.entries()) {
      const random = seededRandom(seed + tenantIndex * 7919);
      const customers = shuffled(random, CUSTOMER_NAMES)
        .slice(0, customersPerTenant)
        .map((companyName, i) => ({
          id: stableUuid(seed, tenant.id, "customer", i),
          tenantId: tenant.id,
          companyName,
          domain: domainOf(companyName, i),
          createdAt: new Date(anchor.getTime() - intBetween(random, 200, 900) * 86_400_000),
        }));
      let subscriptionCount = 0;
      await sql.begin(async (tx) => {
        await tx`insert into partner_tenants (id, cloud, name) values (${tenant.id}, ${tenant.cloud}, ${tenant.name})`;
        await tx`insert into partner_users ${tx(
          tenant.users.map((u) => ({
            id: stableUuid(tenant.id, "user", u.userPrincipalName),
            tenant_id: tenant.id,
            user_principal_name: u.userPrincipalName,
            display_name: u.displayName,
            role: u.role,
          })),
        )}`;
        await tx`insert into customers ${tx(
          customers.map((c) => ({
            id: c.id,
            tenant_id: c.tenantId,
            company_name: c.companyName,
            domain: c.domain,
            created_at: c.createdAt,
          })),
        )}`;
        const apiKeys = DEMO_API_KEYS.filter((k) => k.tenantId === tenant.id);
        if (apiKeys.length > 0) {
          await tx`insert into api_keys ${tx(
            apiKeys.map((k) => ({
              id: k.id,
              tenant_id: k.tenantId,
              name: k.name,
              key_prefix: apiKeyDisplayPrefix(k.key),
              key_hash: hashApiKey(k.key),
            })),
          )}`;
          // The demo keys may also read (the Partner Center–compatible API), so the README's examples work.
          await tx`update api_keys set scopes = '{ingest,read}' where id = any(${apiKeys.map((k) => k.id)}::uuid[])`;
        }
        await generateActivity(tx as unknown as postgres.Sql, {
          tenantId: tenant.id,
          cloud: tenant.cloud,
          count: perTenant,
          from,
          to: anchor,
          seed: seed + tenantIndex,
          customers,
          userPrincipalNames: tenant.users.map((u) => u.userPrincipalName),
          // Stored in the hour that has just ended: the first sealing run seals it at once.
          storedLastHour: true,
          // No order of a customer before its "Added customer" record (its "since" date).
          customersAddedFirst: true,
        });
        subscriptionCount = await directoryFromHistory(tx as unknown as postgres.Sql, tenant.id);
      });
      summary.tenants += 1;
      summary.customers += customers.length;
      summary.subscriptions += subscriptionCount;
      summary.records += perTenant;
      log(`seeded ${tenant.name}: ${customers.length} customers, ${perTenant.toLocaleString("en-US")} records`);
    }
    return summary;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * The directory tells the log's story: a customer is a customer since its "Added customer"
 * record (one added before the history keeps its older date), and its subscriptions are the
 * ones the log's successful orders created (same ids, offers, quantities and billing cycles, as
 * of the order) and the ones its subscription updates name, each as its latest update left it.
 */
async function directoryFromHistory(tx: postgres.Sql, tenantId: string): Promise<number> {
  await tx`
    update customers c set created_at = a.added_at
    from (select customer_id, min(occurred_at) as added_at from activity_records
          where tenant_id = ${tenantId} and operation_type = 'add_customer' and operation_status = 'succeeded'
            and customer_id is not null
          group by customer_id) a
    where c.tenant_id = ${tenantId} and c.id = a.customer_id`;
  const ordered = await tx`
    insert into subscriptions (id, customer_id, tenant_id, offer_name, quantity, status, billing_cycle, created_at)
    select distinct on ((li->>'subscriptionId')::uuid)
           (li->>'subscriptionId')::uuid, r.customer_id, r.tenant_id, li->>'offerName', (li->>'quantity')::int,
           'active', li->>'billingCycle', r.occurred_at
    from activity_records r
    join activity_record_details d on d.tenant_id = r.tenant_id and d.occurred_at = r.occurred_at and d.record_id = r.id
    cross join lateral jsonb_array_elements(d.resource_new_value->'lineItems') li
    where r.tenant_id = ${tenantId} and r.operation_type = 'create_order' and r.operation_status = 'succeeded'
      and r.customer_id is not null
    order by (li->>'subscriptionId')::uuid, r.occurred_at`;
  const updated = await tx`
    with latest as (
      select distinct on ((d.resource_new_value->>'subscriptionId')::uuid)
             (d.resource_new_value->>'subscriptionId')::uuid as id, r.customer_id, r.occurred_at,
             d.resource_new_value->>'offerName' as offer_name, (d.resource_new_value->>'quantity')::int as quantity
      from activity_records r
      join activity_record_details d on d.tenant_id = r.tenant_id and d.occurred_at = r.occurred_at and d.record_id = r.id
      where r.tenant_id = ${tenantId} and r.operation_type = 'update_subscription' and r.operation_status = 'succeeded'
        and r.customer_id is not null
      order by (d.resource_new_value->>'subscriptionId')::uuid, r.occurred_at desc
    ), changed as (
      update subscriptions s set quantity = latest.quantity
      from latest where s.tenant_id = ${tenantId} and s.id = latest.id
      returning s.id
    )
    -- A subscription only updated in the history was bought before it began: when its customer was added.
    insert into subscriptions (id, customer_id, tenant_id, offer_name, quantity, status, billing_cycle, created_at)
    select latest.id, latest.customer_id, ${tenantId}, latest.offer_name, latest.quantity, 'active',
           case when get_byte(decode(md5(latest.id::text), 'hex'), 0) % 2 = 0 then 'monthly' else 'annual' end,
           least(c.created_at, latest.occurred_at)
    from latest join customers c on c.id = latest.customer_id
    where not exists (select 1 from subscriptions s where s.tenant_id = ${tenantId} and s.id = latest.id)
    on conflict do nothing`;
  return ordered.count + updated.count;
}

/** True when the database holds no tenants yet (the trigger for loading demo data). */
export async function isEmpty(databaseUrl: string): Promise<boolean> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [{ n }] = await sql.begin(async (tx) => {
      await scopeMaintenanceSql(tx);
      return tx<[{ n: number }]>`select count(*)::int as n from partner_tenants`;
    });
    return n === 0;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
