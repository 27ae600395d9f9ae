import { getSql } from "@/db/client";
import { recordStreamChange } from "@/db/streaming/changes";
import {
  deleteDestination,
  getDestination,
  inTenant,
  insertDestination,
  listDestinations,
  pauseDestination,
  replaySince,
  resumeDestination,
  updateDestination,
  type DestinationView,
} from "@/db/streaming/destinations";
import { loadTarget } from "@/db/streaming/outbox";
import type { TenantContext } from "@/db/with-tenant";
import { AppError } from "@/lib/errors";
import type { TenantRouteCall } from "@/lib/http/route";
import { parseDestinationInput } from "@/lib/streaming/destination";
import { sendTestEvent } from "@/lib/streaming/test-event";

/*
 * Account settings → Log streaming (global admins): the tenant's destinations, their status, and
 * every change, each recorded in the log. Secrets are write-only: a response says whether one is
 * set, and shows a generated webhook key once, when the destination is created.
 */

type IdCall = TenantRouteCall<{ id: string }>;

const NO_STORE = { "cache-control": "private, no-store" };

const scopeOf = (ctx: TenantContext) => ({ tenantId: ctx.tenantId, cloud: ctx.cloud });

export function destinationJson(d: DestinationView) {
  return {
    ...d,
    pausedAt: d.pausedAt?.toISOString() ?? null,
    nextAttemptAt: d.nextAttemptAt.toISOString(),
    lastErrorAt: d.lastErrorAt?.toISOString() ?? null,
    lastDeliveredAt: d.lastDeliveredAt?.toISOString() ?? null,
  };
}

async function jsonBody(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new AppError("bad_request", "body must be a JSON object");
  }
}

export async function listStreamDestinations({ ctx }: TenantRouteCall): Promise<Response> {
  const destinations = await inTenant(getSql(), scopeOf(ctx), (tx) => listDestinations(tx, scopeOf(ctx)));
  return Response.json({ destinations: destinations.map(destinationJson) }, { headers: NO_STORE });
}

export async function getStreamDestination({ ctx, params }: IdCall): Promise<Response> {
  const d = await inTenant(getSql(), scopeOf(ctx), (tx) => getDestination(tx, scopeOf(ctx), params.id));
  return Response.json({ destination: destinationJson(d) }, { headers: NO_STORE });
}

export async function createStreamDestination({ ctx, request }: TenantRouteCall): Promise<Response> {
  const body = await jsonBody(request);
  const input = parseDestinationInput(body, { isNew: true });
  const generated = input.kind === "webhook" && (body as { secret?: unknown })?.secret === undefined;
  const created = await inTenant(getSql(), scopeOf(ctx), async (tx) => {
    const d = await insertDestination(tx, scopeOf(ctx), input);
    await recordStreamChange(tx, ctx, "create_log_stream", { after: d });
    return d;
  });
  return Response.json(
    { destination: destinationJson(created), ...(generated ? { signingSecret: input.secret } : {}) },
    { status: 201, headers: NO_STORE },
  );
}

export async function updateStreamDestination({ ctx, params, request }: IdCall): Promise<Response> {
  const input = parseDestinationInput(await jsonBody(request), { isNew: false });
  const updated = await inTenant(getSql(), scopeOf(ctx), async (tx) => {
    const before = await getDestination(tx, scopeOf(ctx), params.id);
    const after = await updateDestination(tx, scopeOf(ctx), params.id, input);
    await recordStreamChange(tx, ctx, "update_log_stream", {
      before,
      after,
      data: { secretReplaced: input.secret !== undefined },
    });
    return after;
  });
  return Response.json({ destination: destinationJson(updated) }, { headers: NO_STORE });
}

export async function deleteStreamDestination({ ctx, params }: IdCall): Promise<Response> {
  await inTenant(getSql(), scopeOf(ctx), async (tx) => {
    const before = await deleteDestination(tx, scopeOf(ctx), params.id);
    await recordStreamChange(tx, ctx, "delete_log_stream", {
      before,
      data: { undeliveredDropped: before.pending },
    });
  });
  return new Response(null, { status: 204 });
}

export async function pauseStreamDestination({ ctx, params }: IdCall): Promise<Response> {
  const d = await inTenant(getSql(), scopeOf(ctx), async (tx) => {
    const after = await pauseDestination(tx, scopeOf(ctx), params.id, `Paused by ${ctx.userPrincipalName}.`);
    await recordStreamChange(tx, ctx, "pause_log_stream", { after });
    return after;
  });
  return Response.json({ destination: destinationJson(d) }, { headers: NO_STORE });
}

export async function resumeStreamDestination({ ctx, params }: IdCall): Promise<Response> {
  const d = await inTenant(getSql(), scopeOf(ctx), async (tx) => {
    const before = await getDestination(tx, scopeOf(ctx), params.id);
    const after = await resumeDestination(tx, scopeOf(ctx), params.id);
    await recordStreamChange(tx, ctx, "resume_log_stream", { after, data: { pausedReason: before.pausedReason } });
    return after;
  });
  return Response.json({ destination: destinationJson(d) }, { headers: NO_STORE });
}

/** Replay: body `{ "since": "<ISO 8601 time>" }`, at most the retention period back. */
export async function replayStreamDestination({ ctx, params, request }: IdCall): Promise<Response> {
  const body = (await jsonBody(request)) as { since?: unknown };
  const since = typeof body?.since === "string" ? new Date(body.since) : null;
  if (!since || Number.isNaN(since.getTime()))
    throw new AppError("bad_request", "since must be a date and time (ISO 8601), e.g. 2026-11-01T00:00:00Z");
  if (since.getTime() > Date.now()) throw new AppError("bad_request", "since must not be in the future");
  const queued = await inTenant(getSql(), scopeOf(ctx), async (tx) => {
    const n = await replaySince(tx, scopeOf(ctx), params.id, since);
    const after = await getDestination(tx, scopeOf(ctx), params.id);
    await recordStreamChange(tx, ctx, "replay_log_stream", {
      after,
      data: { since: since.toISOString(), queued: n },
    });
    return n;
  });
  return Response.json({ queued }, { headers: NO_STORE });
}

/** Sends one test event now; the answer (and the record) say whether the receiver took it. */
export async function testStreamDestination({ ctx, params }: IdCall): Promise<Response> {
  const sql = getSql();
  const target = await inTenant(sql, scopeOf(ctx), (tx) => loadTarget(tx, scopeOf(ctx), params.id));
  if (!target) throw new AppError("not_found", "There is no such log streaming destination.");
  const error = await sendTestEvent(target, ctx);
  await inTenant(sql, scopeOf(ctx), (tx) =>
    recordStreamChange(tx, ctx, "test_log_stream", {
      after: target,
      operationStatus: error ? "failed" : "succeeded",
      data: error ? { error } : { delivered: true },
    }),
  );
  return Response.json({ delivered: error === null, error }, { headers: NO_STORE });
}
