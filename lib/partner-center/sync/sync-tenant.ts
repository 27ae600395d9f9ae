import type { Sql } from "postgres";
import {
  completeDays,
  completedDays,
  finishRun,
  loadConnection,
  startRun,
  storeRefreshToken,
  withSyncLock,
} from "@/db/partner-center-sync";
import { ensurePartitionsBetween } from "@/db/partitions";
import type { TenantScope } from "@/db/scope";
import { AppError } from "@/lib/errors";
import type { RecordError } from "@/lib/ingest/record-schema";
import { decryptSecret, encryptSecret, SecretBoxError, secretsKey } from "@/lib/secret-box";
import { IMPORT_BATCH_SIZE, importAuditRecords } from "../import";
import { PartnerCenterRemote, SyncFailure, type RemoteOptions } from "./remote";

/*
 * One tenant's sync: Partner Center's audit records, one UTC day at a time (Partner Center's own
 * advice), through the same import as a file (same mapping, idempotent by record id). A day is
 * checkpointed only after all its pages are stored, so a run that stops anywhere resumes at the
 * first unfinished day. Days that can still receive late records (Partner Center delivers up to
 * 48 hours late) are read again on every run; re-reads store nothing twice.
 */

export const SECRET_PURPOSE = "partner-center-client-secret";
export const REFRESH_TOKEN_PURPOSE = "partner-center-refresh-token";

const DAY_MS = 86_400_000;
/** Partner Center keeps 90 days; a startDate before that is refused. */
export const API_RETENTION_DAYS = 90;
export const LATE_DELIVERY_MS = 48 * 3_600_000;
/** Small days share an import; at most this many wait for their checkpoint. */
const MAX_DAYS_PER_CHECKPOINT = 31;
/** Days whose first page is requested ahead of the import. */
const LOOKAHEAD_DAYS = 4;

export interface SyncOptions extends Omit<RemoteOptions, "onRefreshToken"> {
  now?: () => Date;
  /** Minutes until the next scheduled run. */
  intervalMinutes?: number;
  pageSize?: number;
  log?: (line: string) => void;
}

export interface SyncRunResult {
  status: "done" | "failed" | "busy" | "not_configured";
  stored: number;
  days: number;
  error: string | null;
}

export const dayText = (dayNumber: number) => new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);

/** The first UTC day (days since 1970-01-01) wholly inside the API's window, and today. */
export function syncWindowDays(now: Date): { first: number; today: number } {
  return {
    first: Math.floor((now.getTime() - API_RETENTION_DAYS * DAY_MS) / DAY_MS) + 1,
    today: Math.floor(now.getTime() / DAY_MS),
  };
}

/** The days a run reads: every day of the API's window not yet complete, and the recent ones again. */
export function daysToRead(now: Date, completed: Set<string>): number[] {
  const { first, today } = syncWindowDays(now);
  const stillOpen = Math.floor((now.getTime() - LATE_DELIVERY_MS) / DAY_MS);
  const days: number[] = [];
  for (let day = first; day <= today; day++) {
    if (day >= stillOpen || !completed.has(dayText(day))) days.push(day);
  }
  return days;
}

const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function importProblem(error: AppError, day: string): string {
  const first = ((error.details as { errors?: RecordError[] } | undefined)?.errors ?? [])[0];
  const which = first
    ? ` (first: record ${first.index + 1} of the page, ${first.field ?? "record"} ${first.message})`
    : "";
  return `Partner Center sent records for ${day} that the log cannot store: ${error.message}${which}`;
}

