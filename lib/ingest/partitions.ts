import type { Sql } from "postgres";
import { cachedPartitionRanges, type PartitionRange } from "@/db/queries/partitions";
import { MAX_FUTURE_SKEW_MS } from "./limits";
import type { IngestRecord, RecordError } from "./record-schema";

/*
 * Which `occurred_at` values the log can store: the ranges of the monthly partitions of
 * activity_records (db/queries/partitions.ts). A record for a month without a partition is refused
 * with a 400 naming it, before the insert would fail as a whole (a 500).
 */

export type { PartitionRange };

export const isCovered = (ranges: PartitionRange[], at: Date): boolean =>
  ranges.some((r) => at.getTime() >= r.from && at.getTime() < r.to);

const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);

function coverage(ranges: PartitionRange[]): string {
  if (ranges.length === 0) return "the log has no partitions yet";
  const from = Math.min(...ranges.map((r) => r.from));
  const to = Math.max(...ranges.map((r) => r.to));
  if (!Number.isFinite(from) || !Number.isFinite(to)) return "see the log's partitions";
  return `the log stores ${monthOf(from)} to ${monthOf(to - 1)}`;
}

/** Per-record errors for times in the future or in a month without a partition. */
export function checkOccurredAt(records: IngestRecord[], ranges: PartitionRange[], now: Date): RecordError[] {
  const errors: RecordError[] = [];
  records.forEach((record, index) => {
    const at = record.occurredAt;
    if (at.getTime() > now.getTime() + MAX_FUTURE_SKEW_MS) {
      errors.push({
        index,
        field: "occurredAt",
        message: `is more than ${MAX_FUTURE_SKEW_MS / 60_000} minutes in the future.`,
      });
    } else if (!isCovered(ranges, at)) {
      errors.push({
        index,
        field: "occurredAt",
        message: `falls in ${monthOf(at.getTime())}, a month the log has no partition for (${coverage(ranges)}).`,
      });
    }
  });
  return errors;
}

/** Partition ranges that cover every record, refreshing the cache once if one seems missing. */
export async function checkRecordTimes(sql: Sql, records: IngestRecord[], now: Date): Promise<RecordError[]> {
  let ranges = await cachedPartitionRanges(sql);
  if (
    records.some(
      (r) => r.occurredAt.getTime() <= now.getTime() + MAX_FUTURE_SKEW_MS && !isCovered(ranges, r.occurredAt),
    )
  ) {
    ranges = await cachedPartitionRanges(sql, { refresh: true });
  }
  return checkOccurredAt(records, ranges, now);
}
