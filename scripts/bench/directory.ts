import { CUSTOMER_NAMES } from "@/db/seed/demo-data";
import { domainOf } from "@/db/seed/seed-demo";
import { seededRandom, shuffled, stableUuid } from "@/db/seed/random";
import type { DatasetPlan, TenantPlan } from "./config";
import type { PartnerRole } from "@/lib/domain";

/*
 * The bench's partner directory: deterministic ids from the plan's seed, so a kept data set and
 * the run that reuses it agree on every tenant, customer and user without storing them.
 */

export interface BenchCustomer {
  id: string;
  companyName: string;
  domain: string;
}

export interface BenchUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  role: PartnerRole;
}

export interface BenchTenant extends Omit<TenantPlan, "role"> {
  role: TenantPlan["role"] | "ingest-api" | "ingest-raw";
  id: string;
  cloud: "commercial";
  customers: BenchCustomer[];
  users: BenchUser[];
}

const ROLES: Array<[string, PartnerRole]> = [
  ["admin", "global_admin"],
  ["agent", "admin_agent"],
  ["billing", "billing_admin"],
  ["sales", "sales_agent"],
  ["helpdesk", "helpdesk_agent"],
];

/** One tenant with its customers and users; `seed` and `tenant.key` decide every id. */
export function benchTenant(
  seed: number,
  customersPerTenant: number,
  tenant: Omit<BenchTenant, "id" | "cloud" | "customers" | "users">,
): BenchTenant {
  const id = stableUuid(seed, "bench-tenant", tenant.key);
  const random = seededRandom(Number.parseInt(id.slice(0, 8), 16));
  const customers = shuffled(random, CUSTOMER_NAMES)
    .slice(0, customersPerTenant)
    .map((companyName, i) => ({
      id: stableUuid(seed, id, "customer", i),
      companyName,
      domain: domainOf(companyName, i),
    }));
  const users = ROLES.map(([local, role]) => ({
    id: stableUuid(seed, id, "user", local),
    userPrincipalName: `${local}@${tenant.key}.bench.example`,
    displayName: `${local.charAt(0).toUpperCase()}${local.slice(1)} of ${tenant.name}`,
    role,
  }));
  return { ...tenant, id, cloud: "commercial", customers, users };
}

export function benchDirectory(plan: DatasetPlan): BenchTenant[] {
  return plan.tenants.map((tenant) => benchTenant(plan.seed, plan.customersPerTenant, tenant));
}

export function tenantOf(directory: BenchTenant[], role: TenantPlan["role"]): BenchTenant {
  const found = directory.find((t) => t.role === role);
  if (!found) throw new Error(`the bench directory has no ${role} tenant`);
  return found;
}

/** The user the export signs in as: a global admin of the tenant. */
export const adminOf = (tenant: BenchTenant): BenchUser => tenant.users.find((u) => u.role === "global_admin")!;
