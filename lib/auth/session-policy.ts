import { ConfigError } from "@/lib/errors";

/*
 * How long a sign-in lasts: an idle timeout (NIST SP 800-53 AC-11/AC-12; FedRAMP Moderate asks for
 * 15 minutes) and an absolute lifetime, both checked on the server on every request.
 */
export interface SessionPolicy {
  idleMs: number;
  maxMs: number;
  /** last_seen_at is written at most this often, so a busy page does not write on every request. */
  touchAfterMs: number;
}

export type SessionState = "active" | "idle" | "expired";

/** Why a session stopped working: a code of the sign-in page's messages. */
export type SessionEndReason = "SessionIdle" | "SessionExpired" | "SessionEnded";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function positiveNumber(env: Record<string, string | undefined>, name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    throw new ConfigError(
      `${name} must be a number of ${name.endsWith("MINUTES") ? "minutes" : "hours"} between 0 and ${max}, got "${raw}"`,
    );
  }
  return value;
}

/** SESSION_IDLE_MINUTES (default 15) and SESSION_MAX_HOURS (default 8). */
export function sessionPolicy(env: Record<string, string | undefined> = process.env): SessionPolicy {
  const idleMs = positiveNumber(env, "SESSION_IDLE_MINUTES", 15, 24 * 60) * MINUTE;
  const maxMs = positiveNumber(env, "SESSION_MAX_HOURS", 8, 24 * 30) * HOUR;
  return { idleMs, maxMs, touchAfterMs: Math.min(30_000, idleMs / 30) };
}

export function sessionState(
  session: { createdAt: Date; lastSeenAt: Date },
  now: Date,
  policy: SessionPolicy,
): SessionState {
  if (now.getTime() - session.createdAt.getTime() >= policy.maxMs) return "expired";
  if (now.getTime() - session.lastSeenAt.getTime() >= policy.idleMs) return "idle";
  return "active";
}

export function needsTouch(session: { lastSeenAt: Date }, now: Date, policy: SessionPolicy): boolean {
  return now.getTime() - session.lastSeenAt.getTime() >= policy.touchAfterMs;
}

export const END_REASON: Record<Exclude<SessionState, "active">, SessionEndReason> = {
  idle: "SessionIdle",
  expired: "SessionExpired",
};

/** The reason in words for API clients (the sign-in page says it in the reader's language). */
export const SESSION_END_MESSAGES: Record<SessionEndReason, string> = {
  SessionIdle: "Your session ended after a period without activity.",
  SessionExpired: "Your session reached its maximum lifetime.",
  SessionEnded: "Your session was ended: you signed out, or an administrator ended it.",
};
