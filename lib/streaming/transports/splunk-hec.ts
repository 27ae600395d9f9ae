import os from "node:os";
import { postOrThrow } from "./http";
import { DeliveryError, type OutgoingEvent, type SendOptions, type TransportTarget } from "./types";

/*
 * Splunk HTTP Event Collector: POST /services/collector/event with `Authorization: Splunk
 * <token>`, the events as concatenated {time, host, source, sourcetype, event} envelopes.
 */

export const HEC_SOURCE = "partner-activity-log";
export const HEC_PATH = "/services/collector/event";

/** The collector URL: a bare base (https://splunk:8088) gets the event endpoint's path. */
export function hecUrl(url: string): string {
  const u = new URL(url);
  if (u.pathname === "/" || u.pathname === "") u.pathname = HEC_PATH;
  return u.toString();
}

export function hecEnvelope(event: OutgoingEvent, format: TransportTarget["format"], host = os.hostname()) {
  return {
    time: event.record.occurredAt.getTime() / 1000,
    host,
    source: HEC_SOURCE,
    sourcetype: format === "ocsf" ? "ocsf:api_activity" : "_json",
    event: event.event,
  };
}

export function hecBody(events: OutgoingEvent[], format: TransportTarget["format"]): string {
  return events.map((e) => JSON.stringify(hecEnvelope(e, format))).join("\n");
}

export async function sendSplunkHec(target: TransportTarget, events: OutgoingEvent[], options: SendOptions) {
  if (!target.url) throw new DeliveryError("the destination has no URL");
  if (!options.secret) throw new DeliveryError("the destination has no HEC token: enter it again");
  await postOrThrow(
    hecUrl(target.url),
    hecBody(events, target.format),
    { "content-type": "application/json", authorization: `Splunk ${options.secret}` },
    options.timeoutMs,
    (status, text) => {
      // HEC answers {"text": "...", "code": n}; its text is the useful part.
      try {
        const parsed = JSON.parse(text) as { text?: string; code?: number };
        if (parsed.text) return `${parsed.text}${parsed.code !== undefined ? ` (HEC code ${parsed.code})` : ""}`;
      } catch {
        // Not HEC's JSON: show what came.
      }
      return status === 401 || status === 403 ? "the HEC token was refused" : text;
    },
  );
}
