import net from "node:net";
import os from "node:os";
import tls from "node:tls";
import { assertLiteralAllowed, checkedLookup, privateNetworksPolicy } from "./address-policy";
import {
  DeliveryError,
  describeNetworkError,
  type OutgoingEvent,
  type SendOptions,
  type TransportTarget,
} from "./types";

/*
 * Syslog per RFC 5424 over TCP or TLS, framed by octet counting (RFC 6587 section 3.4.1):
 * `<len> <PRI>1 TIMESTAMP HOST APP PROCID MSGID [activity@32473 ...] {json}`. Facility 13 (log
 * audit); severity 6 (informational) for a success, 4 (warning) otherwise.
 */

export const SYSLOG_FACILITY = 13;
export const SYSLOG_APP_NAME = "partner-activity-log";
/*
 * The enterprise number in the SD-ID. 32473 is the number RFC 5612 reserves for documentation and
 * examples; a deployment with its own IANA Private Enterprise Number sets SYSLOG_ENTERPRISE_NUMBER.
 */
export const DEFAULT_ENTERPRISE_NUMBER = "32473";
export const SD_NAME = "activity";

export const syslogSeverity = (status: string) => (status === "succeeded" ? 6 : 4);

/** PARAM-VALUE escaping (RFC 5424 section 6.3.3): `"`, `\` and `]` take a backslash. */
export const escapeSdValue = (value: string) => value.replace(/["\\\]]/g, (c) => `\\${c}`);

/** A header field: printable US-ASCII only (no space), at most `max` characters, "-" when empty. */
function headerField(value: string, max: number): string {
  const clean = value.replace(/[^\x21-\x7e]/g, "_").slice(0, max);
  return clean || "-";
}

export interface SyslogOptions {
  hostname?: string;
  procId?: string;
  enterpriseNumber?: string;
}

export function syslogMessage(event: OutgoingEvent, options: SyslogOptions = {}): string {
  const r = event.record;
  const pri = SYSLOG_FACILITY * 8 + syslogSeverity(r.operationStatus);
  const enterprise = options.enterpriseNumber ?? process.env.SYSLOG_ENTERPRISE_NUMBER ?? DEFAULT_ENTERPRISE_NUMBER;
  const params: Array<[string, string | null]> = [
    ["eventId", event.eventId],
    ["recordId", String(r.recordId)],
    ["tenantId", r.tenantId],
    ["cloud", r.cloud],
    ["user", r.userPrincipalName],
    ["operation", r.operationType],
    ["resourceType", r.resourceType],
    ["status", r.operationStatus],
    ["customerId", r.customerId],
    ["correlationId", r.correlationId],
  ];
  const sd = `[${SD_NAME}@${enterprise}${params
    .filter((p): p is [string, string] => p[1] !== null)
    .map(([name, value]) => ` ${name}="${escapeSdValue(value)}"`)
    .join("")}]`;
  // Milliseconds: RFC 5424 allows at most six fractional digits; the log keeps three.
  const timestamp = r.occurredAt.toISOString();
  const host = headerField(options.hostname ?? os.hostname(), 255);
  const procId = headerField(options.procId ?? String(process.pid), 128);
  const msgId = headerField(r.operationType, 32);
  return `<${pri}>1 ${timestamp} ${host} ${SYSLOG_APP_NAME} ${procId} ${msgId} ${sd} ${JSON.stringify(event.event)}`;
}

/** Octet-counting framing: the message's length in bytes, a space, the message. */
export function octetCounted(message: string): Buffer {
  const body = Buffer.from(message, "utf8");
  return Buffer.concat([Buffer.from(`${body.length} `, "ascii"), body]);
}

/**
 * Sends a batch over one connection and counts it acknowledged when the receiver, having read our
 * end of the stream, closes its side without error: it then read every frame (TCP syslog has no
 * acknowledgement of its own). A reset or a timeout leaves the batch queued for a retry.
 */
export async function sendSyslog(target: TransportTarget, events: OutgoingEvent[], options: SendOptions) {
  if (!target.host || !target.port) throw new DeliveryError("the destination has no host and port");
  const where = `${target.host}:${target.port}`;
  const payload = Buffer.concat(events.map((e) => octetCounted(syslogMessage(e))));
  const policy = privateNetworksPolicy();
  try {
    assertLiteralAllowed(target.host, policy); // an IP literal is connected to without a lookup
  } catch (error) {
    throw new DeliveryError(describeNetworkError(error, where, options.timeoutMs));
  }
  const lookup = checkedLookup(policy);
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error === undefined) resolve();
      else
        reject(
          error instanceof DeliveryError
            ? error
            : new DeliveryError(describeNetworkError(error, where, options.timeoutMs)),
        );
    };
    const onConnect = () => {
      socket.end(payload);
    };
    const socket: net.Socket = target.tls
      ? tls.connect(
          {
            host: target.host!,
            port: target.port!,
            servername: net.isIP(target.host!) ? undefined : target.host!,
            ca: target.tlsCa ? [...(tls.rootCertificates ?? []), target.tlsCa] : undefined,
            lookup,
          },
          onConnect,
        )
      : net.connect({ host: target.host!, port: target.port!, lookup }, onConnect);
    const timer = setTimeout(
      () =>
        finish(new DeliveryError(`${where} did not take the events within ${Math.round(options.timeoutMs / 1000)} s`)),
      options.timeoutMs,
    );
    socket.on("error", (error) => finish(error));
    socket.on("data", () => {}); // a receiver has nothing to say; reading keeps its FIN flowing to us
    socket.on("end", () => finish());
    socket.on("close", (hadError) => {
      if (!hadError) finish(new DeliveryError(`the connection to ${where} closed before the events were taken`));
    });
  });
}
