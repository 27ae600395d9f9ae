import { endUserSession } from "@/db/mutations/user-sessions";
import { getActiveSessions } from "@/db/queries/user-sessions";
import { can } from "@/lib/auth/permissions";
import { sessionPolicy } from "@/lib/auth/session-policy";
import type { TenantRouteCall } from "@/lib/http/route";
import { browserLabel } from "@/lib/user-agent";

/**
 * The signed-in tenant's active sessions (GET /api/account/sessions), as the Sessions page lists
 * them: every session for a global admin, the user's own for everyone else. Never another
 * tenant's or cloud's.
 */
export async function listSessions({ ctx, sessionId }: TenantRouteCall): Promise<Response> {
  const policy = sessionPolicy();
  const sessions = await getActiveSessions({
    ctx,
    now: new Date(),
    idleMs: policy.idleMs,
    maxMs: policy.maxMs,
    ownOnly: !can(ctx.role, "manage_sessions"),
  });
  return Response.json(
    {
      sessions: sessions.map((s) => ({
        id: s.id,
        userPrincipalName: s.userPrincipalName,
        displayName: s.displayName,
        createdAt: s.createdAt.toISOString(),
        lastSeenAt: s.lastSeenAt.toISOString(),
        browser: browserLabel(s.userAgent) ?? null,
        current: s.id === sessionId,
      })),
    },
    { headers: { "cache-control": "private, no-store" } },
  );
}

/**
 * A global admin ends one of the tenant's sessions (DELETE /api/account/sessions/:id): its user is
 * signed out on their next request, and the log records it. Another tenant's or cloud's session,
 * or one already ended, is 404.
 */
export async function endSession({ ctx, params }: TenantRouteCall<{ id: string }>): Promise<Response> {
  await endUserSession({ ctx, sessionId: params.id });
  return new Response(null, { status: 204 });
}
