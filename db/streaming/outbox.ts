import type { Sql, TransactionSql } from "postgres";
import { scopeMaintenanceSql, type TenantScope } from "@/db/scope";
import type { StreamRecord } from "@/lib/streaming/record";
import { DESTINATION_COLUMNS, toDestinationView, type DestinationView } from "./destinations";
import type { Cloud, OperationStatus } from "@/lib/domain";

/*
 * The delivery worker's SQL (lib/streaming/deliver.ts). Finding what is due crosses tenants and
 * runs under maintenance; everything about one destination runs in short transactions scoped to
 * its tenant. With several workers, a destination is served by the one holding its lease
 * (lease_owner, lease_until), batch after batch, in order; no transaction stays open while the
 * receiver is sent to.
 */

export interface DueDestination extends TenantScope {
  id: string;
}

/** Destinations that are on, not paused, past their next attempt time, unleased, with records waiting. */
export async function dueDestinations(sql: Sql, limit = 100): Promise<DueDestination[]> {
  return (await sql.begin(async (tx) => {
    await scopeMaintenanceSql(tx);
    const rows = await tx<Array<{ tenant_id: string; cloud: Cloud; id: string }>>`
      select d.tenant_id, d.cloud, d.id from stream_destinations d
      where d.enabled and d.paused_at is null and d.next_attempt_at <= now()
        and (d.lease_until is null or d.lease_until < now())
        and exists (select 1 from stream_outbox o where o.tenant_id = d.tenant_id and o.destination_id = d.id)
      order by d.next_attempt_at
      limit ${limit}`;
    return rows.map((r) => ({ tenantId: r.tenant_id, cloud: r.cloud, id: r.id }));
  })) as DueDestination[];
}

/**
 * Takes (or renews) the destination's lease for `worker` if it is due and no other worker holds
 * an unexpired lease. The row lock of the UPDATE makes concurrent claims queue: the second one
 * re-reads the row, finds the first one's lease and takes nothing.
 */
export async function claimDestination(
  tx: TransactionSql,
  scope: TenantScope,
  id: string,
  worker: string,
  leaseMs: number,
): Promise<boolean> {
  const rows = await tx`
    update stream_destinations
    set lease_owner = ${worker}, lease_until = now() + make_interval(secs => ${leaseMs / 1000}::float8)
    where tenant_id = ${scope.tenantId} and cloud = ${scope.cloud} and id = ${id}
      and enabled and paused_at is null and next_attempt_at <= now()
      and (lease_until is null or lease_until < now() or lease_owner = ${worker})
    returning 1`;
  return rows.length === 1;
}

/** Gives the lease back at the end of a turn (only the holder's own). */
export async function releaseDestination(tx: TransactionSql, scope: TenantScope, id: string, worker: string) {
  await tx`
    update stream_destinations set lease_owner = null, lease_until = null
    where tenant_id = ${scope.tenantId} and cloud = ${scope.cloud} and id = ${id} and lease_owner = ${worker}`;
}

export interface DeliveryTarget extends DestinationView {
  /** Still encrypted: lib/streaming/deliver.ts decrypts it for the send only. */
  encryptedSecret: string | null;
}

/** The URL as stored, query values and all (DestinationView's `url` hides them). */
export async function storedUrl(tx: TransactionSql, scope: TenantScope, id: string): Promise<string | null> {
  const [row] = await tx`
    select url from stream_destinations
    where tenant_id = ${scope.tenantId} and cloud = ${scope.cloud} and id::text = ${id.toLowerCase()}`;
  return (row?.url as string | null | undefined) ?? null;
}

/** The destination with its (still encrypted) secret. */
export async function loadTarget(tx: TransactionSql, scope: TenantScope, id: string): Promise<DeliveryTarget | null> {
  const rows = await tx.unsafe<Array<Record<string, unknown>>>(
    `select ${DESTINATION_COLUMNS}, d.secret from stream_destinations d
     where d.tenant_id = $1 and d.cloud = $2 and d.id::text = $3`,
    [scope.tenantId, scope.cloud, id.toLowerCase()],
  );
  if (!rows[0]) return null;
  return {
    ...toDestinationView(rows[0]),
    url: (rows[0].url as string | null) ?? null, // the worker sends to the URL as stored
    encryptedSecret: (rows[0].secret as string | null) ?? null,
  };
}

export interface OutboxBatch {
  /** Every outbox row of the batch, delivered or not (a record gone by retention has no record). */
  outboxIds: string[];
  records: StreamRecord[];
}

type BatchRow = {
  outbox_id: string;
  record_id: string | null;
  cloud: Cloud;
  occurred_ms: number;
  recorded_ms: number;
  customer_id: string | null;
  customer_name: string | null;
  operation_type: string;
  resource_type: string;
  operation_status: OperationStatus;
  user_principal_name: string;
  application_id: string;
  correlation_id: string;
  resource_old_value: unknown;
  resource_new_value: unknown;
  customized_data: unknown;
};

