import { randomUUID } from "node:crypto";
import type postgres from "postgres";
import { scopeMaintenanceSql, type TenantScope } from "@/db/scope";
import type { Cloud } from "@/lib/domain";

/*
 * The integration tests' shared fixtures: partner tenants, and single records written as the
 * table's owner (maintenance scope), with a details row when the record has details. Bulk history
 * comes from the demo generator (db/seed/activity-generator.ts), not from here.
 */

export type TenantFixture = TenantScope & { name?: string };

export async function addTenants(admin: postgres.Sql, tenants: readonly TenantFixture[]): Promise<void> {
  if (tenants.length === 0) return;
  await admin`insert into partner_tenants ${admin(
    tenants.map((t, i) => ({ id: t.tenantId, cloud: t.cloud, name: t.name ?? `Test tenant ${i + 1}` })),
  )}`;
}

/** A partner tenant of its own for one test. */
export async function createTenant(admin: postgres.Sql, cloud: Cloud, name = "Test tenant"): Promise<TenantScope> {
  const scope = { tenantId: randomUUID(), cloud };
  await addTenants(admin, [{ ...scope, name }]);
  return scope;
}

export interface RecordFixture {
  tenant: TenantScope;
  occurredAt: Date | string;
  /** When the log stored it; the database's now() when left out. */
  recordedAt?: Date;
  customerId?: string | null;
  customerName?: string | null;
  operationType?: string;
  resourceType?: string;
  status?: string;
  user?: string;
  applicationId?: string;
  correlationId?: string;
  oldValue?: unknown;
  newValue?: unknown;
  customizedData?: unknown;
}

const json = (admin: postgres.Sql, value: unknown) =>
  value === undefined || value === null ? null : admin.json(value as postgres.JSONValue);

/** One record (and its details row when it has details); answers its id. */
export async function insertRecord(admin: postgres.Sql, row: RecordFixture): Promise<number> {
  const occurredAt = new Date(row.occurredAt).toISOString();
  const hasDetails = [row.oldValue, row.newValue, row.customizedData].some((v) => v !== undefined && v !== null);
  return admin.begin(async (tx) => {
    await scopeMaintenanceSql(tx);
    const [{ id }] = await tx<[{ id: number }]>`
      insert into activity_records (tenant_id, cloud, occurred_at, recorded_at, customer_id, customer_name, operation_type,
                                    resource_type, operation_status, user_principal_name, application_id, correlation_id)
      values (${row.tenant.tenantId}, ${row.tenant.cloud}, ${occurredAt}::timestamptz,
              coalesce(${row.recordedAt?.toISOString() ?? null}::timestamptz, now()), ${row.customerId ?? null},
              ${row.customerName ?? null}, ${row.operationType ?? "create_order"}, ${row.resourceType ?? "order"},
              ${row.status ?? "succeeded"}, ${row.user ?? "agent@contoso.example"},
              ${row.applicationId ?? "Partner Center Web"}, ${row.correlationId ?? randomUUID()})
      returning id::int`;
    if (hasDetails) {
      await tx`
        insert into activity_record_details (tenant_id, occurred_at, record_id, resource_old_value, resource_new_value, customized_data)
        values (${row.tenant.tenantId}, ${occurredAt}::timestamptz, ${id}, ${json(admin, row.oldValue)},
                ${json(admin, row.newValue)}, ${json(admin, row.customizedData)})`;
    }
    return id;
  }) as Promise<number>;
}
