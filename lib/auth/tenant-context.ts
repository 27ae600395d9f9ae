import { cache } from "react";
import { auth } from "@/auth";
import type { PartnerRole } from "@/db/schema";
import type { TenantContext } from "@/db/with-tenant";
import { servedClouds } from "@/lib/clouds";
import { AppError } from "@/lib/errors";
import { annotate } from "@/lib/observability/request-context";
import { checkSession } from "./server-session";
import { SESSION_END_MESSAGES } from "./session-policy";

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

/** The request's Auth.js session, read once per request however many components ask. */
export const currentSession = cache(() => auth());

/*
 * The cookie says which session; the session row says whether it is still live (not signed out,
 * idle, expired or ended by an admin), and the directory whether its user is still a partner user
 * and with which role, all read on every request in one query, so each takes effect at once.
 * Cached per request.
 */
const resolveContext = cache(async (): Promise<TenantContext> => {
  const session = await currentSession();
  if (session?.ended) {
    throw new AppError("unauthorized", `${SESSION_END_MESSAGES[session.ended]} Sign in again.`, {
      reason: session.ended,
    });
  }
  if (!session?.tenantId || !session.cloud || !session.user?.id || !session.sessionId) {
    throw new AppError("unauthorized", "Sign in to continue.");
  }
  if (!servedClouds().includes(session.cloud)) {
    throw new AppError("unauthorized", "This session belongs to a cloud this deployment does not serve.", {
      reason: "SessionCloud",
    });
  }
  const check = await checkSession({
    scope: { tenantId: session.tenantId, cloud: session.cloud },
    sessionId: session.sessionId,
    userId: session.user.id,
  });
  if (!check.ok) {
    throw new AppError("unauthorized", `${SESSION_END_MESSAGES[check.reason]} Sign in again.`, {
      reason: check.reason,
    });
  }
  const { tenantId, cloud, userId, userPrincipalName, role } = check.user;
  annotate({ userId, tenantId, cloud, role }); // the request log's "who" (ids only, never the UPN)
  return { tenantId, cloud, userId, userPrincipalName, role };
});

/** The session id of the signed-in request (after getTenantContext has vouched for it). */
export async function currentSessionId(): Promise<string> {
  await resolveContext();
  return (await currentSession())!.sessionId;
}

/** The one way pages, server actions and route handlers learn who they act for. */
export async function getTenantContext(options: { permission?: Permission } = {}): Promise<TenantContext> {
  const ctx = await resolveContext();
  if (options.permission && !can(ctx.role, options.permission)) {
    throw new AppError("forbidden", FORBIDDEN_MESSAGES[options.permission]);
  }
  return ctx;
}
