import { randomUUID } from "node:crypto";
import type { Sql } from "postgres";
import { ensureUpcomingPartitions } from "./migrate";
import { scopeMaintenanceSql, setMaintenanceSession } from "@/db/scope";
import { leadingItems } from "@/lib/leading-items";

/*
 * Monthly partitions of the log: created ahead of time, and dropped whole when they fall out of the
 * retention period. Dropping a partition is the only way records ever leave the log; it is done by
 * the owner (never a request), and it leaves its own record in each affected tenant's log.
 */

export const LOG_TABLES = ["activity_records", "activity_record_details"] as const;

/** Default retention: seven years, in months. */
export const DEFAULT_RETENTION_MONTHS = 84;

export interface PartitionInfo {
  parent: (typeof LOG_TABLES)[number];
  name: string;
  from: Date;
  to: Date;
}

const BOUND = /FROM \('([^']+)'\) TO \('([^']+)'\)/;

export async function listPartitions(sql: Sql): Promise<PartitionInfo[]> {
  const rows = await sql<{ parent: string; name: string; bound: string }[]>`
    select p.relname as parent, c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound
    from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    join pg_class p on p.oid = i.inhparent
    where p.relname in ${sql(LOG_TABLES as unknown as string[])}
    order by p.relname, c.relname`;
  return rows.flatMap((r) => {
    const m = BOUND.exec(r.bound);
    if (!m) return []; // a DEFAULT partition, if someone attached one, is never dropped by age
    const [from, to] = leadingItems(m.slice(1), 2, `The bound of partition ${r.name}`);
    return [{ parent: r.parent as PartitionInfo["parent"], name: r.name, from: new Date(from), to: new Date(to) }];
  });
}

/** The first instant that is kept: the start of the UTC month `months` before `now`'s month. */
export function retentionCutoff(now: Date, months: number): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
}

export interface RetentionResult {
  cutoff: Date;
  dropped: string[];
  /** Records removed per tenant (each such tenant gets an `apply_log_retention` record). */
  removedByTenant: Map<string, number>;
}

/**
 * Drops every log partition that ends on or before the cutoff, in one transaction: counts what
 * each tenant loses, drops the partitions of both tables, and writes one `apply_log_retention`
 * record per affected tenant. Idempotency keys and per-day counts of the dropped period go too.
 */
export async function applyRetention(
  sql: Sql,
  { now = new Date(), months = DEFAULT_RETENTION_MONTHS } = {},
): Promise<RetentionResult> {
  if (!Number.isInteger(months) || months < 1)
    throw new RangeError("retention must be a whole number of months, at least 1");
  const cutoff = retentionCutoff(now, months);
  const old = (await listPartitions(sql)).filter((p) => p.to.getTime() <= cutoff.getTime());
  const result: RetentionResult = { cutoff, dropped: [], removedByTenant: new Map() };
  if (old.length === 0) return result;

  await sql.begin(async (tx) => {
    await scopeMaintenanceSql(tx, { retention: true });
    // The per-day counts first, as rebuild_activity_day_counts() takes them: the same lock order.
    await tx`lock table activity_day_counts in row exclusive mode`;
    await tx`lock table activity_user_day_counts in row exclusive mode`;
    await tx`lock table activity_customer_name_months in row exclusive mode`;
    const records = old.filter((p) => p.parent === "activity_records");
    for (const partition of records) {
      const counts = await tx<{ tenant_id: string; n: number }[]>`
        select tenant_id, count(*)::int as n from ${tx(partition.name)} group by tenant_id`;
      for (const { tenant_id, n } of counts)
        result.removedByTenant.set(tenant_id, (result.removedByTenant.get(tenant_id) ?? 0) + n);
    }
    for (const partition of old) {
      await tx`drop table ${tx(partition.name)}`;
      result.dropped.push(partition.name);
    }
    await tx`delete from activity_ingest_events where occurred_at < ${cutoff.toISOString()}::timestamptz`;
    // Dropping a table fires no trigger: the per-day counts of the dropped months go here (the
    // cutoff is a UTC month's first day, so no day is split).
    const cutoffDay = cutoff.toISOString().slice(0, 10);
    await tx`delete from activity_day_counts where day < ${cutoffDay}::date`;
    await tx`delete from activity_user_day_counts where day < ${cutoffDay}::date`;
    await tx`delete from activity_customer_name_months where month < ${cutoffDay}::date`;

    const droppedMonths = records.map((p) => p.from.toISOString().slice(0, 7)).sort();
    for (const [tenantId, removed] of result.removedByTenant) {
      // When the job ran (the cutoff's `now` can be another instant in tests).
      const at = new Date();
      const [row] = await tx<{ id: string }[]>`
        insert into activity_records (tenant_id, cloud, occurred_at, customer_id, customer_name, operation_type, resource_type,
                                      operation_status, user_principal_name, application_id, correlation_id)
        select ${tenantId}, t.cloud, ${at.toISOString()}::timestamptz, null, null, 'apply_log_retention', 'activity_log',
               'succeeded', 'system', 'Log retention job', ${randomUUID()}
        from partner_tenants t where t.id = ${tenantId}
        returning id`;
      if (!row) continue; // the tenant itself is gone; nothing to tell
      await tx`
        insert into activity_record_details (tenant_id, occurred_at, record_id, resource_old_value, resource_new_value, customized_data)
        values (${tenantId}, ${at.toISOString()}::timestamptz, ${row.id}, null, null,
                ${tx.json({ retentionMonths: months, cutoff: cutoff.toISOString(), droppedMonths, recordsRemoved: removed })})`;
    }
  });
  return result;
}

/** The job `npm start` runs and cron runs (`npm run maintain-log`): partitions ahead, then retention. */
export async function maintainLog(sql: Sql, options: { now?: Date; months?: number } = {}) {
  await setMaintenanceSession(sql);
  const created = await ensureUpcomingPartitions(sql, options.now);
  const retention = await applyRetention(sql, options);
  return { created, retention };
}

/**
 * Monthly partitions for [from, until), as the owner: a backfill brings records older than the
 * months kept ahead (Partner Center's 90 days on a new install).
 */
export async function ensurePartitionsBetween(sql: Sql, from: Date, until: Date): Promise<number> {
  const [{ created }] = await sql<[{ created: number }]>`
    select ensure_activity_partitions(${from.toISOString()}::timestamptz, ${until.toISOString()}::timestamptz) as created`;
  return created;
}
