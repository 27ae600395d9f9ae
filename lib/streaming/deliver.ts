import { randomUUID } from "node:crypto";
import type { Sql } from "postgres";
import { withTenantSql, type TenantScope } from "@/db/scope";
import {
  claimDestination,
  dueDestinations,
  loadTarget,
  markDelivered,
  markFailed,
  nextBatch,
  releaseDestination,
  type DeliveryTarget,
  type DueDestination,
} from "@/db/streaming/outbox";
import { decryptSecret, SecretBoxError } from "@/lib/secret-box";
import { secretOwner, secretPurpose } from "./destination";
import { retryDelayMs, retryPolicy, type RetryPolicy } from "./backoff";
import { formatRecord } from "./formats";
import { eventIdFor, type StreamRecord } from "./record";
import { DeliveryError, send, type OutgoingEvent } from "./transports";
import { privateNetworksPolicy } from "./transports/address-policy";

/*
 * The delivery worker. A destination is served by the worker holding its lease, oldest waiting
 * rows first; rows leave the queue only once the receiver acknowledged them. If the process dies
 * mid-send the rows are still there: delivery is at least once, and a resend carries the same
 * event ids (and, for the same batch, the same webhook-id).
 *
 * No transaction is held open across a send: a session that dies meanwhile (a database restart)
 * would meet a postgres.js 3.4.9 defect that writes the next statement to the closed socket from a
 * setImmediate and kills the process (db/client.ts). Hence the lease instead of a lock.
 */

export interface DeliveryOptions {
  sql: Sql;
  policy?: RetryPolicy;
  /** One send's limit. */
  timeoutMs?: number;
  /** How long one destination is served before others get a turn. */
  turnMs?: number;
  /** Destinations served at once. */
  concurrency?: number;
  log?: (line: string) => void;
  /** This worker's lease owner id (one per worker; random when absent). */
  workerId?: string;
}

/** A lease outlives the send's timeout by this much, so a slow send never loses its lease mid-batch. */
const LEASE_SLACK_MS = 30_000;

