/*
 * The one reading of "the database connection failed", as opposed to a statement failing. Three
 * places act on it: the 503 of every response (lib/errors.ts), the pools' transaction guard
 * (db/client.ts) and the export's retry on another connection (db/cursor-stream.ts).
 *
 * postgres.js names a refused or lost connection with a code of its own (CONNECT_TIMEOUT,
 * CONNECTION_CLOSED, ...) or the socket's (ECONNREFUSED, ECONNRESET, ...); the server uses SQLSTATE
 * class 08 (connection exception) and 57P (operator intervention: shutting down, crashed, starting
 * up), and ends a session with a FATAL or PANIC message. Drizzle wraps driver errors, so causes are
 * looked at too.
 */

/** An established session that died: its socket closed or reset, or the server ended it. */
const LOST = /^(CONNECTION_CLOSED|CONNECTION_DESTROYED|ECONNRESET|EPIPE|ETIMEDOUT)$/;
/** No session to be had: the server refuses, is unknown, or is shutting down or starting up. */
const UNREACHABLE = /^(08...|57P..|CONNECT_TIMEOUT|CONNECTION_ENDED|ECONNREFUSED|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN)$/;

export interface ConnectionFailure {
  /** The code that says so (the severity for a FATAL or PANIC message without one of these codes). */
  code: string;
  /** True when a session that was open died; false when none could be had. */
  lost: boolean;
}

export function connectionFailure(error: unknown): ConnectionFailure | null {
  for (
    let e = error, depth = 0;
    typeof e === "object" && e !== null && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const { code, severity } = e as { code?: unknown; severity?: unknown };
    if (typeof code === "string" && LOST.test(code)) return { code, lost: true };
    if (typeof code === "string" && UNREACHABLE.test(code)) return { code, lost: false };
    if (severity === "FATAL" || severity === "PANIC")
      return { code: typeof code === "string" ? code : severity, lost: true };
  }
  return null;
}
