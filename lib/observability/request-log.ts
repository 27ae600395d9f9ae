import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isUuid, writeLog, type LogEntry } from "./log";
import type { RequestState } from "./request-context";
import { isStaticAsset, requestPathname, type RouteMatch } from "./route-pattern";

/*
 * The server's half of the request log (scripts/serve.ts): open a RequestState when a request
 * arrives, write its line when the response has ended or the client has gone. The app's half
 * fills in the annotations (lib/observability/request-context.ts) while it serves.
 */

export interface OpenRequest {
  state: RequestState;
  params?: Record<string, string>;
  staticAsset: boolean;
  prefetch: boolean;
  startedAt: number;
}

/**
 * A request id: the caller's X-Request-Id when it is a UUID (a load balancer's, to join their
 * logs with ours), else a new one. Anything else a client sends there is ignored, not logged.
 */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === "string" && isUuid(header) ? header.toLowerCase() : randomUUID();
}

export function openRequest(
  req: Pick<IncomingMessage, "method" | "url" | "headers">,
  matchRoute: (pathname: string) => RouteMatch,
  now: number = performance.now(),
): OpenRequest {
  const pathname = requestPathname(req.url);
  const { route, params } = matchRoute(pathname);
  return {
    state: {
      requestId: requestIdFrom(req.headers["x-request-id"]),
      method: req.method ?? "GET",
      route,
      annotations: {},
    },
    params,
    staticAsset: isStaticAsset(pathname),
    prefetch: req.headers["next-router-prefetch"] === "1",
    startedAt: now,
  };
}

/** The line for a request that has ended: `finished` false when the client went away first. */
export function requestLogEntry(
  open: OpenRequest,
  result: { status: number; finished: boolean; now?: number },
): LogEntry {
  const { state } = open;
  const { userId, tenantId, cloud, role, apiKeyId, rows } = state.annotations;
  return {
    // Static files at debug: a page view fetches a dozen, none runs app code or knows a user.
    level: result.status >= 500 ? "error" : open.staticAsset ? "debug" : "info",
    msg: "request",
    requestId: state.requestId,
    method: state.method,
    route: state.route,
    params: open.params,
    status: result.status,
    durationMs: (result.now ?? performance.now()) - open.startedAt,
    userId,
    tenantId,
    cloud,
    role,
    apiKeyId,
    rows,
    aborted: result.finished ? undefined : true,
    prefetch: open.prefetch || undefined,
  };
}

/**
 * Logs `res` when it closes (after the last byte, or when the client went away). Sets the
 * X-Request-Id response header now: Next sends headers inside its handler, so later is too late.
 */
export function logWhenClosed(open: OpenRequest, res: ServerResponse): void {
  res.setHeader("x-request-id", open.state.requestId);
  res.once("close", () => writeLog(requestLogEntry(open, { status: res.statusCode, finished: res.writableFinished })));
}
