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
  type OutboxBatch,
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

type BatchOutcome = { delivered: number; error?: string; goOn?: boolean };

type Resolved = Required<Omit<DeliveryOptions, "sql" | "log">>;

type Claimed = { target: DeliveryTarget; batch: OutboxBatch };

/**
 * Claims the lease and reads the oldest queued rows, in one short transaction; null when another
 * worker holds the destination (or it is not due, or gone).
 */
async function claimBatch(sql: Sql, due: DueDestination, worker: string, options: Resolved): Promise<Claimed | null> {
  const scope: TenantScope = { tenantId: due.tenantId, cloud: due.cloud };
  return withTenantSql(sql, scope, async (tx) => {
    if (!(await claimDestination(tx, scope, due.id, worker, options.timeoutMs + LEASE_SLACK_MS))) return null;
    const target = await loadTarget(tx, scope, due.id);
    if (!target) return null;
    return { target, batch: await nextBatch(tx, scope, due.id, target.batchSize) };
  });
}

/** The rows after `afterId` (the last of a batch still being sent), read under the lease this turn holds. */
async function readAhead(sql: Sql, due: DueDestination, target: DeliveryTarget, afterId: string): Promise<Claimed> {
  const scope: TenantScope = { tenantId: due.tenantId, cloud: due.cloud };
  return withTenantSql(sql, scope, async (tx) => ({
    target,
    batch: await nextBatch(tx, scope, due.id, target.batchSize, afterId),
  }));
}

/**
 * Sends a claimed batch with no transaction open, then deletes what the receiver acknowledged or
 * records the failure (another short transaction). A worker that dies between the two leaves the
 * rows queued; its lease runs out and the batch is sent again, with the same event ids and webhook-id.
 */
async function sendBatch(
  sql: Sql,
  due: DueDestination,
  { target, batch }: Claimed,
  worker: string,
  options: Resolved,
): Promise<BatchOutcome> {
  const scope: TenantScope = { tenantId: due.tenantId, cloud: due.cloud };
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
    const { goOn } = await withTenantSql(sql, scope, (tx) =>
      markDelivered(tx, scope, due.id, batch, { worker, leaseMs: options.timeoutMs + LEASE_SLACK_MS }),
    );
    return { delivered: events.length, goOn };
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
  return { delivered: 0, error: failure.message };
}

/**
 * Serves one destination, batch after batch, until its queue is empty, a send fails or its turn
 * ends. Sends stay one at a time, in order; while one is on the wire the next batch is read, so the
 * receiver's round trip and the database's read overlap. A failed send, or a pause meanwhile,
 * discards that read.
 */
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
    const first = await claimBatch(sql, due, worker, resolved);
    if (!first) {
      turn.busy = true;
      return turn;
    }
    let claimed: Claimed = first;
    for (;;) {
      const { batch, target } = claimed;
      if (batch.outboxIds.length === 0) return turn;
      const more = batch.outboxIds.length >= target.batchSize && Date.now() < turnEnds;
      // Settled at once (a value or the error), so a read that is discarded never goes unhandled.
      const next = more
        ? readAhead(sql, due, target, batch.outboxIds.at(-1)!).then(
            (value) => ({ value }),
            (error: unknown) => ({ error }),
          )
        : null;
      const outcome = await sendBatch(sql, due, claimed, worker, resolved);
      turn.delivered += outcome.delivered;
      if (outcome.error) {
        turn.error = outcome.error;
        await next;
        return turn;
      }
      const read = await next;
      if (!read || !outcome.goOn) return turn; // nothing more, or paused, turned off or taken over meanwhile
      if ("error" in read) throw read.error;
      claimed = read.value;
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
