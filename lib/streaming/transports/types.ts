import type { StreamRecord } from "../record";
import type { StreamFormat, StreamKind } from "@/lib/domain";

/** One event on its way out: the record, its stable id, and the body in the destination's format. */
export interface OutgoingEvent {
  eventId: string;
  record: StreamRecord;
  event: unknown;
}

/** Where and how to send (the parts of a destination a transport needs). */
export interface TransportTarget {
  id: string;
  kind: StreamKind;
  format: StreamFormat;
  url: string | null;
  host: string | null;
  port: number | null;
  tls: boolean;
  tlsCa: string | null;
  batchSize: number;
}

export interface SendOptions {
  /** The decrypted signing key or token; held only for the send. */
  secret: string | null;
  timeoutMs: number;
  /** The webhook message id; derived from the events when absent. */
  messageId?: string;
}

/**
 * A send that did not reach the receiver or was not acknowledged, in words a person can act on.
 * `gone`: the receiver said it no longer wants events (410), so the destination pauses at once.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly options: { gone?: boolean; retryAfterMs?: number; status?: number } = {},
  ) {
    super(message);
    this.name = "DeliveryError";
  }
}

/** A network failure as a sentence: "could not connect to host:port (ECONNREFUSED)". */
export function describeNetworkError(error: unknown, where: string, timeoutMs: number): string {
  const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError" || e?.code === "ETIMEDOUT")
    return `${where} did not answer within ${Math.round(timeoutMs / 1000)} s`;
  const code = e?.cause?.code ?? e?.code;
  const detail = e?.cause?.message ?? e?.message ?? String(error);
  if (code === "EDESTINATIONBLOCKED") return `did not connect to ${where}: ${detail}`;
  if (code === "ECONNREFUSED") return `could not connect to ${where}: the connection was refused (nothing listening?)`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `could not find the host of ${where} (DNS: ${code})`;
  if (code === "ECONNRESET" || code === "EPIPE")
    return `the connection to ${where} was closed before the send completed`;
  if (typeof code === "string" && /CERT|SSL|TLS|SELF_SIGNED/.test(code))
    return `the TLS certificate of ${where} was not accepted (${code})`;
  return `could not send to ${where}: ${detail}${code ? ` (${code})` : ""}`;
}
