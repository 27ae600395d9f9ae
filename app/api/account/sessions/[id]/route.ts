import { endUserSession } from "@/db/mutations/user-sessions";
import { getTenantContext } from "@/lib/auth/tenant-context";
import { toErrorResponse } from "@/lib/errors";

export const dynamic = "force-dynamic";

/**
 * A global admin ends one of the tenant's sessions: its user is signed out on their next request,
 * and the log records it. Another tenant's or cloud's session, or one already ended, is 404.
 */
export async function DELETE(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const ctx = await getTenantContext({ permission: "manage_sessions" });
    const { id } = await params;
    await endUserSession({ ctx, sessionId: id });
    return new Response(null, { status: 204 });
  } catch (error) {
    return toErrorResponse(error);
  }
}
