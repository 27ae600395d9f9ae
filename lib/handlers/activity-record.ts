import { getActivityDetails } from "@/db/queries/activity-records";
import { getRelatedRecords, laterOutcomeOf } from "@/db/queries/activity-related";
import { AppError } from "@/lib/errors";
import type { TenantRouteCall } from "@/lib/http/route";
import { parseOccurredAt } from "@/lib/ingest/record-schema";
import { annotate } from "@/lib/observability/request-context";

/**
 * One record's details, for an expanded row (GET /api/activity-log/records/:id), with the other
 * records of its operation (same correlation id) and, for one in progress, how it ended. `at` (the
 * record's time, which the row knows) pins the lookup to one partition. Another tenant's or
 * cloud's id answers 404, like a missing one.
 */
export async function getActivityRecord({ ctx, request, params }: TenantRouteCall<{ id: string }>): Promise<Response> {
  const at = request.nextUrl.searchParams.get("at");
  // Read as ingestion reads occurredAt, not with `new Date`: that also takes "1" or a year like
  // +275760, which PostgreSQL cannot read back, and the lookup would fail as a 500.
  const parsedAt = at === null ? null : parseOccurredAt(at);
  if (parsedAt && !parsedAt.ok) throw new AppError("bad_request", '"at" must be an ISO 8601 date-time.');
  const occurredAt = parsedAt?.ok ? parsedAt.date : undefined;
  const record = await getActivityDetails({ ctx, id: params.id, occurredAt });
  if (!record) throw new AppError("not_found", "No such activity record.");
  // The other records of its operation, and how an operation in progress ended.
  const related = await getRelatedRecords({ ctx, correlationId: record.correlationId, exclude: record });
  annotate({ rows: 1 + related.records.length });
  return Response.json(
    { record, related: related.records, relatedMore: related.more, outcome: laterOutcomeOf(record, related.records) },
    { headers: { "cache-control": "private, no-store" } },
  );
}
