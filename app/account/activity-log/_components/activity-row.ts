import type { ActivityListRow } from "@/db/queries/activity-records";
import type { RowAnnotation } from "@/db/queries/activity-related";
import { translatedActionLabel, translatedStatusLabel, type CatalogTranslator } from "@/lib/activity-labels";
import { formatDateTime } from "@/lib/format";
import type { OperationStatus } from "@/lib/domain";

/** What the browser gets for one row: plain, already formatted in the chosen zone and the reader's locale. */
export interface ActivityRowView {
  id: number;
  occurredAt: string;
  occurredAtText: string;
  customerId: string | null;
  customerName: string | null;
  /** A failed "Add customer": the name it tried; no customer exists to link to. */
  attemptedCustomerName: string | null;
  correlationId: string;
  operationType: string;
  actionLabel: string;
  resourceType: string;
  status: OperationStatus;
  statusLabel: string;
  userPrincipalName: string;
  /** The partner user's name in the directory, when the UPN is one of the tenant's users. */
  userDisplayName: string | null;
  /** For a record in progress whose operation has since ended: how, and when (formatted). */
  laterOutcome: { status: "succeeded" | "failed"; occurredAt: string; occurredAtText: string } | null;
}

export function toRowView(
  row: ActivityListRow,
  {
    timeZone,
    locale,
    t,
    displayNames,
  }: { timeZone: string; locale: string; t: CatalogTranslator; displayNames?: ReadonlyMap<string, string> },
  annotation?: RowAnnotation,
): ActivityRowView {
  const laterOutcome = annotation?.laterOutcome ?? null;
  return {
    id: row.id,
    occurredAt: row.occurredAt.toISOString(),
    occurredAtText: formatDateTime(row.occurredAt, timeZone, locale),
    customerId: row.customerId,
    customerName: row.customerName,
    attemptedCustomerName: annotation?.attemptedCustomerName ?? null,
    correlationId: row.correlationId,
    operationType: row.operationType,
    actionLabel: translatedActionLabel(t, row.operationType),
    resourceType: row.resourceType,
    status: row.operationStatus,
    statusLabel: translatedStatusLabel(t, row.operationStatus),
    userPrincipalName: row.userPrincipalName,
    userDisplayName: displayNames?.get(row.userPrincipalName.toLowerCase()) ?? null,
    laterOutcome: laterOutcome
      ? {
          status: laterOutcome.status,
          occurredAt: laterOutcome.occurredAt.toISOString(),
          occurredAtText: formatDateTime(laterOutcome.occurredAt, timeZone, locale),
        }
      : null,
  };
}
