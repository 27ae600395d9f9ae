import { currentSessionId, getTenantContext } from "@/lib/auth/tenant-context";
import { type Permission } from "@/lib/auth/permissions";
import { route, type EmptyParams, type TenantRouteHandler } from "./route";

/* Kept apart from ./route.ts so that handlers and their tests never load Auth.js. */

/** A route for the signed-in user: signed out is 401, a role without `permission` 403. */
export function withTenantRoute<P = EmptyParams>(permission: Permission | null, handler: TenantRouteHandler<P>) {
  return route<P>(async (request, params) => {
    const ctx = await getTenantContext(permission ? { permission } : {});
    return handler({ ctx, sessionId: await currentSessionId(), request, params });
  });
}
