import type { ActivityLogParams } from "@/lib/activity-log-params";
import type { Database } from "../client";
import type { OperationStatus } from "../schema";
import { withTenant, type TenantContext } from "../with-tenant";
import { writeActivity, type WrittenActivity } from "./activity";

/*
 * The log records reads of itself: who viewed or exported which range with which filters, and how
 * many rows, as records of the tenant's own log (`view_activity_log`, `export_activity_log`).
 * Written as the request role in its own transaction, like any other record.
 */

export type LogAccessKind = "view" | "export";

/** What a view or an export was asked for: the parsed params (paging position is not recorded). */
export type LogAccessParams = Pick<
  ActivityLogParams,
  "from" | "to" | "tz" | "range" | "customer" | "action" | "user" | "status"
> &
  Partial<Pick<ActivityLogParams, "size" | "dir">>;

const OPERATION: Record<LogAccessKind, string> = { view: "view_activity_log", export: "export_activity_log" };

export function logAccessData(kind: LogAccessKind, params: LogAccessParams, rowCount: number) {
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
      action: params.action ?? null,
      user: params.user ?? null,
      status: params.status ?? null,
    },
    rowCount,
    ...(kind === "view" && params.size !== undefined ? { pageSize: params.size } : {}),
  };
}

/**
 * Writes one record of a view (rowCount = rows shown) or an export (rowCount = rows written). An
 * export that failed part-way can say so with `operationStatus: "failed"`.
 */
export async function recordLogAccess({
  ctx,
  kind,
  params,
  rowCount,
  operationStatus = "succeeded",
  correlationId,
  db,
}: {
  ctx: TenantContext;
  kind: LogAccessKind;
  params: LogAccessParams;
  rowCount: number;
  operationStatus?: OperationStatus;
  correlationId?: string;
  db?: Database;
}): Promise<WrittenActivity> {
  return withTenant(
    ctx,
    (tx) =>
      writeActivity(tx, ctx, {
        operationType: OPERATION[kind],
        resourceType: "activity_log",
        operationStatus,
        correlationId,
        customizedData: logAccessData(kind, params, rowCount),
      }),
    db,
  );
}
