import { getActiveSessions } from "@/db/queries/user-sessions";
import { sessionPolicy } from "@/lib/auth/session-policy";
import { can, currentSessionId, getTenantContext } from "@/lib/auth/tenant-context";
import { toErrorResponse } from "@/lib/errors";
import { browserLabel } from "@/lib/user-agent";

export const dynamic = "force-dynamic";

/**
 * The signed-in tenant's active sessions, as the Sessions page lists them: every session for a
 * global admin, the user's own for everyone else. Never another tenant's or cloud's.
 */
export async function GET(): Promise<Response> {
  try {
    const ctx = await getTenantContext();
    const policy = sessionPolicy();
    const [sessions, current] = await Promise.all([
      getActiveSessions({
        ctx,
        now: new Date(),
        idleMs: policy.idleMs,
        maxMs: policy.maxMs,
        ownOnly: !can(ctx.role, "manage_sessions"),
      }),
      currentSessionId(),
    ]);
    return Response.json(
      {
        sessions: sessions.map((s) => ({
          id: s.id,
          userPrincipalName: s.userPrincipalName,
          displayName: s.displayName,
          createdAt: s.createdAt.toISOString(),
          lastSeenAt: s.lastSeenAt.toISOString(),
          browser: browserLabel(s.userAgent) ?? null,
          current: s.id === current,
        })),
      },
      { headers: { "cache-control": "private, no-store" } },
    );
  } catch (error) {
    return toErrorResponse(error);
  }
}
