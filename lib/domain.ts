/*
 * The product's shared vocabulary: clouds, roles, statuses, who a request acts for. Dependency-free
 * so that lib/, the browser bundle and db/schema.ts share one copy. Enumerations are plain text with
 * CHECK constraints in the migrations: the operation type set is open by design, and text keeps
 * adding a status a one-line change.
 */

export const CLOUDS = ["commercial", "usgov"] as const;
export type Cloud = (typeof CLOUDS)[number];

export const PARTNER_ROLES = ["global_admin", "admin_agent", "sales_agent", "helpdesk_agent", "billing_admin"] as const;
export type PartnerRole = (typeof PARTNER_ROLES)[number];

export const OPERATION_STATUSES = ["succeeded", "failed", "progress", "decline"] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

export const API_KEY_SCOPES = ["ingest", "read"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const STREAM_KINDS = ["webhook", "splunk_hec", "syslog"] as const;
export type StreamKind = (typeof STREAM_KINDS)[number];

export const STREAM_FORMATS = ["json", "ocsf"] as const;
export type StreamFormat = (typeof STREAM_FORMATS)[number];

/** One part of a seal: the rows of one UTC month of `occurred_at` (one partition) and their hash. */
export interface SealPart {
  /** YYYY-MM. */
  month: string;
  rows: number;
  hash: string;
}

/** Who a request acts for. Built only by getTenantContext() from a verified session. */
export interface TenantContext {
  tenantId: string;
  cloud: Cloud;
  userId: string;
  userPrincipalName: string;
  role: PartnerRole;
}
