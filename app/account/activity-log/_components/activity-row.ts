import type { ActivityListRow } from "@/db/queries/activity-records";
import type { OperationStatus } from "@/db/schema";
import { translatedActionLabel, translatedStatusLabel, type CatalogTranslator } from "@/lib/activity-labels";
import { formatDateTime } from "@/lib/format";

/** What the browser gets for one row: plain, already formatted in the chosen zone and the reader's locale. */
export interface ActivityRowView {
  id: number;
  occurredAt: string;
  occurredAtText: string;
  customerId: string | null;
  customerName: string | null;
  operationType: string;
  actionLabel: string;
  resourceType: string;
  status: OperationStatus;
  statusLabel: string;
  userPrincipalName: string;
}

export function toRowView(
  row: ActivityListRow,
  { timeZone, locale, t }: { timeZone: string; locale: string; t: CatalogTranslator },
): ActivityRowView {
  return {
    id: row.id,
    occurredAt: row.occurredAt.toISOString(),
    occurredAtText: formatDateTime(row.occurredAt, timeZone, locale),
    customerId: row.customerId,
    customerName: row.customerName,
    operationType: row.operationType,
    actionLabel: translatedActionLabel(t, row.operationType),
    resourceType: row.resourceType,
    status: row.operationStatus,
    statusLabel: translatedStatusLabel(t, row.operationStatus),
    userPrincipalName: row.userPrincipalName,
  };
}
