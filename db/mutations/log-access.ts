import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { ActivityLogParams } from "@/lib/activity-log-params";
import type { ExportFormat } from "@/lib/export/export-format";
import type { Database } from "../client";
import { activityRecordDetails, activityRecords } from "../schema";
import { withTenant, type Tx } from "../with-tenant";
import { writeActivity, type WrittenActivity } from "./activity";
import type { OperationStatus, TenantContext } from "@/lib/domain";

/*
 * The log records reads of itself: who viewed or exported which range with which filters, and how
 * many records matched, as records of the tenant's own log (`view_activity_log`,
 * `export_activity_log`). Written as the request role in its own transaction, like any other
 * record.
 */

export type LogAccessKind = "view" | "export";

/** What a view or an export was asked for: the parsed params (paging position is not recorded). */
export type LogAccessParams = Pick<
  ActivityLogParams,
  "from" | "to" | "tz" | "range" | "customer" | "action" | "user" | "status"
> &
  Partial<Pick<ActivityLogParams, "size" | "dir" | "includeLogAccess" | "q" | "correlation" | "excludeActions">>;

const OPERATION: Record<LogAccessKind, string> = { view: "view_activity_log", export: "export_activity_log" };

/**
 * Views of the same range and filters by the same user within this long make one record: the
 * first. Reloads, a language switch or a page-size change are the same look at the log, and a
 * record per click would fill the log with its reader.
 */
export const VIEW_COALESCE_WINDOW_MS = 5 * 60_000;

export function logAccessData(
  kind: LogAccessKind,
  params: LogAccessParams,
  rowCount: number,
  rowCountIsLowerBound = false,
  format: ExportFormat = "csv",
) {
  return {
    ...viewOf(params),
    rowCount,
    // Only for the other formats, so CSV exports keep their shape; line items count lines.
    ...(kind === "export" && format !== "csv" ? { format } : {}),
    // The page counts up to a cap and says "10,000+" beyond: then rowCount is what it knew.
    ...(rowCountIsLowerBound ? { rowCountIsLowerBound: true } : {}),
    ...(kind === "view" && params.size !== undefined ? { pageSize: params.size } : {}),
  };
}

/** What makes two views "the same": the range and the filters, as they are recorded. */
function viewOf(params: LogAccessParams) {
  return {
    range: {
      from: params.from,
      to: params.to,
      timeZone: params.tz,
      start: params.range.start.toISOString(),
      end: params.range.end.toISOString(),
    },
    filters: {
      customer: params.customer ?? null,
      action: recorded(params.action),
      user: recorded(params.user),
      status: recorded(params.status),
      ...(params.excludeActions && filterCount(params.action) > 0 ? { excludeActions: true } : {}),
      includeLogAccess: params.includeLogAccess ?? false,
      // Only when given, so the records of views without them keep their shape.
      ...(params.q ? { search: params.q } : {}),
      ...(params.correlation ? { correlation: params.correlation } : {}),
    },
  };
}

/**
 * A filter as the records of views have always held it: null for none, the value for one, and a
 * list only when several were chosen.
 */
function recorded<T extends string>(value: T | readonly T[] | null | undefined): T | T[] | null {
  if (value == null) return null;
  if (typeof value === "string") return value;
  const list = [...value] as T[];
  const [only] = list;
  return only === undefined ? null : list.length === 1 ? only : list;
}

const filterCount = (value: string | readonly string[] | null | undefined) =>
  value == null ? 0 : typeof value === "string" ? 1 : value.length;

/** A signed 64-bit advisory-lock key for one user's one view (collisions only serialise). */
function viewLockKey(ctx: TenantContext, view: ReturnType<typeof viewOf>): string {
  const digest = createHash("sha256")
    .update(JSON.stringify([ctx.tenantId, ctx.cloud, ctx.userPrincipalName.toLowerCase(), view]))
    .digest();
  return digest.readBigInt64BE(0).toString();
}

/**
 * The user's latest record of this same view within the window, if any. Reads the user's own
 * recent records through the user index (which includes operation_type) and their details by key.
 */
async function recentSameView(
  tx: Tx,
  ctx: TenantContext,
  view: ReturnType<typeof viewOf>,
  now: Date,
): Promise<WrittenActivity | null> {
  const r = activityRecords;
  const d = activityRecordDetails;
  const since = new Date(now.getTime() - VIEW_COALESCE_WINDOW_MS).toISOString();
  const rows = await tx
    .select({ id: r.id, occurredAt: r.occurredAt })
    .from(r)
    .innerJoin(d, sql`${d.tenantId} = ${r.tenantId} and ${d.occurredAt} = ${r.occurredAt} and ${d.recordId} = ${r.id}`)
    .where(
      sql`${r.tenantId} = ${ctx.tenantId} and ${r.cloud} = ${ctx.cloud}
        and ${r.userKey} = lower(${ctx.userPrincipalName})
        and ${r.occurredAt} >= ${since}::timestamptz
        and ${r.operationType} = ${OPERATION.view}
        and ${d.customizedData}->'range' = ${JSON.stringify(view.range)}::jsonb
        and ${d.customizedData}->'filters' = ${JSON.stringify(view.filters)}::jsonb`,
    )
    .orderBy(sql`${r.occurredAt} desc`)
    .limit(1);
  return rows[0] ?? null;
}

/**
 * Writes one record of a view (rowCount = records that matched, as the page counted them) or an
 * export (rowCount = rows written). An export that failed part-way can say so with
 * `operationStatus: "failed"`. A view the same user already had within VIEW_COALESCE_WINDOW_MS
 * writes nothing and answers the earlier record, `coalesced: true`. Two identical loads at once
 * queue on a transaction-level advisory lock for that user and view, so the second sees the
 * first's record (the log is append-only: there is nothing to update, only to not insert).
 */
export async function recordLogAccess({
  ctx,
  kind,
  params,
  rowCount,
  rowCountIsLowerBound = false,
  operationStatus = "succeeded",
  correlationId,
  format,
  db,
}: {
  ctx: TenantContext;
  kind: LogAccessKind;
  params: LogAccessParams;
  /** An export's format (csv when absent). */
  format?: ExportFormat;
  rowCount: number;
  rowCountIsLowerBound?: boolean;
  operationStatus?: OperationStatus;
  correlationId?: string;
  db?: Database;
}): Promise<WrittenActivity & { coalesced: boolean }> {
  return withTenant(
    ctx,
    async (tx) => {
      if (kind === "view") {
        const view = viewOf(params);
        await tx.execute(sql`select pg_advisory_xact_lock(${viewLockKey(ctx, view)}::bigint)`);
        // Read after the lock: in READ COMMITTED each statement sees what committed before it.
        const earlier = await recentSameView(tx, ctx, view, new Date());
        if (earlier) return { ...earlier, coalesced: true };
      }
      const written = await writeActivity(tx, ctx, {
        operationType: OPERATION[kind],
        resourceType: "activity_log",
        operationStatus,
        correlationId,
        customizedData: logAccessData(kind, params, rowCount, rowCountIsLowerBound, format),
      });
      return { ...written, coalesced: false };
    },
    db,
  );
}
