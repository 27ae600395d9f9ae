import type { Sql, TransactionSql } from "postgres";
import { sealHash, type SealFields, type StoredSeal } from "@/lib/seal/canonical";
import { SEAL_COLUMNS_SQL, hashParts, toStoredSeal, type RawSealRow } from "./canonical-rows";
import { scopeMaintenanceSql } from "@/db/scope";
import { singleRow } from "@/db/single-row";
import type { Cloud } from "@/lib/domain";

/*
 * Sealing (npm run seal-log, hourly): for each tenant, every whole UTC hour of ingestion time
 * (`recorded_at`) that has ended, with its rows, gets a seal chained to the previous one, as
 * CloudTrail chains its digest files. Hours without rows are folded into the next seal (the
 * periods stay contiguous, so nothing can be slipped into a gap); a tenant idle for a day gets an
 * empty seal so that its idle time is closed too.
 *
 * Sealing never blocks ingestion: it reads in a REPEATABLE READ snapshot and writes only seals.
 * It seals only periods no open transaction can still write into:
 * - `recorded_at` defaults to now(), the inserting transaction's START, so a transaction that
 *   began before an hour ended can commit rows into that hour later. The horizon is therefore
 *   the earlier of (now - grace) and the start of the oldest transaction open in this database,
 *   read BEFORE the snapshot is taken: a transaction open then is excluded by the horizon, and one
 *   that starts after it has a later `recorded_at` than the horizon.
 * - The grace (5 minutes by default) covers clock and bookkeeping slack on top.
 * Reading other sessions' xact_start needs the same login role as the app (or pg_read_all_stats).
 *
 * Runs as the owner with app.maintenance on; one transaction per tenant, holding an advisory lock
 * so two sealers never race (the primary key (tenant_id, seq) would refuse the loser anyway).
 */

export const SEAL_PERIOD_MS = 3_600_000;
export const DEFAULT_SEAL_GRACE_MS = 5 * 60_000;
/** How long a tenant may stay idle before its idle time gets an empty seal. */
export const IDLE_SEAL_MS = 24 * SEAL_PERIOD_MS;

export interface SealOptions {
  sql: Sql;
  /** Only this tenant; all tenants when absent. */
  tenantId?: string;
  /** The current time (tests move it forward); the open-transaction bound still uses the database's clock. */
  now?: Date;
  graceMs?: number;
}

export interface TenantSealResult {
  tenantId: string;
  cloud: Cloud;
  /** New seals written by this run. */
  sealed: number;
  /** Rows those seals cover. */
  rows: number;
  /** Where the chain now ends (null: nothing sealed yet). */
  sealedUntil: Date | null;
  /** Another sealer held the tenant's lock; nothing was done for it. */
  busy: boolean;
}

export interface SealRunResult {
  horizon: Date;
  tenants: TenantSealResult[];
}

const floorToPeriod = (ms: number) => Math.floor(ms / SEAL_PERIOD_MS) * SEAL_PERIOD_MS;

/** The end of the newest period this run may seal. */
export async function sealHorizon(sql: Sql, now: Date, graceMs: number): Promise<Date> {
  const [row] = await sql<Array<{ oldest_ms: number | null }>>`
    select (extract(epoch from min(xact_start)) * 1000)::float8 as oldest_ms
    from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid()
      and backend_type = 'client backend' and xact_start is not null`;
  let limit = now.getTime() - graceMs;
  if (row?.oldest_ms !== null && row?.oldest_ms !== undefined) limit = Math.min(limit, Number(row.oldest_ms));
  return new Date(floorToPeriod(limit));
}

async function listTenants(sql: Sql, tenantId?: string): Promise<Array<{ id: string; cloud: Cloud }>> {
  return sql.begin(async (tx) => {
    await scopeMaintenanceSql(tx);
    return tenantId
      ? tx<Array<{ id: string; cloud: Cloud }>>`select id, cloud from partner_tenants where id = ${tenantId}`
      : tx<Array<{ id: string; cloud: Cloud }>>`select id, cloud from partner_tenants order by id`;
  }) as Promise<Array<{ id: string; cloud: Cloud }>>;
}