/**
 * The oldest waiting rows, with their records and details, in queue order. Each record and its
 * details are fetched by their key, one probe per row: LATERAL with LIMIT 1 keeps the planner from
 * flattening them into a plain join, which it planned (on a freshly filled queue's statistics) as
 * a scan of the tenant's whole range per row, 80-650 ms a batch instead of 3 (npm run bench).
 */
export async function nextBatch(
  tx: TransactionSql,
  scope: TenantScope,
  destinationId: string,
  limit: number,
  /** Only rows after this outbox id: the batch after one still being sent. */
  afterId?: string,
): Promise<OutboxBatch> {
  const after = afterId === undefined ? "" : "and id > $5::int8";
  const rows = await tx.unsafe<BatchRow[]>(
    `select o.id::text as outbox_id, r.id::text as record_id, r.cloud,
            (extract(epoch from r.occurred_at) * 1000)::float8 as occurred_ms,
            (extract(epoch from r.recorded_at) * 1000)::float8 as recorded_ms,
            r.customer_id, r.customer_name, r.operation_type, r.resource_type, r.operation_status,
            r.user_principal_name, r.application_id, r.correlation_id,
            det.resource_old_value, det.resource_new_value, det.customized_data
     from (select id, record_id, occurred_at from stream_outbox
           where tenant_id = $1 and cloud = $2 and destination_id = $3 ${after} order by id limit $4) o
     left join lateral (
       select * from activity_records r
       where r.tenant_id = $1 and r.cloud = $2 and r.occurred_at = o.occurred_at and r.id = o.record_id
       limit 1) r on true
     left join lateral (
       select * from activity_record_details det
       where det.tenant_id = $1 and det.occurred_at = o.occurred_at and det.record_id = o.record_id
       limit 1) det on true
     order by o.id`,
    afterId === undefined
      ? [scope.tenantId, scope.cloud, destinationId, limit]
      : [scope.tenantId, scope.cloud, destinationId, limit, afterId],
  );
  return {
    outboxIds: rows.map((r) => r.outbox_id),
    records: rows
      .filter((r) => r.record_id !== null)
      .map((r) => ({
        recordId: Number(r.record_id),
        tenantId: scope.tenantId,
        cloud: r.cloud,
        occurredAt: new Date(Number(r.occurred_ms)),
        recordedAt: new Date(Number(r.recorded_ms)),
        customerId: r.customer_id,
        customerName: r.customer_name,
        operationType: r.operation_type,
        resourceType: r.resource_type,
        operationStatus: r.operation_status,
        userPrincipalName: r.user_principal_name,
        applicationId: r.application_id,
        correlationId: r.correlation_id,
        resourceOldValue: r.resource_old_value ?? null,
        resourceNewValue: r.resource_new_value ?? null,
        customizedData: r.customized_data ?? null,
      })),
  };
}

/** The receiver acknowledged the batch: its rows leave the queue, the counters move on. */
export async function markDelivered(
  tx: TransactionSql,
  scope: TenantScope,
  destinationId: string,
  batch: OutboxBatch,
  lease?: { worker: string; leaseMs: number },
): Promise<{ goOn: boolean }> {
  // The holder's lease is extended with the acknowledgement; whether the turn may go on (still on,
  // not paused, still ours) comes back with it, so a pause takes effect at the next batch. One
  // statement: the delete runs as a data-modifying CTE.
  const worker = lease?.worker ?? null;
  const leaseSeconds = (lease?.leaseMs ?? 0) / 1000;
  const rows = await tx<Array<{ go_on: boolean }>>`
    with acknowledged as (
      delete from stream_outbox
      where tenant_id = ${scope.tenantId} and destination_id = ${destinationId} and id = any(${batch.outboxIds}::int8[]))
    update stream_destinations
    set delivered_count = delivered_count + ${batch.records.length}, consecutive_failures = 0,
        last_delivered_at = case when ${batch.records.length}::int > 0 then now() else last_delivered_at end,
        next_attempt_at = now(),
        lease_until = case when lease_owner = ${worker}::uuid
                           then now() + make_interval(secs => ${leaseSeconds}::float8) else lease_until end
    where tenant_id = ${scope.tenantId} and cloud = ${scope.cloud} and id = ${destinationId}
    returning (enabled and paused_at is null and lease_owner is not distinct from ${worker}::uuid) as go_on`;
  return { goOn: rows[0]?.go_on === true };
}

export interface FailureUpdate {
  error: string;
  retryInMs: number;
  /** Set: the destination pauses with this reason. */
  pauseReason: string | null;
}

/** A failed attempt: the rows stay queued; the next attempt waits, or the destination pauses. */
export async function markFailed(
  tx: TransactionSql,
  scope: TenantScope,
  destinationId: string,
  failure: FailureUpdate,
): Promise<void> {
  await tx`
    update stream_destinations
    set consecutive_failures = consecutive_failures + 1, last_error = ${failure.error}, last_error_at = now(),
        next_attempt_at = now() + make_interval(secs => ${failure.retryInMs / 1000}::float8),
        paused_at = case when ${failure.pauseReason}::text is null then paused_at else now() end,
        paused_reason = coalesce(${failure.pauseReason}::text, paused_reason)
    where tenant_id = ${scope.tenantId} and cloud = ${scope.cloud} and id = ${destinationId}`;
}
