import { randomUUID } from "node:crypto";
import { activityRecordDetails, activityRecords } from "../schema";
import { singleRow } from "../single-row";
import type { Tx } from "../with-tenant";
import type { OperationStatus, TenantContext } from "@/lib/domain";

/** The application id of records the portal writes about its own actions. */
export const PORTAL_APPLICATION_ID = "Partner Center Web";

export interface NewActivity {
  operationType: string;
  resourceType: string;
  operationStatus?: OperationStatus;
  customerId?: string | null;
  customerName?: string | null;
  correlationId?: string;
  resourceOldValue?: unknown;
  resourceNewValue?: unknown;
  customizedData?: unknown;
}

export interface WrittenActivity {
  id: number;
  occurredAt: Date;
}

/**
 * Writes one activity record (and its details) for the signed-in user, inside the caller's
 * withTenant transaction, so the record commits or rolls back with the action it describes.
 * Milliseconds only: a JS Date holds no more, which is what the log's CHECK constraint wants.
 */
export async function writeActivity(tx: Tx, ctx: TenantContext, activity: NewActivity): Promise<WrittenActivity> {
  const occurredAt = new Date();
  const inserted = await tx
    .insert(activityRecords)
    .values({
      tenantId: ctx.tenantId,
      cloud: ctx.cloud,
      occurredAt,
      customerId: activity.customerId ?? null,
      customerName: activity.customerName ?? null,
      operationType: activity.operationType,
      resourceType: activity.resourceType,
      operationStatus: activity.operationStatus ?? "succeeded",
      userPrincipalName: ctx.userPrincipalName,
      applicationId: PORTAL_APPLICATION_ID,
      correlationId: activity.correlationId ?? randomUUID(),
    })
    .returning({ id: activityRecords.id });
  const row = singleRow(inserted, "Inserting an activity record");
  const details = {
    resourceOldValue: activity.resourceOldValue ?? null,
    resourceNewValue: activity.resourceNewValue ?? null,
    customizedData: activity.customizedData ?? null,
  };
  if (details.resourceOldValue !== null || details.resourceNewValue !== null || details.customizedData !== null) {
    await tx.insert(activityRecordDetails).values({ tenantId: ctx.tenantId, occurredAt, recordId: row.id, ...details });
  }
  return { id: row.id, occurredAt };
}