export async function syncTenant(sql: Sql, scope: TenantScope, options: SyncOptions = {}): Promise<SyncRunResult> {
  const clock = options.now ?? (() => new Date());
  const log = options.log ?? (() => {});
  const outcome = await withSyncLock(sql, scope.tenantId, async (): Promise<SyncRunResult> => {
    const connection = await loadConnection(sql, scope);
    if (!connection) return { status: "not_configured", stored: 0, days: 0, error: null };
    const started = clock();
    await startRun(sql, scope, started);
    let stored = 0;
    let daysDone = 0;
    let foreign = 0;
    const foreignIds = new Set<string>();
    let failure: string | null = null;
    try {
      const key = secretsKey({ ...process.env, ...options.env });
      const remote = new PartnerCenterRemote(
        {
          tenantId: scope.tenantId,
          cloud: scope.cloud,
          clientId: connection.clientId,
          clientSecret: decryptSecret(connection.clientSecret, SECRET_PURPOSE, scope.tenantId, key),
          refreshToken: connection.refreshToken
            ? decryptSecret(connection.refreshToken, REFRESH_TOKEN_PURPOSE, scope.tenantId, key)
            : null,
          baseUrl: connection.baseUrl,
        },
        {
          ...options,
          onRefreshToken: (token) =>
            storeRefreshToken(sql, scope, encryptSecret(token, REFRESH_TOKEN_PURPOSE, scope.tenantId, key)),
        },
      );
      const windowStart = started.getTime() - API_RETENTION_DAYS * DAY_MS;
      await ensurePartitionsBetween(sql, new Date(windowStart), started);
      const completed = await completedDays(sql, scope, dayText(Math.floor(windowStart / DAY_MS)));
      const ranges = daysToRead(started, completed)
        .map((day) => ({
          day,
          from: new Date(Math.max(day * DAY_MS, Math.ceil((windowStart + 60_000) / 1000) * 1000)),
          to: new Date(Math.min((day + 1) * DAY_MS, clock().getTime())),
        }))
        .filter((r) => r.from < r.to);
      // Requests only ever name a day of `ranges`.
      const rangeAt = (index: number) => {
        const range = ranges[index];
        if (!range) throw new Error(`No day ${index} among the ${ranges.length} to read.`);
        return range;
      };

      // Records of several small days go in one import, and days are checkpointed after it: a
      // day is never marked done before all its records are stored.
      let pending: unknown[] = [];
      let waiting: Array<{ day: string; records: number }> = [];
      let pendingStored = 0;
      const importPending = async (day: number, upTo: number) => {
        while (pending.length >= upTo && pending.length > 0) {
          const batch = pending.slice(0, IMPORT_BATCH_SIZE);
          pending = pending.slice(batch.length);
          try {
            pendingStored += (await importAuditRecords(sql, scope, batch, { now: clock() })).stored;
          } catch (e) {
            if (e instanceof AppError) throw new SyncFailure(importProblem(e, dayText(day)));
            throw e;
          }
        }
      };
      const checkpoint = async (day: number) => {
        await importPending(day, 1);
        const [first] = waiting;
        const last = waiting.at(-1);
        if (!first || !last) return;
        await completeDays(sql, scope, waiting, { stored: pendingStored, at: clock() });
        if (pendingStored > 0) log(`${first.day}..${last.day}: ${pendingStored} new`);
        stored += pendingStored;
        daysDone += waiting.length;
        waiting = [];
        pendingStored = 0;
      };

      // Requests ahead of the import: the next page of this day, and the first pages of the next
      // few days (days are independent; pages of one day follow each other's continuation).
      type Request = { index: number; continuation: string | null; page: number };
      const fetch = (r: Request) => {
        const range = rangeAt(r.index);
        const promise = remote.fetchPage(range.from, range.to, {
          size: options.pageSize,
          continuation: r.continuation,
          page: r.page,
        });
        promise.catch(() => {}); // awaited in turn; not an unhandled rejection meanwhile
        return promise;
      };
      const firstPages = new Map<number, ReturnType<typeof fetch>>();
      const firstPage = (index: number) => {
        let promise = firstPages.get(index);
        if (!promise) {
          promise = fetch({ index, continuation: null, page: 1 });
          // A look-ahead the run never gets to (it ended on an earlier day) must not reject unobserved.
          promise.catch(() => {});
          firstPages.set(index, promise);
        }
        return promise;
      };
      const lookAhead = (from: number) => {
        for (let i = from; i < Math.min(ranges.length, from + LOOKAHEAD_DAYS); i++) void firstPage(i);
      };
      let request: Request | null = ranges.length ? { index: 0, continuation: null, page: 1 } : null;
      let inflight = request && firstPage(0);
      let records = 0;
      while (request && inflight) {
        const { items, next } = await inflight;
        const following: Request | null = next
          ? { index: request.index, continuation: next, page: request.page + 1 }
          : request.index + 1 < ranges.length
            ? { index: request.index + 1, continuation: null, page: 1 }
            : null;
        firstPages.delete(request.index);
        inflight = following && (following.continuation ? fetch(following) : firstPage(following.index));
        lookAhead(request.index + 1);
        const { day } = rangeAt(request.index);
        records += items.length;
        for (const item of items) {
          const partnerId = (item as { partnerId?: unknown } | null)?.partnerId;
          if (typeof partnerId === "string" && partnerId !== "" && !sameId(partnerId, scope.tenantId)) {
            foreign++;
            foreignIds.add(partnerId);
          } else pending.push(item);
        }
        await importPending(day, IMPORT_BATCH_SIZE);
        if (!next) {
          waiting.push({ day: dayText(day), records });
          records = 0;
          if (pending.length === 0 || waiting.length >= MAX_DAYS_PER_CHECKPOINT) await checkpoint(day);
        }
        request = following;
      }
      await checkpoint(ranges.at(-1)?.day ?? 0);
    } catch (e) {
      if (!(e instanceof SyncFailure || e instanceof SecretBoxError)) throw e;
      failure = e instanceof SecretBoxError ? `The stored client secret cannot be read: ${e.message}.` : e.message;
    }
    let error = failure;
    if (!error && foreign > 0) {
      error = `Partner Center returned ${foreign.toLocaleString("en-US")} record${foreign === 1 ? "" : "s"} of another partner (${[...foreignIds].slice(0, 3).join(", ")}); ${foreign === 1 ? "it was" : "they were"} not stored.`;
    }
    const finished = clock();
    await finishRun(sql, scope, {
      at: finished,
      error,
      succeeded: failure === null,
      nextRunAt: new Date(finished.getTime() + (options.intervalMinutes ?? 15) * 60_000),
    });
    return { status: failure ? "failed" : "done", stored, days: daysDone, error };
  });
  return outcome === "busy" ? { status: "busy", stored: 0, days: 0, error: null } : outcome;
}
