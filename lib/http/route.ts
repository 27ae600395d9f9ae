import type { NextRequest } from "next/server";
import { toErrorResponse } from "@/lib/errors";
import type { TenantContext } from "@/lib/domain";

/*
 * The two shapes of a route handler: `route` (the handler authenticates by itself, as API keys
 * do) and `withTenantRoute` (./tenant-route.ts, for the signed-in user). Every route file is one
 * line that names its permission and its handler (lib/handlers/); a handler takes the resolved
 * context, so a test calls it with a context, without module mocks. Errors become responses in
 * one place, toErrorResponse.
 */

/** What Next passes a route handler besides the request; `params` is absent on static routes. */
interface NextRouteContext<P> {
  params?: Promise<P>;
}

export type EmptyParams = Record<string, never>;

/** A signed-in request: who it acts for, its session, the request and its path parameters. */
export interface TenantRouteCall<P = EmptyParams> {
  ctx: TenantContext;
  sessionId: string;
  request: NextRequest;
  params: P;
}

export type TenantRouteHandler<P = EmptyParams> = (call: TenantRouteCall<P>) => Promise<Response>;

/** A route whose handler authenticates by itself (API keys); only the error mapping is added. */
export function route<P = EmptyParams, R extends Request = NextRequest>(
  handler: (request: R, params: P) => Promise<Response>,
) {
  return async (request: R, context?: NextRouteContext<P>): Promise<Response> => {
    try {
      return await handler(request, ((await context?.params) ?? {}) as P);
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}
