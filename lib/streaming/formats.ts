import { eventIdFor, type StreamRecord } from "./record";
import type { StreamFormat } from "@/lib/domain";

/*
 * The two shapes a destination can receive: our own JSON record, or OCSF API Activity (class
 * 6003). docs/log-streaming.md documents both field by field; keep it in step.
 */

export const PRODUCT_NAME = "Partner Activity Log";
export const PRODUCT_VENDOR = "Partner Activity Log";
export const OCSF_VERSION = "1.6.0";

export interface StreamJsonRecord {
  id: string;
  eventId: string;
  time: string;
  recordedAt: string;
  tenantId: string;
  cloud: StreamRecord["cloud"];
  user: string;
  applicationId: string;
  operation: string;
  resourceType: string;
  status: StreamRecord["operationStatus"];
  customer: { id: string | null; name: string | null } | null;
  correlationId: string;
  details: { resourceOldValue: unknown; resourceNewValue: unknown; customizedData: unknown } | null;
}

export function toStreamJson(record: StreamRecord): StreamJsonRecord {
  const hasDetails =
    record.resourceOldValue !== null || record.resourceNewValue !== null || record.customizedData !== null;
  return {
    id: String(record.recordId),
    eventId: eventIdFor(record.tenantId, record.recordId),
    time: record.occurredAt.toISOString(),
    recordedAt: record.recordedAt.toISOString(),
    tenantId: record.tenantId,
    cloud: record.cloud,
    user: record.userPrincipalName,
    applicationId: record.applicationId,
    operation: record.operationType,
    resourceType: record.resourceType,
    status: record.operationStatus,
    customer:
      record.customerId === null && record.customerName === null
        ? null
        : { id: record.customerId, name: record.customerName },
    correlationId: record.correlationId,
    details: hasDetails
      ? {
          resourceOldValue: record.resourceOldValue,
          resourceNewValue: record.resourceNewValue,
          customizedData: record.customizedData,
        }
      : null,
  };
}

/** OCSF API Activity activities; anything the operation's verb does not name is Other (99). */
export const OCSF_ACTIVITIES = { 1: "Create", 2: "Read", 3: "Update", 4: "Delete", 99: "Other" } as const;
export type OcsfActivityId = keyof typeof OCSF_ACTIVITIES;

// Operation types are snake_case (create_order) or PascalCase (UpdateCustomerQualification, from
// Partner Center): the first word is the verb.
const VERBS: Array<[OcsfActivityId, RegExp]> = [
  [1, /^(create|add|register|provision|purchase|invite|new|enable|activate)$/],
  [2, /^(get|read|view|list|export|search|download|query|show)$/],
  [3, /^(update|change|edit|modify|set|assign|upgrade|patch|reset|rename|convert|transfer|accept|approve|suspend)$/],
  [4, /^(delete|remove|revoke|cancel|unassign|disable|deactivate|end|terminate|unregister)$/],
];

export function ocsfActivityId(operationType: string): OcsfActivityId {
  const verb = (operationType.match(/^[A-Za-z][a-z]*/)?.[0] ?? "").toLowerCase();
  if (verb) for (const [id, pattern] of VERBS) if (pattern.test(verb)) return id;
  return 99;
}

const OCSF_STATUS: Record<StreamRecord["operationStatus"], { id: 1 | 2 | 99; name: string }> = {
  succeeded: { id: 1, name: "Success" },
  failed: { id: 2, name: "Failure" },
  progress: { id: 99, name: "Other" },
  decline: { id: 99, name: "Other" },
};

export const CLOUD_PARTITION: Record<StreamRecord["cloud"], string> = {
  commercial: "AzureCloud",
  usgov: "AzureUSGovernment",
};

export const OCSF_API_ACTIVITY_CLASS = 6003;

export function toOcsf(record: StreamRecord) {
  const activityId = ocsfActivityId(record.operationType);
  const status = OCSF_STATUS[record.operationStatus];
  const own = toStreamJson(record);
  return {
    class_uid: OCSF_API_ACTIVITY_CLASS,
    class_name: "API Activity",
    category_uid: 6,
    category_name: "Application Activity",
    activity_id: activityId,
    activity_name: OCSF_ACTIVITIES[activityId],
    type_uid: OCSF_API_ACTIVITY_CLASS * 100 + activityId,
    type_name: `API Activity: ${OCSF_ACTIVITIES[activityId]}`,
    severity_id: 1,
    severity: "Informational",
    status_id: status.id,
    status: status.name,
    status_detail: record.operationStatus,
    time: record.occurredAt.getTime(),
    actor: {
      user: { name: record.userPrincipalName, uid: record.userPrincipalName, type_id: 1, type: "User" },
      app_name: record.applicationId,
    },
    api: {
      operation: record.operationType,
      service: { name: "Partner Center" },
      request: { uid: record.correlationId },
    },
    cloud: { provider: "Azure", cloud_partition: CLOUD_PARTITION[record.cloud] },
    resources: [{ type: record.resourceType }],
    metadata: {
      uid: own.eventId,
      correlation_uid: record.correlationId,
      tenant_uid: record.tenantId,
      version: OCSF_VERSION,
      logged_time: record.recordedAt.getTime(),
      product: { name: PRODUCT_NAME, vendor_name: PRODUCT_VENDOR },
    },
    unmapped: {
      recordId: own.id,
      cloud: record.cloud,
      operationStatus: record.operationStatus,
      customer: own.customer,
      details: own.details,
    },
  };
}

export type OcsfApiActivity = ReturnType<typeof toOcsf>;

/** The event a destination receives for one record, in its format. */
export function formatRecord(format: StreamFormat, record: StreamRecord): StreamJsonRecord | OcsfApiActivity {
  return format === "ocsf" ? toOcsf(record) : toStreamJson(record);
}
