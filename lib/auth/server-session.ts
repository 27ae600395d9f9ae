import { findSessionUser, type SessionScope, type SessionUser } from "@/db/queries/user-sessions";
import { createUserSession, deleteUserSession, touchUserSession } from "@/db/mutations/user-sessions";
import type { Database } from "@/db/client";
import {
  END_REASON,
  needsTouch,
  SESSION_END_MESSAGES,
  sessionPolicy,
  sessionState,
  type SessionEndReason,
} from "./session-policy";

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
  db,
}: {
  scope: SessionScope;
  sessionId: string;
  userId: string;
  now?: Date;
  db?: Database;
}): Promise<SessionCheck> {
  const policy = sessionPolicy();
  const found = await findSessionUser({ ...scope, sessionId }, db);
  if (!found || found.session.userId !== userId) return { ok: false, reason: "SessionEnded" };
  const state = sessionState(found.session, now, policy);
  // Left in place, so every copy of the cookie keeps getting the same answer; the next sign-in in
  // the tenant clears rows past a timeout.
  if (state !== "active") return { ok: false, reason: END_REASON[state] };
  if (needsTouch(found.session, now, policy)) await touchUserSession({ scope, sessionId, now }, db);
  return { ok: true, user: found.user };
}

/**
 * While a long response streams for a session (an export): the session is marked as seen, so it
 * does not go idle under a download, and checked, so the download stops when the session ends
 * (signed out, ended by an admin, past its absolute lifetime). The returned `signal` aborts then,
 * or when `request` (the client's signal) does; `stop` when the response has settled. One signal
 * follows the other by a listener, not `AbortSignal.any`, whose combined signals Node 20 keeps
 * alive after the request.
 */
export function holdSessionWhileStreaming({
  scope,
  sessionId,
  userId,
  request,
  everyMs = sessionPolicy().touchAfterMs,
  db,
}: {
  scope: SessionScope;
  sessionId: string;
  userId: string;
  request?: AbortSignal;
  everyMs?: number;
  db?: Database;
}): { signal: AbortSignal; stop: () => void } {
  const ended = new AbortController();
  const followRequest = () => ended.abort(request?.reason);
  const timer = setInterval(() => {
    checkSession({ scope, sessionId, userId, db }).then(
      (check) => {
        if (!check.ok) ended.abort(new Error(SESSION_END_MESSAGES[check.reason]));
      },
      // The database being away fails the export itself; the session is not what ended.
      () => {},
    );
  }, everyMs);
  const stop = () => {
    clearInterval(timer);
    request?.removeEventListener("abort", followRequest);
  };
  ended.signal.addEventListener("abort", stop, { once: true });
  if (request?.aborted) followRequest();
  else request?.addEventListener("abort", followRequest, { once: true });
  return { signal: ended.signal, stop };
}

export function closeSession(scope: SessionScope, sessionId: string): Promise<boolean> {
  return deleteUserSession({ scope, sessionId });
}
