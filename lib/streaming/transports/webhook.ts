import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { Webhook } from "standardwebhooks";
import { postOrThrow } from "./http";
import { DeliveryError, type OutgoingEvent, type SendOptions, type TransportTarget } from "./types";

/*
 * Standard Webhooks: the body is signed with the destination's key by the standardwebhooks
 * library (webhook-id, webhook-timestamp, webhook-signature). One event per request is a JSON
 * object; more are NDJSON, one event per line.
 *
 * A batch of some size goes gzip-compressed (Content-Encoding: gzip; the signature covers the
 * NDJSON itself, which is what a receiver verifies once its server has decoded the body). A
 * receiver that refuses it (415 Unsupported Media Type) gets the same message again uncompressed
 * at once, and from then on, for as long as this worker runs.
 */

/** Below this, compressing saves less than it costs. */
export const GZIP_MIN_BYTES = 1024;
const gzipAsync = promisify(gzip);
/** Destinations (by id and URL) whose receiver answered 415 to a compressed body. */
const refusesGzip = new Set<string>();

/**
 * The message id: the single event's id, or a digest of the batch's event ids, so a batch sent
 * again after a lost acknowledgement carries the same webhook-id and receivers can drop it.
 */
export function webhookMessageId(events: OutgoingEvent[]): string {
  if (events.length === 1) return `msg_${events[0]!.eventId}`;
  const digest = createHash("sha256")
    .update(events.map((e) => e.eventId).join("\n"))
    .digest("base64url")
    .slice(0, 32);
  return `msg_batch_${digest}`;
}

export function webhookBody(events: OutgoingEvent[]): { body: string; contentType: string } {
  if (events.length === 1) return { body: JSON.stringify(events[0]!.event), contentType: "application/json" };
  return { body: events.map((e) => JSON.stringify(e.event)).join("\n") + "\n", contentType: "application/x-ndjson" };
}

export function signedWebhookHeaders(secret: string, messageId: string, body: string, now = new Date()) {
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(messageId, now, body),
  };
}

export async function sendWebhook(target: TransportTarget, events: OutgoingEvent[], options: SendOptions) {
  if (!target.url) throw new DeliveryError("the destination has no URL");
  if (!options.secret) throw new DeliveryError("the destination has no signing key: enter one again");
  const { body, contentType } = webhookBody(events);
  const messageId = options.messageId ?? webhookMessageId(events);
  const headers = {
    "content-type": contentType,
    "user-agent": "partner-activity-log-streaming/1",
    ...signedWebhookHeaders(options.secret, messageId, body),
  };
  const receiver = `${target.id} ${target.url}`;
  if (events.length > 1 && Buffer.byteLength(body) >= GZIP_MIN_BYTES && !refusesGzip.has(receiver)) {
    const compressed = await gzipAsync(body, { level: 1 }); // fast: the network, not the ratio, is the goal
    try {
      await postOrThrow(target.url, compressed, { ...headers, "content-encoding": "gzip" }, options.timeoutMs);
      return;
    } catch (error) {
      if (!(error instanceof DeliveryError) || error.options.status !== 415) throw error;
      refusesGzip.add(receiver);
    }
  }
  await postOrThrow(target.url, body, headers, options.timeoutMs);
}
