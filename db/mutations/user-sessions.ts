import { randomUUID } from "node:crypto";
import { and, eq, lt, or } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/uuid";
import type { Database } from "../client";
import { partnerUsers, userSessions } from "../schema";
import type { SessionScope } from "../queries/user-sessions";
import { withTenant } from "../with-tenant";
import { writeActivity } from "./activity";
import type { TenantContext } from "@/lib/domain";

/** A user agent is shown, never parsed for decisions; long ones are cut to keep rows small. */
const USER_AGENT_MAX = 512;

/**
 * Opens a session for a user who just signed in, and clears the tenant's sessions that are past a
 * timeout (so the table holds what is live, without a job of its own).
 */
export async function createUserSession(
  {
    scope,
    userId,
    userAgent,
    now,
    idleMs,
    maxMs,
  }: { scope: SessionScope; userId: string; userAgent: string | null; now: Date; idleMs: number; maxMs: number },
  db?: Database,
): Promise<string> {
  const id = randomUUID();
  await withTenant(
    scope,
    async (tx) => {
      await tx
        .delete(userSessions)
        .where(
          and(
            eq(userSessions.tenantId, scope.tenantId),
            eq(userSessions.cloud, scope.cloud),
            or(
              lt(userSessions.lastSeenAt, new Date(now.getTime() - idleMs)),
              lt(userSessions.createdAt, new Date(now.getTime() - maxMs)),
            ),
          ),
        );
      await tx.insert(userSessions).values({
        tenantId: scope.tenantId,
        id,
        cloud: scope.cloud,
        userId,
        createdAt: now,
        lastSeenAt: now,
        userAgent: userAgent ? userAgent.slice(0, USER_AGENT_MAX) : null,
      });
    },
    db,
  );
  return id;
}

const bySession = (scope: SessionScope, sessionId: string) =>
  and(eq(userSessions.tenantId, scope.tenantId), eq(userSessions.cloud, scope.cloud), eq(userSessions.id, sessionId));

/** Records activity on a session (it is not idle). Only ever moves last_seen_at forward. */
export async function touchUserSession(
  { scope, sessionId, now }: { scope: SessionScope; sessionId: string; now: Date },
  db?: Database,
): Promise<void> {
  if (!isUuid(sessionId)) return;
  await withTenant(
    scope,
    (tx) =>
      tx
        .update(userSessions)
        .set({ lastSeenAt: now })
        .where(and(bySession(scope, sessionId), lt(userSessions.lastSeenAt, now))),
    db,
  );
}

/** Deletes one session (sign-out, or a session found past a timeout). True when it existed. */
export async function deleteUserSession(
  { scope, sessionId }: { scope: SessionScope; sessionId: string },
  db?: Database,
): Promise<boolean> {
  if (!isUuid(sessionId)) return false;
  return withTenant(
    scope,
    async (tx) =>
      (await tx.delete(userSessions).where(bySession(scope, sessionId)).returning({ id: userSessions.id })).length > 0,
    db,
  );
}

/**
 * An admin ends someone's session: gone at once, and a record in the log says who ended whose.
 * A session the tenant does not have (another tenant's, or already ended) is not found.
 */
export async function endUserSession(
  { ctx, sessionId }: { ctx: TenantContext; sessionId: string },
  db?: Database,
): Promise<void> {
  if (!isUuid(sessionId)) throw new AppError("not_found", "No such session.");
  await withTenant(
    ctx,
    async (tx) => {
      const [ended] = await tx
        .delete(userSessions)
        .where(bySession(ctx, sessionId))
        .returning({ userId: userSessions.userId, createdAt: userSessions.createdAt });
      if (!ended) throw new AppError("not_found", "No such session.");
      const [owner] = await tx
        .select({ userPrincipalName: partnerUsers.userPrincipalName })
        .from(partnerUsers)
        .where(and(eq(partnerUsers.tenantId, ctx.tenantId), eq(partnerUsers.id, ended.userId)));
      await writeActivity(tx, ctx, {
        operationType: "end_user_session",
        resourceType: "user_session",
        customizedData: {
          sessionId,
          sessionUser: owner?.userPrincipalName ?? null,
          sessionCreatedAt: ended.createdAt.toISOString(),
        },
      });
    },
    db,
  );
}

/** "Sign out everywhere": every session of the signed-in user, this one included, with a record. */
export async function endAllOwnSessions({ ctx }: { ctx: TenantContext }, db?: Database): Promise<number> {
  return withTenant(
    ctx,
    async (tx) => {
      const ended = await tx
        .delete(userSessions)
        .where(
          and(
            eq(userSessions.tenantId, ctx.tenantId),
            eq(userSessions.cloud, ctx.cloud),
            eq(userSessions.userId, ctx.userId),
          ),
        )
        .returning({ id: userSessions.id });
      await writeActivity(tx, ctx, {
        operationType: "end_all_user_sessions",
        resourceType: "user_session",
        customizedData: { sessionsEnded: ended.length },
      });
      return ended.length;
    },
    db,
  );
}
