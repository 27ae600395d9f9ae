import type { DestinationView } from "@/db/streaming/destinations";
import { AppError } from "@/lib/errors";
import type { TenantRouteCall } from "@/lib/http/route";
import {
  createFor,
  deleteFor,
  getFor,
  listFor,
  pauseFor,
  replayFor,
  resumeFor,
  testFor,
  updateFor,
} from "@/lib/streaming/settings";

/*
 * Account settings → Log streaming over HTTP (global admins). Secrets are write-only: a response
 * says whether one is set, and shows a generated webhook key once, when the destination is created.
 */

type IdCall = TenantRouteCall<{ id: string }>;

const NO_STORE = { "cache-control": "private, no-store" };

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

const one = (d: DestinationView) => Response.json({ destination: destinationJson(d) }, { headers: NO_STORE });

export async function listStreamDestinations({ ctx }: TenantRouteCall): Promise<Response> {
  const destinations = await listFor(ctx);
  return Response.json({ destinations: destinations.map(destinationJson) }, { headers: NO_STORE });
}

export async function getStreamDestination({ ctx, params }: IdCall): Promise<Response> {
  return one(await getFor(ctx, params.id));
}

export async function createStreamDestination({ ctx, request }: TenantRouteCall): Promise<Response> {
  const { destination, generatedSecret } = await createFor(ctx, await jsonBody(request));
  return Response.json(
    { destination: destinationJson(destination), ...(generatedSecret ? { signingSecret: generatedSecret } : {}) },
    { status: 201, headers: NO_STORE },
  );
}

export async function updateStreamDestination({ ctx, params, request }: IdCall): Promise<Response> {
  return one(await updateFor(ctx, params.id, await jsonBody(request)));
}

export async function deleteStreamDestination({ ctx, params }: IdCall): Promise<Response> {
  await deleteFor(ctx, params.id);
  return new Response(null, { status: 204 });
}

export async function pauseStreamDestination({ ctx, params }: IdCall): Promise<Response> {
  return one(await pauseFor(ctx, params.id));
}

export async function resumeStreamDestination({ ctx, params }: IdCall): Promise<Response> {
  return one(await resumeFor(ctx, params.id));
}

/** Replay: body `{ "since": "<ISO 8601 time>" }`. */
export async function replayStreamDestination({ ctx, params, request }: IdCall): Promise<Response> {
  const body = (await jsonBody(request)) as { since?: unknown } | null;
  return Response.json({ queued: await replayFor(ctx, params.id, body?.since) }, { headers: NO_STORE });
}

/** Sends one test event now; the answer (and the record) say whether the receiver took it. */
export async function testStreamDestination({ ctx, params }: IdCall): Promise<Response> {
  const error = await testFor(ctx, params.id);
  return Response.json({ delivered: error === null, error }, { headers: NO_STORE });
}
