import type { Sql } from "postgres";
import { scopeMaintenanceSql } from "../scope";
import type { Cloud } from "@/lib/domain";

/*
 * The demo's Partner Center: each demo tenant's customers, so the stand-in's records name
 * customers the portal knows, and a connection to the stand-in per tenant that has none yet, so
 * records arrive by themselves under `npm start` (its address follows the stand-in's port while the
 * demo's client id is kept). Seed data, not a user's change: no log record.
 */

export interface DemoPartner {
  tenantId: string;
  cloud: Cloud;
  customers: Array<{ id: string; name: string }>;
  users: string[];
}

export async function loadDemoPartners(
  sql: Sql,
  tenantIds: readonly string[],
  clouds: readonly Cloud[],
): Promise<DemoPartner[]> {
  return sql.begin(async (tx) => {
    await scopeMaintenanceSql(tx);
    const tenants = await tx<Array<{ id: string; cloud: Cloud }>>`
      select id, cloud from partner_tenants where id = any(${tenantIds as string[]}::uuid[]) and cloud = any(${clouds as Cloud[]})`;
    const out: DemoPartner[] = [];
    for (const t of tenants) {
      const customers = await tx<Array<{ id: string; name: string }>>`
        select id, company_name as name from customers where tenant_id = ${t.id} order by company_name limit 20`;
      const users = await tx<Array<{ upn: string }>>`
        select user_principal_name as upn from partner_users where tenant_id = ${t.id} order by user_principal_name`;
      out.push({ tenantId: t.id, cloud: t.cloud, customers, users: users.map((u) => u.upn) });
    }
    return out;
  });
}

export async function ensureDemoConnection(
  sql: Sql,
  partner: Pick<DemoPartner, "tenantId" | "cloud">,
  connection: { clientId: string; sealedSecret: string; baseUrl: string },
): Promise<boolean> {
  const rows = await sql.begin(async (tx) => {
    await scopeMaintenanceSql(tx);
    return tx`
      insert into partner_center_connections (tenant_id, cloud, client_id, client_secret, base_url, enabled)
      values (${partner.tenantId}, ${partner.cloud}, ${connection.clientId}, ${connection.sealedSecret}, ${connection.baseUrl}, true)
      on conflict (tenant_id) do update set base_url = excluded.base_url
        where partner_center_connections.client_id = excluded.client_id
      returning tenant_id`;
  });
  return rows.length > 0;
}
