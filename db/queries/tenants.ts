import type { Sql } from "postgres";
import { scopeMaintenanceSql } from "../scope";
import type { Cloud } from "@/lib/domain";

/** A partner tenant by id, for operators' scripts (as the owner, before any tenant is scoped). */
export async function findTenant(sql: Sql, id: string): Promise<{ id: string; cloud: Cloud; name: string } | null> {
  const rows = await sql.begin(async (tx) => {
    await scopeMaintenanceSql(tx);
    return tx<Array<{ id: string; cloud: Cloud; name: string }>>`
      select id, cloud, name from partner_tenants where id = ${id}`;
  });
  return rows[0] ?? null;
}