async function insertSeal(tx: TransactionSql, seal: SealFields & { hash: string }): Promise<void> {
  await tx`
    insert into activity_seals (tenant_id, cloud, seq, period_start, period_end, row_count, parts, prev_hash, hash)
    values (${seal.tenantId}, ${seal.cloud}, ${seal.seq}, ${seal.periodStart.toISOString()}::text::timestamptz,
            ${seal.periodEnd.toISOString()}::text::timestamptz, ${seal.rowCount}, ${JSON.stringify(seal.parts)}::text::jsonb,
            ${seal.prevHash}, ${seal.hash})`;
}

export async function sealTenant(
  sql: Sql,
  tenant: { id: string; cloud: Cloud },
  horizon: Date,
): Promise<TenantSealResult> {
  return (await sql.begin("isolation level repeatable read", async (tx) => {
    await scopeMaintenanceSql(tx);
    const result: TenantSealResult = {
      tenantId: tenant.id,
      cloud: tenant.cloud,
      sealed: 0,
      rows: 0,
      sealedUntil: null,
      busy: false,
    };
    const lock = singleRow(
      await tx<Array<{ ok: boolean }>>`
        select pg_try_advisory_xact_lock(hashtextextended(${`activity_seals:${tenant.id}`}, 0)) as ok`,
      "Taking the tenant's seal lock",
    );
    if (!lock.ok) return { ...result, busy: true };

    const [lastRow] = await tx.unsafe<RawSealRow[]>(
      `select ${SEAL_COLUMNS_SQL} from activity_seals where tenant_id = $1::uuid order by seq desc limit 1`,
      [tenant.id],
    );
    let prev: StoredSeal | null = lastRow ? toStoredSeal(lastRow) : null;
    result.sealedUntil = prev?.periodEnd ?? null;
    if (prev && prev.periodEnd.getTime() >= horizon.getTime()) return result;

    const hours = await tx<Array<{ hour_ms: number; rows: string }>>`
      select (extract(epoch from date_trunc('hour', recorded_at, 'UTC')) * 1000)::float8 as hour_ms, count(*)::int8 as rows
      from activity_records
      where tenant_id = ${tenant.id}
        and recorded_at >= ${prev ? prev.periodEnd.toISOString() : "-infinity"}::text::timestamptz
        and recorded_at < ${horizon.toISOString()}::text::timestamptz
      group by 1 order by 1`;

    const append = async (periodStart: Date, periodEnd: Date, lower: Date | null) => {
      const parts = await hashParts(tx as unknown as Sql, tenant.id, lower, periodEnd);
      const fields: SealFields = {
        tenantId: tenant.id,
        cloud: tenant.cloud,
        seq: (prev?.seq ?? 0) + 1,
        periodStart,
        periodEnd,
        rowCount: parts.reduce((n, p) => n + p.rows, 0),
        parts,
        prevHash: prev?.hash ?? null,
      };
      const seal: StoredSeal = { ...fields, hash: sealHash(fields), sealedAt: new Date() };
      await insertSeal(tx, seal);
      result.sealed += 1;
      result.rows += seal.rowCount;
      result.sealedUntil = periodEnd;
      prev = seal;
    };

    for (const hour of hours) {
      const hourStart = new Date(Number(hour.hour_ms));
      const periodEnd = new Date(hourStart.getTime() + SEAL_PERIOD_MS);
      // The first seal has no lower bound: nothing can hide before the chain starts.
      await append(prev ? prev.periodEnd : hourStart, periodEnd, prev ? prev.periodEnd : null);
    }
    // Every hour with rows is sealed by now, so whatever remains up to the horizon is empty.
    const last = prev as StoredSeal | null;
    if (last && horizon.getTime() - last.periodEnd.getTime() >= IDLE_SEAL_MS) {
      await append(last.periodEnd, horizon, last.periodEnd);
    }
    return result;
  })) as TenantSealResult;
}

/** Seals every tenant (or one) up to the horizon; each tenant in its own transaction. */
export async function sealLog(options: SealOptions): Promise<SealRunResult> {
  const { sql } = options;
  const horizon = await sealHorizon(sql, options.now ?? new Date(), options.graceMs ?? DEFAULT_SEAL_GRACE_MS);
  const tenants = await listTenants(sql, options.tenantId);
  const results: TenantSealResult[] = [];
  for (const tenant of tenants) results.push(await sealTenant(sql, tenant, horizon));
  return { horizon, tenants: results };
}