export interface DestinationTurn {
  destinationId: string;
  delivered: number;
  /** The last failure of this turn, in words. */
  error?: string;
  /** Another worker held the destination. */
  busy?: boolean;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export function toOutgoing(target: Pick<DeliveryTarget, "format">, record: StreamRecord): OutgoingEvent {
  return {
    eventId: eventIdFor(record.tenantId, record.recordId),
    record,
    event: formatRecord(target.format, record),
  };
}

/** The stored secret, decrypted for one send; a failure says what to do in words. */
export function openSecret(target: DeliveryTarget): string | null {
  if (target.encryptedSecret === null) return null;
  try {
    return decryptSecret(target.encryptedSecret, secretPurpose(target.kind), secretOwner(target.tenantId, target.id));
  } catch (error) {
    if (error instanceof SecretBoxError) throw new DeliveryError(`the stored secret cannot be used: ${error.message}`);
    throw error;
  }
}

type BatchOutcome = { done: boolean; delivered: number; error?: string; busy?: boolean };

type Resolved = Required<Omit<DeliveryOptions, "sql" | "log">>;

/**
 * One batch: claim the lease and read the oldest rows (one short transaction), send with no
 * transaction open, then delete what the receiver acknowledged or record the failure (another).
 * A worker that dies between the two leaves the rows queued; its lease runs out and the batch is
 * sent again, with the same event ids and webhook-id.
 */
async function deliverBatch(sql: Sql, due: DueDestination, worker: string, options: Resolved): Promise<BatchOutcome> {
  const scope: TenantScope = { tenantId: due.tenantId, cloud: due.cloud };
  const leaseMs = options.timeoutMs + LEASE_SLACK_MS;
  const claimed = await withTenantSql(sql, scope, async (tx) => {
    if (!(await claimDestination(tx, scope, due.id, worker, leaseMs))) return null;
    const target = await loadTarget(tx, scope, due.id);
    if (!target) return null;
    return { target, batch: await nextBatch(tx, scope, due.id, target.batchSize) };
  });
  if (!claimed) return { done: true, delivered: 0, busy: true };
  const { target, batch } = claimed;
  if (batch.outboxIds.length === 0) return { done: true, delivered: 0 };
  const events = batch.records.map((record) => toOutgoing(target, record));
  let failure: DeliveryError | null = null;
  try {
    if (events.length > 0) await send(target, events, { secret: openSecret(target), timeoutMs: options.timeoutMs });
  } catch (error) {
    failure =
      error instanceof DeliveryError
        ? error
        : new DeliveryError(`could not send: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!failure) {
    await withTenantSql(sql, scope, (tx) => markDelivered(tx, scope, due.id, batch));
    return { done: batch.outboxIds.length < target.batchSize, delivered: events.length };
  }
  const failures = target.consecutiveFailures + 1;
  const pauseReason = failure.options.gone
    ? `Paused: ${failure.message}.`
    : failures >= options.policy.maxFailures
      ? `Paused after ${failures} failed attempts in a row. Last error: ${failure.message}.`
      : null;
  await withTenantSql(sql, scope, (tx) =>
    markFailed(tx, scope, due.id, {
      error: failure.message,
      retryInMs: retryDelayMs(failures, options.policy, failure.options.retryAfterMs),
      pauseReason,
    }),
  );
  return { done: true, delivered: 0, error: failure.message };
}

/** Serves one destination, batch after batch, until its queue is empty, a send fails or its turn ends. */
export async function serveDestination(
  sql: Sql,
  due: DueDestination,
  options: Omit<DeliveryOptions, "sql"> = {},
): Promise<DestinationTurn> {
  const resolved = resolveOptions(options);
  const worker = options.workerId ?? randomUUID();
  const turnEnds = Date.now() + resolved.turnMs;
  const turn: DestinationTurn = { destinationId: due.id, delivered: 0 };
  const scope: TenantScope = { tenantId: due.tenantId, cloud: due.cloud };
  try {
    for (;;) {
      const outcome = await deliverBatch(sql, due, worker, resolved);
      turn.delivered += outcome.delivered;
      if (outcome.error) turn.error = outcome.error;
      if (outcome.busy) turn.busy = true;
      if (outcome.done || Date.now() >= turnEnds) return turn;
    }
  } finally {
    if (!turn.busy)
      await withTenantSql(sql, scope, (tx) => releaseDestination(tx, scope, due.id, worker)).catch(() => {});
  }
}

function resolveOptions(options: Omit<DeliveryOptions, "sql">): Resolved {
  return {
    policy: options.policy ?? retryPolicy(),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    workerId: options.workerId ?? "",
    turnMs: options.turnMs ?? 5_000,
    concurrency: options.concurrency ?? 4,
  };
}

/** One pass: every due destination gets a turn, a few at a time. */
export async function deliverDue(options: DeliveryOptions): Promise<DestinationTurn[]> {
  const { concurrency } = resolveOptions(options);
  const workerId = options.workerId ?? randomUUID();
  const due = await dueDestinations(options.sql);
  const turns: DestinationTurn[] = [];
  let next = 0;
  const lane = async () => {
    while (next < due.length) {
      const destination = due[next++]!;
      turns.push(await serveDestination(options.sql, destination, { ...options, workerId }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, due.length) }, lane));
  return turns;
}

export interface StreamWorker {
  stop(): Promise<void>;
}

/**
 * Runs passes until stopped: at once again while there was work, else after `pollMs`. A database
 * outage is logged once per pass and waited out.
 */
export function startStreamWorker(options: DeliveryOptions & { pollMs?: number }): StreamWorker {
  const pollMs = options.pollMs ?? 1000;
  privateNetworksPolicy(); // a misconfigured policy stops the start with one line, not every delivery
  options = { ...options, workerId: options.workerId ?? randomUUID() };
  const log = options.log ?? ((line: string) => console.log(`[stream] ${line}`));
  let stopped = false;
  let wake: () => void = () => {};
  const loop = (async () => {
    while (!stopped) {
      let busy = false;
      try {
        const turns = await deliverDue(options);
        busy = turns.some((t) => t.delivered > 0 && !t.error);
        for (const t of turns) if (t.error) log(`destination ${t.destinationId}: ${t.error}`);
      } catch (error) {
        log(`delivery pass failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (!busy && !stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake();
      await loop;
    },
  };
}
