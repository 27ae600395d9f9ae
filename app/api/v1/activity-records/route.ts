import { handleIngest } from "@/lib/ingest/handle-request";
import { toErrorResponse } from "@/lib/errors";
import { annotate } from "@/lib/observability/request-context";

/*
 * The ingestion API: the portal's services send activity records here, authenticated with a
 * per-tenant API key (proxy.ts lets this path through without a session). All the work is in
 * lib/ingest; this maps the outcome to HTTP. 201 when any record was created, 200 when every
 * record was a duplicate of an earlier request.
 */
export async function POST(request: Request): Promise<Response> {
  try {
    const result = await handleIngest(request);
    annotate({ rows: result.body.records.length });
    return Response.json(result.body, { status: result.status });
  } catch (error) {
    return toErrorResponse(error);
  }
}
