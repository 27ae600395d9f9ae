import type { NextRequest } from "next/server";
import { listAuditRecords } from "@/db/queries/audit-records";
import { authenticateApiKey } from "@/lib/ingest/handle-request";
import { annotate } from "@/lib/observability/request-context";
import { auditRecordsEnvelope, parseAuditPageRequest } from "@/lib/partner-center/read-api";
import type { TenantContext } from "@/lib/domain";

/*
 * Partner Center's GET /v1/auditrecords, answered from the log. A script authenticates with an API
 * key that has the read scope; a signed-in user with the log permission may call it too
 * (`signedIn` resolves that user). Either way the tenant and cloud come from the credential,
 * never from the request.
 */
export async function readAuditRecords(
  request: NextRequest,
  signedIn: () => Promise<TenantContext>,
): Promise<Response> {
  const scope = request.headers.has("authorization") ? await authenticateApiKey(request, "read") : await signedIn();
  const page = parseAuditPageRequest(request.nextUrl.searchParams, request.headers, new Date());
  const rows = await listAuditRecords({
    ctx: scope,
    range: { start: page.start, end: page.end },
    filter: page.filter,
    after: page.after,
    size: page.size + 1,
  });
  const body = auditRecordsEnvelope(page, rows, scope.tenantId);
  annotate({ rows: body.items.length });
  return Response.json(body, { headers: { "cache-control": "private, no-store" } });
}
