import { cache } from "react";
import { auth } from "@/auth";
import { servedClouds } from "@/lib/clouds";
import { AppError } from "@/lib/errors";
import { annotate } from "@/lib/observability/request-context";
import { can, forbiddenMessage, type Permission } from "./permissions";
import { checkSession } from "./server-session";
import { SESSION_END_MESSAGES } from "./session-policy";
import type { TenantContext } from "@/lib/domain";

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
    throw new AppError("forbidden", forbiddenMessage(options.permission));
  }
  return ctx;
}
