import { randomUUID } from "node:crypto";
import type { TransactionSql } from "postgres";
import type { TenantScope } from "@/db/scope";
import { AppError } from "@/lib/errors";
import { encryptSecret } from "@/lib/secret-box";
import {
  DESTINATION_ISSUES,
  shownUrl,
  secretOwner,
  secretPurpose,
  type DestinationInput,
} from "@/lib/streaming/destination";
import { invalidInput, issue } from "@/lib/validation";
import type { Cloud, OperationStatus, StreamFormat, StreamKind } from "@/lib/domain";

/*
 * Stream destinations of one tenant and cloud, as the request role (row-level security checks
 * every row). Times travel as epoch milliseconds: a pool Drizzle shares returns timestamptz as text.
 */

export interface DestinationView {
  id: string;
  tenantId: string;
  cloud: Cloud;
  name: string;
  kind: StreamKind;
  url: string | null;
  host: string | null;
  port: number | null;
  tls: boolean;
  tlsCa: string | null;
  format: StreamFormat;
  batchSize: number;
  operationTypes: string[];
  statuses: OperationStatus[];
  customerIds: string[];
  /** Whether a secret is stored; the secret itself never leaves the database layer decrypted. */
  hasSecret: boolean;
  enabled: boolean;
  pausedAt: Date | null;
  pausedReason: string | null;
  consecutiveFailures: number;
  nextAttemptAt: Date;
  deliveredCount: number;
  lastError: string | null;
  lastErrorAt: Date | null;
  lastDeliveredAt: Date | null;
  /**
   * Records waiting, and how long the next one to go has waited, in ms (the lag; the queue's head
   * by key, so it reads one index entry), 0 when none wait.
   */
  pending: number;
  lagMs: number;
}

export const DESTINATION_COLUMNS = `
  d.id, d.tenant_id, d.cloud, d.name, d.kind, d.url, d.host, d.port, d.tls, d.tls_ca, d.format, d.batch_size,
  d.operation_types, d.statuses, d.customer_ids::text[] as customer_ids, d.secret is not null as has_secret,
  d.enabled, d.consecutive_failures, d.delivered_count::text as delivered_count, d.paused_reason, d.last_error,
  (extract(epoch from d.paused_at) * 1000)::float8 as paused_ms,
  (extract(epoch from d.next_attempt_at) * 1000)::float8 as next_attempt_ms,
  (extract(epoch from d.last_error_at) * 1000)::float8 as last_error_ms,
  (extract(epoch from d.last_delivered_at) * 1000)::float8 as last_delivered_ms`;

const STATUS_COLUMNS = `
  (select count(*) from stream_outbox o where o.tenant_id = d.tenant_id and o.destination_id = d.id)::int8::text as pending,
  coalesce((extract(epoch from now() - (select o.enqueued_at from stream_outbox o
            where o.tenant_id = d.tenant_id and o.destination_id = d.id order by o.id limit 1)) * 1000)::float8, 0) as lag_ms`;

export type DestinationRow = Record<string, unknown>;

const time = (ms: unknown) => (ms === null || ms === undefined ? null : new Date(Number(ms)));

export function toDestinationView(r: DestinationRow): DestinationView {
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    cloud: r.cloud as Cloud,
    name: r.name as string,
    kind: r.kind as StreamKind,
    url: r.url === null || r.url === undefined ? null : shownUrl(r.url as string),
    host: (r.host as string | null) ?? null,
    port: r.port === null ? null : Number(r.port),
    tls: Boolean(r.tls),
    tlsCa: (r.tls_ca as string | null) ?? null,
    format: r.format as StreamFormat,
    batchSize: Number(r.batch_size),
    operationTypes: (r.operation_types as string[]) ?? [],
    statuses: (r.statuses as OperationStatus[]) ?? [],
    customerIds: (r.customer_ids as string[]) ?? [],
    hasSecret: Boolean(r.has_secret),
    enabled: Boolean(r.enabled),
    pausedAt: time(r.paused_ms),
    pausedReason: (r.paused_reason as string | null) ?? null,
    consecutiveFailures: Number(r.consecutive_failures),
    nextAttemptAt: time(r.next_attempt_ms)!,
    deliveredCount: Number(r.delivered_count),
    lastError: (r.last_error as string | null) ?? null,
    lastErrorAt: time(r.last_error_ms),
    lastDeliveredAt: time(r.last_delivered_ms),
    pending: Number(r.pending ?? 0),
    lagMs: Math.max(0, Math.round(Number(r.lag_ms ?? 0))),
  };
}

export async function listDestinations(tx: TransactionSql, scope: TenantScope): Promise<DestinationView[]> {
  const rows = await tx.unsafe<DestinationRow[]>(
    `select ${DESTINATION_COLUMNS}, ${STATUS_COLUMNS} from stream_destinations d
     where d.tenant_id = $1 and d.cloud = $2 order by d.name, d.id`,
    [scope.tenantId, scope.cloud],
  );
  return rows.map(toDestinationView);
}

/** One destination of the tenant; another tenant's (or a malformed id) is not found. */
export async function getDestination(tx: TransactionSql, scope: TenantScope, id: string): Promise<DestinationView> {
  const rows = await tx.unsafe<DestinationRow[]>(
    `select ${DESTINATION_COLUMNS}, ${STATUS_COLUMNS} from stream_destinations d
     where d.tenant_id = $1 and d.cloud = $2 and d.id::text = $3`,
    [scope.tenantId, scope.cloud, id.toLowerCase()],
  );
  if (!rows[0]) throw new AppError("not_found", "There is no such log streaming destination.");
  return toDestinationView(rows[0]);
}

