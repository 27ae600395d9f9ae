import type { OperationStatus } from "@/db/schema";

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
  create_order: "Created an order",
  update_subscription: "Updated subscription",
  add_customer: "Added customer",
  create_referral: "Created a referral",
  create_customer_user: "Created customer user",
  update_customer_user_licenses: "Updated customer user licenses",
  remove_partner_customer_relationship: "Removed partner-customer relationship",
  reset_customer_user_password: "Reset customer user password",
  delete_customer_user: "Deleted customer user",
  update_customer_billing_profile: "Updated customer billing profile",
  purchase_subscription: "Purchased subscription",
  view_activity_log: "Viewed the activity log",
  export_activity_log: "Exported the activity log",
  apply_log_retention: "Applied log retention",
  end_user_session: "Ended a user's session",
  end_all_user_sessions: "Signed out everywhere",
};

export function humanise(identifier: string): string {
  const words = identifier
    .replace(/[_\-.]+/g, " ")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .trim()
    .toLowerCase();
  return words ? words[0].toUpperCase() + words.slice(1) : "Unknown action";
}

const hasOwn = (record: object, key: string) => Object.prototype.hasOwnProperty.call(record, key);

export const actionLabel = (operationType: string): string =>
  hasOwn(ACTION_LABELS, operationType) ? ACTION_LABELS[operationType] : humanise(operationType);

export const KNOWN_OPERATION_TYPES = Object.keys(ACTION_LABELS);

export const STATUS_LABELS: Record<OperationStatus, string> = {
  succeeded: "Succeeded",
  failed: "Failed",
  progress: "In progress",
};

/** Resource types the seed, the portal and the ingestion examples use; others are humanised. */
export const KNOWN_RESOURCE_TYPES = [
  "order",
  "subscription",
  "license",
  "customer",
  "customer_user",
  "referral",
  "activity_log",
  "user_session",
] as const;

export const resourceLabel = (resourceType: string): string => humanise(resourceType);

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

/** "Created an order" / "주문 생성"; an unknown type through the catalog's `fallbacks.action`. */
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
