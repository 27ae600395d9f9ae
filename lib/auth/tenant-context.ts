import { cache } from "react";
import { auth } from "@/auth";
import { findDirectoryUser } from "@/db/queries/partner-directory";
import type { PartnerRole } from "@/db/schema";
import type { TenantContext } from "@/db/with-tenant";
import { servedClouds } from "@/lib/clouds";
import { AppError } from "@/lib/errors";
import { annotate } from "@/lib/observability/request-context";

export type Permission = "view_activity_log" | "manage_customers" | "verify_log";

const PERMISSIONS: Record<Permission, readonly PartnerRole[]> = {
  view_activity_log: ["global_admin", "admin_agent", "billing_admin"],
  // Adding customers and buying for them is agents' daily work, as in Partner Center.
  manage_customers: ["global_admin", "admin_agent", "sales_agent"],
  verify_log: ["global_admin"],
};

export const can = (role: PartnerRole, permission: Permission) => PERMISSIONS[permission].includes(role);

const FORBIDDEN_MESSAGES: Record<Permission, string> = {
  view_activity_log:
    "Your role does not allow this. Viewing and exporting the activity log needs the Global admin, Admin agent or Billing admin role.",
  manage_customers:
    "Your role does not allow this. Adding customers and buying subscriptions needs the Global admin, Admin agent or Sales agent role.",
  verify_log: "Your role does not allow this. Checking the log's seals needs the Global admin role.",
};

/*
 * The session says who signed in and through which cloud; the directory says whether they are
 * still a partner user and with which role (read on every request, so a removed user or a changed
 * role takes effect at once). Cached per request.
 */
const resolveContext = cache(async (): Promise<TenantContext> => {
  const session = await auth();
  if (!session?.tenantId || !session.cloud || !session.user?.id) {
    throw new AppError("unauthorized", "Sign in to continue.");
  }
  if (!servedClouds().includes(session.cloud)) {
    throw new AppError("unauthorized", "This session belongs to a cloud this deployment does not serve.");
  }
  const lookup = await findDirectoryUser({ tenantId: session.tenantId, cloud: session.cloud, userId: session.user.id });
  if (!lookup.ok) throw new AppError("unauthorized", "Your account is no longer a partner user of this tenant.");
  const { tenantId, cloud, userId, userPrincipalName, role } = lookup.user;
  annotate({ userId, tenantId, cloud, role }); // the request log's "who" (ids only, never the UPN)
  return { tenantId, cloud, userId, userPrincipalName, role };
});

/** The one way pages, server actions and route handlers learn who they act for. */
export async function getTenantContext(options: { permission?: Permission } = {}): Promise<TenantContext> {
  const ctx = await resolveContext();
  if (options.permission && !can(ctx.role, options.permission)) {
    throw new AppError("forbidden", FORBIDDEN_MESSAGES[options.permission]);
  }
  return ctx;
}
