import postgres from "postgres";
import { generateActivity } from "./activity-generator";
import {
  CUSTOMER_NAMES,
  DEFAULT_RECORDS_PER_TENANT,
  DEFAULT_SEED,
  DEFAULT_SPAN_DAYS,
  DEMO_API_KEYS,
  DEMO_TENANTS,
  OFFERS,
  type DemoTenant,
} from "./demo-data";
import { intBetween, pick, seededRandom, shuffled, stableUuid } from "./random";
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
      const subscriptions = customers.flatMap((customer, ci) =>
        Array.from({ length: intBetween(random, 1, 6) }, (_, si) => ({
          id: stableUuid(seed, tenant.id, "subscription", ci, si),
          customerId: customer.id,
          tenantId: tenant.id,
          offerName: pick(random, OFFERS),
          quantity: intBetween(random, 1, 500),
          status: pick(random, ["active", "active", "active", "active", "suspended", "expired"]),
          billingCycle: pick(random, ["monthly", "annual"]),
          createdAt: new Date(customer.createdAt.getTime() + intBetween(random, 0, 150) * 86_400_000),
        })),
      );

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
        await tx`insert into subscriptions ${tx(
          subscriptions.map((s) => ({
            id: s.id,
            customer_id: s.customerId,
            tenant_id: s.tenantId,
            offer_name: s.offerName,
            quantity: s.quantity,
            status: s.status,
            billing_cycle: s.billingCycle,
            created_at: s.createdAt,
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
          // The history arrived as it happened: its past hours are sealed by the first sealing run.
          arrivedWhenOccurred: true,
        });
      });
      summary.tenants += 1;
      summary.customers += customers.length;
      summary.subscriptions += subscriptions.length;
      summary.records += perTenant;
      log(`seeded ${tenant.name}: ${customers.length} customers, ${perTenant.toLocaleString("en-US")} records`);
    }
    return summary;
  } finally {
    await sql.end({ timeout: 5 });
  }
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