const encrypted = (scope: TenantScope, id: string, input: DestinationInput) =>
  input.secret === undefined
    ? null
    : encryptSecret(input.secret, secretPurpose(input.kind), secretOwner(scope.tenantId, id));

export async function insertDestination(
  tx: TransactionSql,
  scope: TenantScope,
  input: DestinationInput,
  id: string = randomUUID(),
): Promise<DestinationView> {
  await tx.unsafe(
    `insert into stream_destinations (tenant_id, cloud, id, name, kind, url, host, port, tls, tls_ca, format, batch_size,
       operation_types, statuses, customer_ids, secret, enabled)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::text[], $14::text[], $15::uuid[], $16, $17)`,
    [
      scope.tenantId,
      scope.cloud,
      id,
      input.name,
      input.kind,
      input.url,
      input.host,
      input.port,
      input.tls,
      input.tlsCa,
      input.format,
      input.batchSize,
      input.operationTypes,
      input.statuses,
      input.customerIds,
      encrypted(scope, id, input),
      input.enabled,
    ] as never[],
  );
  return getDestination(tx, scope, id);
}

/**
 * Changes a destination's settings. The kind stays (a webhook key is no HEC token); a secret left
 * out keeps the stored one. A changed target (URL, host, port) starts afresh: no failure count.
 */
export async function updateDestination(
  tx: TransactionSql,
  scope: TenantScope,
  id: string,
  input: DestinationInput,
): Promise<DestinationView> {
  const before = await getDestination(tx, scope, id);
  if (before.kind !== input.kind) throw invalidInput([issue(DESTINATION_ISSUES, "kind", "kind_fixed")]);
  await tx.unsafe(
    `update stream_destinations set name = $4, url = $5, host = $6, port = $7, tls = $8, tls_ca = $9, format = $10,
       batch_size = $11, operation_types = $12::text[], statuses = $13::text[], customer_ids = $14::uuid[],
       secret = coalesce($15, secret), enabled = $16, updated_at = now(),
       consecutive_failures = case when url is distinct from $5 or host is distinct from $6 or port is distinct from $7
                                   or $15::text is not null then 0 else consecutive_failures end,
       next_attempt_at = case when url is distinct from $5 or host is distinct from $6 or port is distinct from $7
                              or $15::text is not null then now() else next_attempt_at end
     where tenant_id = $1 and cloud = $2 and id = $3`,
    [
      scope.tenantId,
      scope.cloud,
      before.id,
      input.name,
      input.url,
      input.host,
      input.port,
      input.tls,
      input.tlsCa,
      input.format,
      input.batchSize,
      input.operationTypes,
      input.statuses,
      input.customerIds,
      encrypted(scope, before.id, input),
      input.enabled,
    ] as never[],
  );
  return getDestination(tx, scope, before.id);
}

/** Removes a destination and what it still had queued. */
export async function deleteDestination(tx: TransactionSql, scope: TenantScope, id: string): Promise<DestinationView> {
  const before = await getDestination(tx, scope, id);
  await tx`delete from stream_destinations where tenant_id = ${scope.tenantId} and cloud = ${scope.cloud} and id = ${before.id}`;
  return before;
}

/** Stops delivery (records keep queueing) with the reason in words. */
export async function pauseDestination(
  tx: TransactionSql,
  scope: TenantScope,
  id: string,
  reason: string,
): Promise<DestinationView> {
  const before = await getDestination(tx, scope, id);
  await tx`
    update stream_destinations set paused_at = coalesce(paused_at, now()), paused_reason = ${reason}, updated_at = now()
    where tenant_id = ${scope.tenantId} and cloud = ${scope.cloud} and id = ${before.id}`;
  return getDestination(tx, scope, before.id);
}

/** Delivery resumes at once, with a fresh failure count. */
export async function resumeDestination(tx: TransactionSql, scope: TenantScope, id: string): Promise<DestinationView> {
  const before = await getDestination(tx, scope, id);
  await tx`
    update stream_destinations
    set paused_at = null, paused_reason = null, consecutive_failures = 0, next_attempt_at = now(), updated_at = now()
    where tenant_id = ${scope.tenantId} and cloud = ${scope.cloud} and id = ${before.id}`;
  return getDestination(tx, scope, before.id);
}

/**
 * Replay: queues the log's records that occurred at or after `since` (and match the destination's
 * filters) again, oldest first, after what is already waiting. A record still waiting is not
 * queued twice. Answers how many were queued.
 */
export async function replaySince(tx: TransactionSql, scope: TenantScope, id: string, since: Date): Promise<number> {
  const before = await getDestination(tx, scope, id);
  const rows = await tx.unsafe<Array<{ queued: string }>>(
    `with queued as (
       insert into stream_outbox (tenant_id, cloud, destination_id, record_id, occurred_at)
       select r.tenant_id, r.cloud, d.id, r.id, r.occurred_at
       from stream_destinations d
       join activity_records r on r.tenant_id = d.tenant_id and r.cloud = d.cloud
       where d.tenant_id = $1 and d.cloud = $2 and d.id = $3 and r.occurred_at >= $4::text::timestamptz
         and (cardinality(d.operation_types) = 0 or r.operation_type = any (d.operation_types))
         and (cardinality(d.statuses) = 0 or r.operation_status = any (d.statuses))
         and (cardinality(d.customer_ids) = 0 or r.customer_id = any (d.customer_ids))
       order by r.occurred_at, r.id
       on conflict (tenant_id, destination_id, record_id) do nothing
       returning 1)
     select count(*)::int8::text as queued from queued`,
    [scope.tenantId, scope.cloud, before.id, since.toISOString()],
  );
  return Number(rows[0]?.queued ?? 0);
}
