import { connectionFailure } from "./database-errors";

/*
 * Typed errors, mapped to responses in one place (toErrorResponse). Anything else is a bug and
 * becomes a 500 with no detail, never a stack trace.
 */
export type ErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "unavailable";

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. Retry-After on 429 or WWW-Authenticate on 401. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return STATUS[this.code];
  }
}

/** A deployment that cannot work as configured: reported in one line at start. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/**
 * The code that says the database is unreachable or its connection was lost (lib/database-errors.ts),
 * or null for any other error: a 503 that says so, not the 500 of a bug, so people and scripts know
 * to try again.
 */
export function databaseUnavailableCode(error: unknown): string | null {
  return connectionFailure(error)?.code ?? null;
}

export const DATABASE_UNAVAILABLE_MESSAGE = "The service is briefly unavailable. Try again in a moment.";

/**
 * The one classification of errors: an AppError as it is, a lost database as `unavailable`, and
 * null for anything else (a bug). Responses and forms both go through it.
 */
export function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  const unavailable = databaseUnavailableCode(error);
  if (!unavailable) return null;
  // One line with the code, not the stack (and failed query) of every request during an outage.
  console.error(`database unavailable (${unavailable})`);
  return new AppError("unavailable", DATABASE_UNAVAILABLE_MESSAGE, undefined, { "retry-after": "5" });
}

export function toErrorResponse(thrown: unknown): Response {
  const error = toAppError(thrown);
  if (error) {
    return Response.json(
      { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } },
      { status: error.status, headers: error.headers },
    );
  }
  console.error(thrown);
  return Response.json({ error: { code: "internal", message: "Something went wrong on our side." } }, { status: 500 });
}
