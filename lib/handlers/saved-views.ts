import type { SavedView } from "@/db/saved-views";
import { AppError } from "@/lib/errors";
import type { TenantRouteCall } from "@/lib/http/route";
import { ROUTES } from "@/lib/routes";
import {
  clearDefaultViewFor,
  createViewFor,
  deleteViewFor,
  getViewFor,
  listViewsFor,
  setDefaultViewFor,
  updateViewFor,
} from "@/lib/saved-views";

/*
 * Saved views of the Activity log over HTTP, for everyone who reads the log: their own views and
 * those shared with the tenant. Another tenant's view, or another user's private one, is 404.
 */

type IdCall = TenantRouteCall<{ id: string }>;

const NO_STORE = { "cache-control": "private, no-store" };

export function savedViewJson(v: SavedView) {
  return { ...v, href: v.query ? `${ROUTES.activityLog}?${v.query}` : ROUTES.activityLog };
}

async function jsonBody(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new AppError("bad_request", "the body must be a JSON object", {
      errors: [{ field: "body", code: "body_invalid", message: "the body must be a JSON object" }],
    });
  }
}

const one = (v: SavedView, status = 200) => Response.json({ view: savedViewJson(v) }, { status, headers: NO_STORE });

export async function listSavedViewsRoute({ ctx }: TenantRouteCall): Promise<Response> {
  return Response.json({ views: (await listViewsFor(ctx)).map(savedViewJson) }, { headers: NO_STORE });
}

export async function createSavedViewRoute({ ctx, request }: TenantRouteCall): Promise<Response> {
  return one(await createViewFor(ctx, await jsonBody(request)), 201);
}

export async function getSavedViewRoute({ ctx, params }: IdCall): Promise<Response> {
  return one(await getViewFor(ctx, params.id));
}

export async function updateSavedViewRoute({ ctx, params, request }: IdCall): Promise<Response> {
  return one(await updateViewFor(ctx, params.id, await jsonBody(request)));
}

export async function deleteSavedViewRoute({ ctx, params }: IdCall): Promise<Response> {
  await deleteViewFor(ctx, params.id);
  return new Response(null, { status: 204 });
}

/** PUT: the log opens with this view; DELETE: it no longer does. */
export async function setDefaultSavedViewRoute({ ctx, params }: IdCall): Promise<Response> {
  return one(await setDefaultViewFor(ctx, params.id));
}

export async function clearDefaultSavedViewRoute({ ctx, params }: IdCall): Promise<Response> {
  return one(await clearDefaultViewFor(ctx, params.id));
}
