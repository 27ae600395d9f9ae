import type { Sql } from "postgres";
import { getSql } from "@/db/client";
import { singleRow } from "@/db/single-row";
import { loadPartitionRanges, type PartitionRange } from "@/db/queries/partitions";
import { monthBounds, sealHash, type StoredSeal } from "@/lib/seal/canonical";
import {
  SEAL_COLUMNS_SQL,
  hashPeriodParts,
  periodMonthCounts,
  sealPartKey,
  toStoredSeal,
  type RawSealRow,
  type SealPeriod,
} from "./canonical-rows";
import { scopeMaintenanceSql, scopeTenantSql } from "@/db/scope";
import type { Cloud, SealPart } from "@/lib/domain";

/*
 * Verification (npm run verify-log, and the admin view): recomputes every seal of a tenant from
 * the rows as they are now, in one REPEATABLE READ snapshot, and reports per period:
 * - seal_altered: the seal's own fields no longer hash to its stored hash;
 * - chain_broken: a seal is missing (a gap in seq), or its prev hash or its start does not match
 *   the previous seal (a deleted or replaced seal);
 * - rows_missing / rows_added / rows_changed: the period's rows, per occurred_at month, differ in
 *   count or in content from what was sealed (deleted, inserted or edited after sealing).
 * A month whose partition no longer exists was dropped by retention: reported, not a failure
 * (retention leaves its own trace in the log). Rows recorded after the last seal are reported
 * as unsealed; they get sealed on the next run. Like CloudTrail's digest chain, removing the
 * newest seals themselves is not visible from the chain alone: a large unsealed backlog is the
 * sign to look for.
 */

export type PeriodStatus = "ok" | "seal_altered" | "chain_broken" | "rows_missing" | "rows_added" | "rows_changed";

export interface PeriodVerification {
  seq: number;
  periodStart: Date;
  periodEnd: Date;
  sealedAt: Date;
  sealedRows: number;
  /** Rows found now in the period (in months that still exist). */
  actualRows: number;
  status: PeriodStatus;
  /** Every problem found, in words; empty when ok. */
  problems: string[];
  /** Months sealed in this period whose partitions retention has since dropped. */
  droppedMonths: string[];
}

export interface SealVerification {
  tenantId: string;
  cloud: Cloud;
  ok: boolean;
  checkedAt: Date;
  sealCount: number;
  rowsChecked: number;
  /** The earliest period that failed, or null. */
  firstFailure: PeriodVerification | null;
  periods: PeriodVerification[];
  unsealed: { since: Date | null; rows: number };
}

const SEVERITY: PeriodStatus[] = ["seal_altered", "chain_broken", "rows_missing", "rows_added", "rows_changed"];

const monthExists = (ranges: PartitionRange[], month: string) => {
  const start = Date.parse(monthBounds(month).start);
  return ranges.some((r) => start >= r.from && start < r.to);
};

/** A seal's period as it was sealed: the first seal has no lower bound. */
const periodOf = (seal: StoredSeal): SealPeriod => ({
  seq: seal.seq,
  lower: seal.seq === 1 ? null : seal.periodStart,
  upper: seal.periodEnd,
});

function verifyPeriod(
  seal: StoredSeal,
  previous: StoredSeal | null,
  ranges: PartitionRange[],
  counts: Map<string, number>,
  hashes: Map<string, SealPart>,
): PeriodVerification {
  const found = new Set<PeriodStatus>();
  const problems: string[] = [];
  const problem = (status: PeriodStatus, message: string) => {
    found.add(status);
    problems.push(message);
  };

  if (sealHash(seal) !== seal.hash)
    problem("seal_altered", "The seal's fields were changed after sealing (its hash does not match).");
  if (previous === null) {
    if (seal.seq !== 1) problem("chain_broken", `Seals 1 to ${seal.seq - 1} are missing.`);
    else if (seal.prevHash !== null) problem("chain_broken", "The first seal names a previous seal.");
  } else {
    if (seal.seq !== previous.seq + 1)
      problem("chain_broken", `Seals ${previous.seq + 1} to ${seal.seq - 1} are missing.`);
    if (seal.prevHash !== previous.hash)
      problem("chain_broken", `The seal does not chain to seal ${previous.seq} (previous hash differs).`);
    if (seal.periodStart.getTime() !== previous.periodEnd.getTime()) {
      problem("chain_broken", `The period does not start where seal ${previous.seq} ended.`);
    }
  }

  const sealedParts = new Map(seal.parts.map((p) => [p.month, p]));
  const droppedMonths: string[] = [];
  let actualRows = 0;

  for (const part of seal.parts) {
    if (!monthExists(ranges, part.month)) {
      droppedMonths.push(part.month);
      continue;
    }
    const rows = counts.get(part.month) ?? 0;
    actualRows += rows;
    if (rows < part.rows)
      problem("rows_missing", `${part.rows - rows} of ${part.rows} rows of ${part.month} were removed after sealing.`);
    else if (rows > part.rows)
      problem("rows_added", `${rows - part.rows} rows of ${part.month} were inserted after sealing.`);
    if (rows > 0) {
      const now = hashes.get(sealPartKey(seal.seq, part.month));
      if (rows === part.rows && now?.hash !== part.hash)
        problem("rows_changed", `Rows of ${part.month} were changed after sealing.`);
    }
  }
  for (const [month, rows] of counts) {
    if (sealedParts.has(month)) continue;
    actualRows += rows;
    problem("rows_added", `${rows} rows of ${month} were inserted after sealing.`);
  }

  const status = SEVERITY.find((s) => found.has(s)) ?? "ok";
  return {
    seq: seal.seq,
    periodStart: seal.periodStart,
    periodEnd: seal.periodEnd,
    sealedAt: seal.sealedAt,
    sealedRows: seal.rowCount,
    actualRows,
    status,
    problems,
    droppedMonths,
  };
}

