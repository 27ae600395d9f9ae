import { withTenantSql } from "@/db/scope";
import { getSql } from "@/db/client";
import { recordStreamChange } from "@/db/streaming/changes";
import {
  deleteDestination,
  getDestination,
  insertDestination,
  listDestinations,
  pauseDestination,
  replaySince,
  resumeDestination,
  updateDestination,
  type DestinationView,
} from "@/db/streaming/destinations";
import { loadTarget, storedUrl } from "@/db/streaming/outbox";
import { AppError } from "@/lib/errors";
import { keepStoredUrl, parseDestinationInput } from "./destination";
import { sendTestEvent } from "./test-event";
import type { TenantContext } from "@/lib/domain";
import { daysInMonth } from "@/lib/time-zones";

/*
 * What a global admin does with log streaming, for the API (lib/handlers/log-streaming.ts) and the
 * settings page's actions alike: each change in one transaction with its record in the log.
 */

const scopeOf = (ctx: TenantContext) => ({ tenantId: ctx.tenantId, cloud: ctx.cloud });

export const listFor = (ctx: TenantContext) =>
  withTenantSql(getSql(), scopeOf(ctx), (tx) => listDestinations(tx, scopeOf(ctx)));

export const getFor = (ctx: TenantContext, id: string) =>
  withTenantSql(getSql(), scopeOf(ctx), (tx) => getDestination(tx, scopeOf(ctx), id));

/** Adds a destination; `generatedSecret` is the webhook key made for it, to be shown this once. */
export async function createFor(
  ctx: TenantContext,
  body: unknown,
): Promise<{ destination: DestinationView; generatedSecret: string | null }> {
  const input = parseDestinationInput(body, { isNew: true });
  const given = (body as { secret?: unknown } | null)?.secret;
  const generated = input.kind === "webhook" && (given === undefined || given === "");
  const destination = await withTenantSql(getSql(), scopeOf(ctx), async (tx) => {
    const d = await insertDestination(tx, scopeOf(ctx), input);
    await recordStreamChange(tx, ctx, "create_log_stream", { after: d });
    return d;
  });
  return { destination, generatedSecret: generated ? (input.secret ?? null) : null };
}

export function updateFor(ctx: TenantContext, id: string, body: unknown): Promise<DestinationView> {
  parseDestinationInput(body, { isNew: false }); // a 400 before anything is read
  return withTenantSql(getSql(), scopeOf(ctx), async (tx) => {
    const before = await getDestination(tx, scopeOf(ctx), id);
    const input = parseDestinationInput(keepStoredUrl(body, await storedUrl(tx, scopeOf(ctx), id)), { isNew: false });
    const after = await updateDestination(tx, scopeOf(ctx), id, input);
    await recordStreamChange(tx, ctx, "update_log_stream", {
      before,
      after,
      data: { secretReplaced: input.secret !== undefined },
    });
    return after;
  });
}

export function deleteFor(ctx: TenantContext, id: string): Promise<void> {
  return withTenantSql(getSql(), scopeOf(ctx), async (tx) => {
    const before = await deleteDestination(tx, scopeOf(ctx), id);
    await recordStreamChange(tx, ctx, "delete_log_stream", { before, data: { undeliveredDropped: before.pending } });
  });
}

export function pauseFor(ctx: TenantContext, id: string): Promise<DestinationView> {
  return withTenantSql(getSql(), scopeOf(ctx), async (tx) => {
    const after = await pauseDestination(tx, scopeOf(ctx), id, `Paused by ${ctx.userPrincipalName}.`);
    await recordStreamChange(tx, ctx, "pause_log_stream", { after });
    return after;
  });
}

export function resumeFor(ctx: TenantContext, id: string): Promise<DestinationView> {
  return withTenantSql(getSql(), scopeOf(ctx), async (tx) => {
    const before = await getDestination(tx, scopeOf(ctx), id);
    const after = await resumeDestination(tx, scopeOf(ctx), id);
    await recordStreamChange(tx, ctx, "resume_log_stream", { after, data: { pausedReason: before.pausedReason } });
    return after;
  });
}

/** Date parsing rolls "2026-02-30" into March: a day that does not exist is refused instead. */
function isRealDayPrefix(text: string): boolean {
  const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(text.trim());
  return !day || Number(day[3]) <= daysInMonth(Number(day[1]), Number(day[2]));
}

/**
 * Queues the records since `since` (an ISO 8601 time) again; answers how many. The destination is
 * looked up first, so another tenant's id is 404 whatever the body says.
 */
export function replayFor(ctx: TenantContext, id: string, since: unknown): Promise<number> {
  return withTenantSql(getSql(), scopeOf(ctx), async (tx) => {
    await getDestination(tx, scopeOf(ctx), id);
    const time = typeof since === "string" && since.trim() && isRealDayPrefix(since) ? new Date(since) : null;
    if (!time || Number.isNaN(time.getTime()))
      throw new AppError("bad_request", "since must be a date and time (ISO 8601), e.g. 2026-11-01T00:00:00Z", {
        errors: [{ field: "since", message: "must be a date and time" }],
      });
    if (time.getTime() > Date.now())
      throw new AppError("bad_request", "since must not be in the future", {
        errors: [{ field: "since", message: "must not be in the future" }],
      });
    const queued = await replaySince(tx, scopeOf(ctx), id, time);
    const after = await getDestination(tx, scopeOf(ctx), id);
    await recordStreamChange(tx, ctx, "replay_log_stream", { after, data: { since: time.toISOString(), queued } });
    return queued;
  });
}

/** Sends a test event now; answers the failure in words, or null when the receiver took it. */
export async function testFor(ctx: TenantContext, id: string): Promise<string | null> {
  const sql = getSql();
  const target = await withTenantSql(sql, scopeOf(ctx), (tx) => loadTarget(tx, scopeOf(ctx), id));
  if (!target) throw new AppError("not_found", "There is no such log streaming destination.");
  const error = await sendTestEvent(target, ctx);
  await withTenantSql(sql, scopeOf(ctx), (tx) =>
    recordStreamChange(tx, ctx, "test_log_stream", {
      after: target,
      operationStatus: error ? "failed" : "succeeded",
      data: error ? { error } : { delivered: true },
    }),
  );
  return error;
}
