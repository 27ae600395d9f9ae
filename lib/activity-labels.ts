import type { OperationStatus } from "@/lib/domain";

/*
 * How an operation type reads in the log. The set is open: producers add types before the UI
 * learns them, so an unknown type is humanised rather than hidden or shown raw.
 *
 * Two audiences:
 * - The CSV export and the API: fixed English labels (ACTION_LABELS, STATUS_LABELS, actionLabel),
 *   the same in every locale so that scripts reading the file keep working.
 * - The screen: the message catalogs (`actions.<operation_type>`, `statuses.<status>`,
 *   `resources.<resource_type>` in messages/*.json) through the translated* helpers below. The
 *   English catalog holds exactly these English labels (tests/unit/i18n-catalogs.test.ts).
 */
export const ACTION_LABELS: Readonly<Record<string, string>> = {
  create_order: "Created order",
  update_subscription: "Updated subscription",
  add_customer: "Added customer",
  create_referral: "Created referral",
  create_customer_user: "Created customer user",
  update_customer_user_licenses: "Updated customer user licenses",
  remove_partner_customer_relationship: "Removed partner-customer relationship",
  reset_customer_user_password: "Reset customer user password",
  delete_customer_user: "Deleted customer user",
  update_customer_billing_profile: "Updated customer billing profile",
  purchase_subscription: "Purchased subscription",
  view_activity_log: "Viewed activity log",
  export_activity_log: "Exported activity log",
  apply_log_retention: "Applied log retention",
  end_user_session: "Ended user session",
  end_all_user_sessions: "Signed out everywhere",
  create_partner_center_connection: "Connected Partner Center",
  update_partner_center_connection: "Updated Partner Center connection",
  create_log_stream: "Added log streaming destination",
  update_log_stream: "Updated log streaming destination",
  delete_log_stream: "Deleted log streaming destination",
  pause_log_stream: "Paused log streaming",
  resume_log_stream: "Resumed log streaming",
  replay_log_stream: "Replayed log to destination",
  test_log_stream: "Sent log streaming test event",
  create_saved_view: "Saved activity log view",
  update_saved_view: "Updated activity log view",
  delete_saved_view: "Deleted activity log view",
  // The rest of Partner Center's operation types (its SDK's OperationType, snake_case as its REST
  // API sends them), so records imported from Partner Center read as they do there.
  update_customer_qualification: "Updated customer qualification",
  upgrade_subscription: "Upgraded subscription",
  convert_trial_subscription: "Converted trial subscription",
  update_customer_partner_contract_company_name: "Updated customer's partner contract company name",
  update_customer_spending_budget: "Updated customer spending budget",
  delete_customer: "Deleted customer",
  update_order: "Updated order",
  update_customer_user: "Updated customer user",
  update_customer_user_principal_name: "Updated customer user principal name",
  restore_customer_user: "Restored customer user",
  create_mpn_association: "Created MPN association",
  update_mpn_association: "Updated MPN association",
  update_sfb_customer_user_licenses: "Updated Skype for Business customer user licenses",
  update_transfer: "Updated transfer",
  create_partner_relationship: "Created partner relationship",
  register_application: "Registered application",
  unregister_application: "Unregistered application",
  add_application_credential: "Added application credential",
  remove_application_credential: "Removed application credential",
  create_partner_user: "Created partner user",
  update_partner_user: "Updated partner user",
  remove_partner_user: "Removed partner user",
  update_referral: "Updated referral",
  get_software_key: "Retrieved software key",
  get_software_download_link: "Retrieved software download link",
  increase_spending_limit: "Increased spending limit",
  ready_invoice: "Invoice became ready",
  create_agreement: "Created agreement",
  extend_relationship: "Extended relationship to indirect provider",
  create_transfer: "Created transfer",
  create_self_serve_policy: "Created self-serve policy",
  update_self_serve_policy: "Updated self-serve policy",
  delete_self_serve_policy: "Deleted self-serve policy",
  remove_partner_relationship: "Removed partner relationship",
  delete_tip_customer: "Deleted sandbox customer",
  create_related_referral: "Created related referral",
  update_related_referral: "Updated related referral",
  granular_admin_relationship_approved: "Approved granular admin relationship",
  granular_admin_relationship_activated: "Activated granular admin relationship",
  granular_admin_relationship_termination_requested: "Requested termination of granular admin relationship",
  granular_admin_relationship_terminated: "Terminated granular admin relationship",
  granular_admin_relationship_expired: "Granular admin relationship expired",
  granular_admin_access_assignment_created: "Created granular admin access assignment",
  granular_admin_access_assignment_updated: "Updated granular admin access assignment",
  granular_admin_access_assignment_deleted: "Deleted granular admin access assignment",
  dap_admin_relationship_approved: "Approved DAP admin relationship",
  dap_admin_relationship_terminated: "Terminated DAP admin relationship",
  create_credit: "Created credit",
  update_credit: "Updated credit",
  cancel_credit: "Canceled credit",
  add_user_member: "Added user member",
  remove_user_member: "Removed user member",
  granular_admin_access_assignment_activated: "Activated granular admin access assignment",
  software_attestation: "Confirmed software attestation",
  granular_admin_relationship_cleaned_up: "Cleaned up granular admin relationship",
  update_company_info: "Updated company information",
  policy_created: "Created policy",
  policy_updated: "Updated policy",
  policy_deleted: "Deleted policy",
  device_updated: "Updated device",
  devices_update_attempted: "Attempted to update devices",
  device_deleted: "Deleted device",
  devices_upload_to_new_batch_attempted: "Attempted to upload devices to a new batch",
  devices_upload_to_existing_batch_attempted: "Attempted to upload devices to an existing batch",
  manage_overage: "Managed overage",
  dap_admin_relationship_terminated_by_microsoft: "Microsoft terminated DAP admin relationship",
  azure_fraud_event_detected: "Detected Azure fraud event",
  create_new_commerce_migration: "Created new-commerce migration",
};