/**
 * Recomputes one tenant's seals. For the admin view: pass the signed-in context's tenant and
 * cloud, never a value from the request. Runs like every request, as the request role scoped to
 * that tenant and cloud (row-level security filters every row it reads a second time), read-only
 * in one snapshot; the operators' `npm run verify-log` calls it once per tenant.
 */
export async function verifySeals({
  tenantId,
  cloud,
  sql = getSql(),
}: {
  tenantId: string;
  cloud: Cloud;
  sql?: Sql;
}): Promise<SealVerification> {
  return (await sql.begin("isolation level repeatable read read only", async (tx) => {
    await scopeTenantSql(tx, { tenantId, cloud });
    const seals = (
      await tx.unsafe<RawSealRow[]>(
        `select ${SEAL_COLUMNS_SQL} from activity_seals where tenant_id = $1::uuid and cloud = $2 order by seq`,
        [tenantId, cloud],
      )
    ).map(toStoredSeal);
    const ranges = await loadPartitionRanges(tx as unknown as Sql);

    // Set-based: the counts of every period in one statement and their rows in one cursor, not a
    // round trip or two per seal (months of hourly seals are thousands of them).
    const sealPeriods = seals.map(periodOf);
    const counts = await periodMonthCounts(tx as unknown as Sql, tenantId, sealPeriods);
    const hashes = await hashPeriodParts(tx as unknown as Sql, tenantId, sealPeriods, counts);

    const periods: PeriodVerification[] = [];
    let previous: StoredSeal | null = null;
    for (const seal of seals) {
      periods.push(verifyPeriod(seal, previous, ranges, counts.get(seal.seq) ?? new Map(), hashes));
      previous = seal;
    }

    const since = previous?.periodEnd ?? null;
    const unsealed = singleRow(
      await tx<Array<{ rows: string }>>`
        select count(*)::int8 as rows from activity_records
        where tenant_id = ${tenantId} and recorded_at >= ${since ? since.toISOString() : "-infinity"}::text::timestamptz`,
      "Counting unsealed records",
    );

    const firstFailure = periods.find((p) => p.status !== "ok") ?? null;
    return {
      tenantId,
      cloud,
      ok: firstFailure === null,
      checkedAt: new Date(),
      sealCount: seals.length,
      rowsChecked: periods.reduce((n, p) => n + p.actualRows, 0),
      firstFailure,
      periods,
      unsealed: { since, rows: Number(unsealed.rows) },
    };
  })) as SealVerification;
}

/** Every tenant's verification (npm run verify-log). */
export async function verifyAllTenants({
  sql,
  tenantId,
}: {
  sql: Sql;
  tenantId?: string;
}): Promise<SealVerification[]> {
  const tenants = (await sql.begin(async (tx) => {
    await scopeMaintenanceSql(tx);
    return tenantId
      ? tx<Array<{ id: string; cloud: Cloud }>>`select id, cloud from partner_tenants where id = ${tenantId}`
      : tx<Array<{ id: string; cloud: Cloud }>>`select id, cloud from partner_tenants order by id`;
  })) as Array<{ id: string; cloud: Cloud }>;
  const results: SealVerification[] = [];
  for (const t of tenants) results.push(await verifySeals({ tenantId: t.id, cloud: t.cloud, sql }));
  return results;
}
