import { and, asc, desc, eq, gt } from "drizzle-orm";
import { partnerTenants, partnerUsers, userSessions } from "../schema";
import { withTenant } from "../with-tenant";
import type { Database } from "../client";
import { isUuid } from "@/lib/uuid";
import type { Cloud, PartnerRole, TenantContext } from "@/lib/domain";

export interface SessionScope {
  tenantId: string;
  cloud: Cloud;
}

export interface SessionUser {
  session: { id: string; userId: string; createdAt: Date; lastSeenAt: Date };
  user: {
    tenantId: string;
    tenantName: string;
    cloud: Cloud;
    userId: string;
    userPrincipalName: string;
    displayName: string;
    role: PartnerRole;
  };
}

/**
 * A session with the partner user it belongs to, in one query: the row a request's cookie points
 * at, if it still exists and its user is still in the tenant's directory. Scoped to the tenant and
 * cloud the cookie claims, so a session of another tenant or cloud is simply not there.
 */
export async function findSessionUser(
  { tenantId, cloud, sessionId }: SessionScope & { sessionId: string },
  db?: Database,
): Promise<SessionUser | undefined> {
  if (!isUuid(tenantId) || !isUuid(sessionId)) return undefined;
  return withTenant(
    { tenantId, cloud },
    async (tx) => {
      const [row] = await tx
        .select({
          id: userSessions.id,
          userId: userSessions.userId,
          createdAt: userSessions.createdAt,
          lastSeenAt: userSessions.lastSeenAt,
          tenantName: partnerTenants.name,
          tenantCloud: partnerTenants.cloud,
          userPrincipalName: partnerUsers.userPrincipalName,
          displayName: partnerUsers.displayName,
          role: partnerUsers.role,
        })
        .from(userSessions)
        .innerJoin(
          partnerUsers,
          and(eq(partnerUsers.tenantId, userSessions.tenantId), eq(partnerUsers.id, userSessions.userId)),
        )
        .innerJoin(
          partnerTenants,
          and(eq(partnerTenants.id, userSessions.tenantId), eq(partnerTenants.cloud, userSessions.cloud)),
        )
        .where(and(eq(userSessions.tenantId, tenantId), eq(userSessions.cloud, cloud), eq(userSessions.id, sessionId)));
      if (!row) return undefined;
      return {
        session: { id: row.id, userId: row.userId, createdAt: row.createdAt, lastSeenAt: row.lastSeenAt },
        user: {
          tenantId,
          tenantName: row.tenantName,
          cloud: row.tenantCloud,
          userId: row.userId,
          userPrincipalName: row.userPrincipalName,
          displayName: row.displayName,
          role: row.role,
        },
      };
    },
    db,
  );
}

export interface ActiveSession {
  id: string;
  userId: string;
  userPrincipalName: string;
  displayName: string;
  createdAt: Date;
  lastSeenAt: Date;
  userAgent: string | null;
}

/**
 * The tenant's sessions that are still within both timeouts, newest activity first; only the
 * signed-in user's own when `ownOnly`. Sessions past a timeout are left out even before they are
 * cleaned up: they no longer let anyone in.
 */
export async function getActiveSessions(
  {
    ctx,
    now,
    idleMs,
    maxMs,
    ownOnly,
  }: { ctx: TenantContext; now: Date; idleMs: number; maxMs: number; ownOnly: boolean },
  db?: Database,
): Promise<ActiveSession[]> {
  return withTenant(
    ctx,
    (tx) =>
      tx
        .select({
          id: userSessions.id,
          userId: userSessions.userId,
          userPrincipalName: partnerUsers.userPrincipalName,
          displayName: partnerUsers.displayName,
          createdAt: userSessions.createdAt,
          lastSeenAt: userSessions.lastSeenAt,
          userAgent: userSessions.userAgent,
        })
        .from(userSessions)
        .innerJoin(
          partnerUsers,
          and(eq(partnerUsers.tenantId, userSessions.tenantId), eq(partnerUsers.id, userSessions.userId)),
        )
        .where(
          and(
            eq(userSessions.tenantId, ctx.tenantId),
            eq(userSessions.cloud, ctx.cloud),
            ownOnly ? eq(userSessions.userId, ctx.userId) : undefined,
            gt(userSessions.lastSeenAt, new Date(now.getTime() - idleMs)),
            gt(userSessions.createdAt, new Date(now.getTime() - maxMs)),
          ),
        )
        .orderBy(desc(userSessions.lastSeenAt), asc(userSessions.id)),
    db,
  );
}