export function humanise(identifier: string): string {
  const words = identifier
    .replace(/[_\-.]+/g, " ")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .trim()
    .toLowerCase();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : "Unknown action";
}

/** A label of the record's own (a key like "constructor" must not read Object.prototype). */
const ownLabel = (labels: Readonly<Record<string, string>>, key: string): string | undefined =>
  Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : undefined;

export const actionLabel = (operationType: string): string =>
  ownLabel(ACTION_LABELS, operationType) ?? humanise(operationType);

export const KNOWN_OPERATION_TYPES = Object.keys(ACTION_LABELS);

export const STATUS_LABELS: Record<OperationStatus, string> = {
  succeeded: "Succeeded",
  failed: "Failed",
  progress: "In progress",
  decline: "Declined",
};

/*
 * How a resource type reads: the ones the seed, the portal and the ingestion examples use, then
 * the rest of Partner Center's (its SDK's ResourceType, snake_case). Others are humanised.
 */
export const RESOURCE_LABELS: Readonly<Record<string, string>> = {
  order: "Order",
  subscription: "Subscription",
  license: "License",
  customer: "Customer",
  customer_user: "Customer user",
  referral: "Referral",
  activity_log: "Activity log",
  user_session: "User session",
  data_source: "Data source",
  log_stream_destination: "Log streaming destination",
  saved_view: "Saved view",
  third_party_add_on: "Third-party add-on",
  mpn_association: "MPN association",
  transfer: "Transfer",
  application: "Application",
  application_credential: "Application credential",
  partner_user: "Partner user",
  partner_relationship: "Partner relationship",
  software_key: "Software key",
  software_download_link: "Software download link",
  spending_limit: "Spending limit",
  invoice: "Invoice",
  agreement: "Agreement",
  partner_customer_relationship: "Partner-customer relationship",
  self_serve_policy: "Self-serve policy",
  granular_admin_relationship: "Granular admin relationship",
  granular_admin_access_assignment: "Granular admin access assignment",
  partner_customer_dap: "Partner-customer DAP",
  credit: "Credit",
  customer_directory_role: "Customer directory role",
  software_page: "Software page",
  device: "Device",
  policy: "Policy",
  overage: "Overage",
  new_commerce_migration: "New-commerce migration",
  azure_entitlement: "Azure entitlement",
  indirect_provider_indirect_reseller_dap: "Indirect provider-indirect reseller DAP",
};

export const KNOWN_RESOURCE_TYPES = Object.keys(RESOURCE_LABELS);

export const resourceLabel = (resourceType: string): string =>
  ownLabel(RESOURCE_LABELS, resourceType) ?? humanise(resourceType);

/** Subscription states and billing cycles shown on a customer's Subscriptions page. */
export const KNOWN_SUBSCRIPTION_STATUSES = ["active", "suspended", "expired"] as const;
export const KNOWN_BILLING_CYCLES = ["monthly", "annual"] as const;

/**
 * The part of a next-intl translator these helpers use, whichever namespace it was created for
 * (the root one: keys are full paths). Keys here are built from data, so they are not type-checked:
 * `has` decides, and unknown values fall back.
 */
export interface CatalogTranslator {
  (key: string, values?: Record<string, string | number>): string;
  has(key: string): boolean;
  raw(key: string): unknown;
}

/** A root translator (`useTranslations()` / `await getTranslations()`) as a CatalogTranslator. */
export const asCatalog = (translator: unknown): CatalogTranslator => translator as CatalogTranslator;

// Catalog keys are paths: a value holding a dot (or nothing) could only ever reach the wrong key.
const safeKey = (value: string) => /^[A-Za-z0-9_-]+$/.test(value);

/** The catalog's label for a value of a group (`billingCycles`, `monthly`), or null when it has none. */
export function catalogLabel(t: CatalogTranslator, group: string, value: string): string | null {
  const key = `${group}.${value}`;
  if (!safeKey(value) || !t.has(key)) return null;
  // `has` also answers for what every object inherits ("constructor", "__proto__"): only a message counts.
  return typeof t.raw(key) === "string" ? t(key) : null;
}

/** "Created order" / "주문 생성"; an unknown type through the catalog's `fallbacks.action`. */
export const translatedActionLabel = (t: CatalogTranslator, operationType: string): string =>
  catalogLabel(t, "actions", operationType) ??
  t("fallbacks.action", { label: humanise(operationType), type: operationType });

export const translatedStatusLabel = (t: CatalogTranslator, status: OperationStatus): string =>
  catalogLabel(t, "statuses", status) ?? humanise(status);

export const translatedResourceLabel = (t: CatalogTranslator, resourceType: string): string =>
  catalogLabel(t, "resources", resourceType) ??
  t("fallbacks.resource", { label: humanise(resourceType), type: resourceType });

export const translatedSubscriptionStatus = (t: CatalogTranslator, status: string): string =>
  catalogLabel(t, "subscriptionStatuses", status) ?? humanise(status);

export const translatedBillingCycle = (t: CatalogTranslator, cycle: string): string =>
  catalogLabel(t, "billingCycles", cycle) ?? humanise(cycle);
