import { annotate } from "@/lib/observability/request-context";

/** 201 when any record was created, 200 when every record was a duplicate of an earlier request. */
export function storedRecordsResponse(result: { status: number; body: { records: unknown[] } }): Response {
  annotate({ rows: result.body.records.length });
  return Response.json(result.body, { status: result.status });
}
