import { toErrorResponse } from "@/lib/errors";
import { annotate } from "@/lib/observability/request-context";
import { handleImport } from "@/lib/partner-center/handle-import";

/*
 * Import of Partner Center audit records, authenticated with the tenant's API key (proxy.ts lets
 * /api/v1 through without a session). The work is in lib/partner-center.
 */
export async function POST(request: Request): Promise<Response> {
  try {
    const result = await handleImport(request);
    annotate({ rows: result.body.records.length });
    return Response.json(result.body, { status: result.status });
  } catch (error) {
    return toErrorResponse(error);
  }
}
