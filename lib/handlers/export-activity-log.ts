import { recordLogAccess } from "@/db/mutations/log-access";
import { resolveActivitySearch } from "@/db/queries/activity-records";
import { parseActivityLogParams } from "@/lib/activity-log-params";
import { holdSessionWhileStreaming } from "@/lib/auth/server-session";
import { AppError } from "@/lib/errors";
import { createActivityCsvStream } from "@/lib/export/activity-csv";
import { contentDisposition, exportFileName } from "@/lib/export/download-headers";
import type { TenantRouteCall } from "@/lib/http/route";
import { logExportSettled } from "@/lib/observability/export-log";

/*
 * "Export log" (GET /api/activity-log/export): the page's own link with the export path in front.
 * Everything that can fail with a status (sign-in, role, params) is settled before the Response
 * exists: once the first CSV byte is out, the status is 200 for good, and a failure can only
 * abort the download.
 */
export async function exportActivityLog({ ctx, sessionId, request }: TenantRouteCall): Promise<Response> {
  const parsed = parseActivityLogParams(request.nextUrl.searchParams);
  if (!parsed.ok) {
    throw new AppError("bad_request", parsed.errors.map((e) => e.message).join(" "), parsed.errors);
  }
  // What the search stands for, settled before the Response like everything else that can fail.
  const params = await resolveActivitySearch({ ctx, params: parsed.value });
  const startedAt = performance.now();
  // A long download keeps its session from going idle, and stops when the session ends.
  const session = holdSessionWhileStreaming({
    scope: { tenantId: ctx.tenantId, cloud: ctx.cloud },
    sessionId,
    userId: ctx.userId,
    request: request.signal,
  });
  const stream = createActivityCsvStream({
    ctx,
    params,
    signal: session.signal,
    // The log records its own exports: who, which range and filters, how many rows, and
    // whether the download completed.
    onSettled: ({ rows, error }) => {
      session.stop();
      logExportSettled({ rows, error, durationMs: performance.now() - startedAt, aborted: request.signal.aborted });
      void recordLogAccess({
        ctx,
        kind: "export",
        params,
        rowCount: rows,
        operationStatus: error ? "failed" : "succeeded",
      }).catch((failure: unknown) => console.error("could not record the export of the activity log", failure));
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": contentDisposition(exportFileName(ctx.cloud, params.from, params.to)),
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
