import { recordLogAccess } from "@/db/mutations/log-access";
import { getExportTenantName } from "@/db/queries/activity-export";
import { resolveActivitySearch } from "@/db/queries/activity-records";
import { parseActivityLogParams } from "@/lib/activity-log-params";
import { holdSessionWhileStreaming } from "@/lib/auth/server-session";
import { AppError } from "@/lib/errors";
import { createActivityCsvStream } from "@/lib/export/activity-csv";
import { contentDisposition, exportFileName } from "@/lib/export/download-headers";
import { EXPORT_CONTENT_TYPES, parseExportFormat } from "@/lib/export/export-format";
import type { TenantRouteCall } from "@/lib/http/route";
import { logExportSettled } from "@/lib/observability/export-log";

/*
 * "Export log" (GET /api/activity-log/export): the page's own link with the export path in front,
 * and `format` beside it (csv, ndjson or line-items). Everything that can fail with a status
 * (sign-in, role, params) is settled before the Response exists: once the first byte is out, the
 * status is 200 for good, and a failure can only abort the download.
 */
export async function exportActivityLog({ ctx, sessionId, request }: TenantRouteCall): Promise<Response> {
  const search = request.nextUrl.searchParams;
  const parsed = parseActivityLogParams(search);
  const format = parseExportFormat(search);
  const errors = [...(parsed.ok ? [] : parsed.errors), ...(format.ok ? [] : [format.error])];
  if (!parsed.ok || !format.ok) {
    throw new AppError("bad_request", errors.map((e) => e.message).join(" "), errors);
  }
  // What the search stands for, settled before the Response like everything else that can fail.
  const params = await resolveActivitySearch({ ctx, params: parsed.value });
  const tenant = await getExportTenantName({ ctx });
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
    format: format.format,
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
        format: format.format,
        rowCount: rows,
        operationStatus: error ? "failed" : "succeeded",
      }).catch((failure: unknown) => console.error("could not record the export of the activity log", failure));
    },
  });
  const headers = {
    "content-type": EXPORT_CONTENT_TYPES[format.format],
    "content-disposition": contentDisposition(
      exportFileName({ tenant, cloud: ctx.cloud, params: parsed.value, format: format.format }),
    ),
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  };
  return new Response(stream, { headers });
}
