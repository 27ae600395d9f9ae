import { describeError, writeLog } from "./log";
import { annotate, currentRequest } from "./request-context";

/**
 * The line an export writes when its stream has settled, with the request's who and where: how
 * many rows went out, how long it took and how it ended. Its row count also goes on the request's
 * own line (which an aborted download may have written already: hence a line of its own).
 */
export function logExportSettled(result: {
  rows: number;
  durationMs: number;
  error?: unknown;
  aborted: boolean;
}): void {
  annotate({ rows: result.rows });
  const request = currentRequest();
  const { userId, tenantId, cloud, role } = request?.annotations ?? {};
  const outcome = result.error === undefined ? "complete" : result.aborted ? "aborted" : "failed";
  writeLog({
    level: outcome === "failed" ? "error" : "info",
    msg: "export",
    requestId: request?.requestId,
    route: request?.route,
    userId,
    tenantId,
    cloud,
    role,
    rows: result.rows,
    durationMs: result.durationMs,
    outcome,
    ...(outcome === "failed" ? describeError(result.error) : {}),
  });
}
