import { randomUUID } from "node:crypto";
import type { DeliveryTarget } from "@/db/streaming/outbox";
import { openSecret, toOutgoing } from "./deliver";
import type { StreamRecord } from "./record";
import { DeliveryError, send } from "./transports";
import type { TenantContext } from "@/lib/domain";

/**
 * "Send test event": one event in the destination's format and transport, at once, whether the
 * destination is paused or not, outside the queue. Its ids are fresh (it is no record of the log)
 * and it says `test: true`. Answers the failure in words, or null when the receiver took it.
 */
export async function sendTestEvent(target: DeliveryTarget, ctx: TenantContext): Promise<string | null> {
  const record: StreamRecord = {
    recordId: 0,
    tenantId: ctx.tenantId,
    cloud: ctx.cloud,
    occurredAt: new Date(Math.floor(Date.now())),
    recordedAt: new Date(),
    customerId: null,
    customerName: null,
    operationType: "test_log_stream",
    resourceType: "log_stream_destination",
    operationStatus: "succeeded",
    userPrincipalName: ctx.userPrincipalName,
    applicationId: "Partner Activity Log",
    correlationId: randomUUID(),
    resourceOldValue: null,
    resourceNewValue: null,
    customizedData: { test: true, destination: target.name },
  };
  const eventId = randomUUID();
  const outgoing = toOutgoing(target, record);
  const event = outgoing.event as Record<string, unknown>;
  if (target.format === "ocsf") {
    (event.metadata as Record<string, unknown>).uid = eventId;
    event.unmapped = { ...(event.unmapped as object), test: true };
  } else {
    Object.assign(event, { id: `test-${eventId}`, eventId, test: true });
  }
  try {
    await send(target, [{ ...outgoing, eventId, event }], {
      secret: openSecret(target),
      timeoutMs: 10_000,
      messageId: `msg_test_${eventId}`,
    });
    return null;
  } catch (error) {
    if (error instanceof DeliveryError) return error.message;
    throw error;
  }
}
