import type { PartnerRole } from "@/lib/domain";

/*
 * Who may do what, by role. Plain data without Auth.js or the database, so scripts, tests and
 * server components read the same table that getTenantContext() enforces.
 */

export type Permission =
  | "view_activity_log"
  | "manage_customers"
  | "verify_log"
  | "manage_sessions"
  | "manage_data_sources"
  | "manage_log_streaming";

const PERMISSIONS: Record<Permission, readonly PartnerRole[]> = {
  view_activity_log: ["global_admin", "admin_agent", "billing_admin"],
  // Adding customers and buying for them is agents' daily work, as in Partner Center.
  manage_customers: ["global_admin", "admin_agent", "sales_agent"],
  verify_log: ["global_admin"],
  manage_sessions: ["global_admin"],
  manage_data_sources: ["global_admin"],
  // Where the log goes and with which credentials: a tenant-wide security setting.
  manage_log_streaming: ["global_admin"],
};

export const can = (role: PartnerRole, permission: Permission) => PERMISSIONS[permission].includes(role);

const FORBIDDEN_MESSAGES: Record<Permission, string> = {
  view_activity_log:
    "Your role does not allow this. Viewing and exporting the activity log needs the Global admin, Admin agent or Billing admin role.",
  manage_customers:
    "Your role does not allow this. Adding customers and buying subscriptions needs the Global admin, Admin agent or Sales agent role.",
  verify_log: "Your role does not allow this. Checking the log's seals needs the Global admin role.",
  manage_sessions: "Your role does not allow this. Ending other people's sessions needs the Global admin role.",
  manage_data_sources: "Your role does not allow this. Configuring data sources needs the Global admin role.",
  manage_log_streaming: "Your role does not allow this. Log streaming settings need the Global admin role.",
};

export const forbiddenMessage = (permission: Permission) => FORBIDDEN_MESSAGES[permission];
