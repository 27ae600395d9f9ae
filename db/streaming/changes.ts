import { randomUUID } from "node:crypto";
import type { TransactionSql } from "postgres";
import { PORTAL_APPLICATION_ID } from "@/db/mutations/activity";
import { shownUrl } from "@/lib/streaming/destination";
import type { DestinationView } from "./destinations";
import type { TenantContext } from "@/lib/domain";

/*
 * Every change to log streaming is itself a record of the tenant's log, written in the change's
 * own transaction (as db/mutations/activity.ts does for Drizzle transactions). The record carries
 * the settings, never the secret: only whether it was set or replaced.
 */

export type StreamChange =
  | "create_log_stream"
  | "update_log_stream"
  | "delete_log_stream"
  | "pause_log_stream"
  | "resume_log_stream"
  | "replay_log_stream"
  | "test_log_stream";

/** A destination's settings as a record shows them (no secret, no delivery counters). */
export function destinationSettings(d: DestinationView) {
  return {
    id: d.id,
    name: d.name,
    kind: d.kind,
    url: d.url === null ? null : shownUrl(d.url), // a delivery target carries the stored URL
    host: d.host,
    port: d.port,
    tls: d.tls,
    format: d.format,
    batchSize: d.batchSize,
    operationTypes: d.operationTypes,
    statuses: d.statuses,
    customerIds: d.customerIds,
    enabled: d.enabled,
    hasSecret: d.hasSecret,
  };
}

export async function recordStreamChange(
  tx: TransactionSql,
  ctx: TenantContext,
  change: StreamChange,
  values: {
    before?: DestinationView | null;
    after?: DestinationView | null;
    data?: Record<string, unknown>;
    operationStatus?: "succeeded" | "failed";
  },
): Promise<void> {
  const [row] = await tx<[{ id: string; occurred_at: string }]>`
    insert into activity_records (tenant_id, cloud, occurred_at, operation_type, resource_type, operation_status,
                                  user_principal_name, application_id, correlation_id)
    values (${ctx.tenantId}, ${ctx.cloud}, date_trunc('milliseconds', clock_timestamp()), ${change},
            'log_stream_destination', ${values.operationStatus ?? "succeeded"}, ${ctx.userPrincipalName},
            ${PORTAL_APPLICATION_ID}, ${randomUUID()})
    returning id::text, occurred_at::text`;
  const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
  await tx`
    insert into activity_record_details (tenant_id, occurred_at, record_id, resource_old_value, resource_new_value,
                                         customized_data)
    values (${ctx.tenantId}, ${row.occurred_at}::timestamptz, ${row.id}::int8,
            ${json(values.before ? destinationSettings(values.before) : null)}::jsonb,
            ${json(values.after ? destinationSettings(values.after) : null)}::jsonb,
            ${json(values.data ?? null)}::jsonb)`;
}
