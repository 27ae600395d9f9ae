import { findSessionUser, type SessionScope, type SessionUser } from "@/db/queries/user-sessions";
import { createUserSession, deleteUserSession, touchUserSession } from "@/db/mutations/user-sessions";
import { END_REASON, needsTouch, sessionPolicy, sessionState, type SessionEndReason } from "./session-policy";

/*
 * The server side of a sign-in. The cookie is an Auth.js JWT that names a session row; the row is
 * the truth. Every check reads it, so a copied cookie dies with its row: at sign-out, after the
 * idle or absolute timeout, or when an admin ends it.
 */

export type SessionCheck = { ok: true; user: SessionUser["user"] } | { ok: false; reason: SessionEndReason };

export async function openSession({
  scope,
  userId,
  userAgent,
  now = new Date(),
}: {
  scope: SessionScope;
  userId: string;
  userAgent: string | null;
  now?: Date;
}): Promise<string> {
  const { idleMs, maxMs } = sessionPolicy();
  return createUserSession({ scope, userId, userAgent, now, idleMs, maxMs });
}

/**
 * Is this session still good for this user, now? A live one is marked as seen (at most every
 * `touchAfterMs`).
 */
export async function checkSession({
  scope,
  sessionId,
  userId,
  now = new Date(),
}: {
  scope: SessionScope;
  sessionId: string;
  userId: string;
  now?: Date;
}): Promise<SessionCheck> {
  const policy = sessionPolicy();
  const found = await findSessionUser({ ...scope, sessionId });
  if (!found || found.session.userId !== userId) return { ok: false, reason: "SessionEnded" };
  const state = sessionState(found.session, now, policy);
  // Left in place, so every copy of the cookie keeps getting the same answer; the next sign-in in
  // the tenant clears rows past a timeout.
  if (state !== "active") return { ok: false, reason: END_REASON[state] };
  if (needsTouch(found.session, now, policy)) await touchUserSession({ scope, sessionId, now });
  return { ok: true, user: found.user };
}

/** Keeps a session from going idle while something long runs for it (an export streaming). */
export function keepSessionAlive(scope: SessionScope, sessionId: string, now = new Date()): Promise<void> {
  return touchUserSession({ scope, sessionId, now });
}

export function closeSession(scope: SessionScope, sessionId: string): Promise<boolean> {
  return deleteUserSession({ scope, sessionId });
}
