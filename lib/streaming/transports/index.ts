import { sendSplunkHec } from "./splunk-hec";
import { sendSyslog } from "./syslog";
import type { OutgoingEvent, SendOptions, TransportTarget } from "./types";
import { sendWebhook } from "./webhook";
import type { StreamKind } from "@/lib/domain";

export { DeliveryError, type OutgoingEvent, type SendOptions, type TransportTarget } from "./types";

type Send = (target: TransportTarget, events: OutgoingEvent[], options: SendOptions) => Promise<void>;

const TRANSPORTS: Record<StreamKind, Send> = {
  webhook: sendWebhook,
  splunk_hec: sendSplunkHec,
  syslog: sendSyslog,
};

/** Sends one batch to a destination; resolves when the receiver acknowledged it, else throws DeliveryError. */
export function send(target: TransportTarget, events: OutgoingEvent[], options: SendOptions): Promise<void> {
  return TRANSPORTS[target.kind](target, events, options);
}
