import type { OperationStatus } from "@/db/schema";

/*
 * How an operation type reads in the log. The set is open: producers add types before the UI
 * learns them, so an unknown type is humanised rather than hidden or shown raw.
 */
const ACTION_LABELS: Record<string, string> = {
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
};

export function humanise(identifier: string): string {
  const words = identifier.replace(/[_\-.]+/g, " ").replace(/([a-z])([A-Z])/g, "$1 $2").trim().toLowerCase();
  return words ? words[0].toUpperCase() + words.slice(1) : "Unknown action";
}

export const actionLabel = (operationType: string): string => ACTION_LABELS[operationType] ?? humanise(operationType);

export const KNOWN_OPERATION_TYPES = Object.keys(ACTION_LABELS);

export const STATUS_LABELS: Record<OperationStatus, string> = {
  succeeded: "Succeeded",
  failed: "Failed",
  progress: "In progress",
};

export const resourceLabel = (resourceType: string): string => humanise(resourceType);
