import { appendFileSync } from "node:fs";
import { CLOUDS } from "@/lib/domain";
import type { RequestAnnotations } from "./request-context";
import { beforeFirst } from "@/lib/before-first";

/*
 * Structured logs: one JSON object per line on stdout (and appended to REQUEST_LOG_FILE when set,
 * for tests and for shipping from a file). Who, tenant, route, rows, duration; no personal data
 * beyond the user id.
 *
 * Redaction is by construction, not by scrubbing: a line holds only the fields of LogEntry, and
 * each is kept only when it has the shape that field may have (an id is a UUID, a cloud is one of
 * two words, a route is a path of plain segments or [param] placeholders...). Anything else is
 * dropped, so an email, a customer name, a query string, a cookie or a token has no way in, even
 * through a bug upstream that puts the wrong value in the right field.
 */

export type LogLevel = "debug" | "info" | "warn" | "error";

/** A line: what the server knows of the request, plus what the app annotated (who, rows). */
export interface LogEntry extends RequestAnnotations {
  level: LogLevel;
  msg: "request" | "export" | "server";
  requestId?: string;
  method?: string;
  /** A route pattern (/customers/[customerId]/subscriptions) or a redacted path: no query string. */
  route?: string;
  /** Ids from the path (a customer's, a record's): UUIDs or integers only. */
  params?: Record<string, string>;
  status?: number;
  durationMs?: number;
  /** Exports: how the stream ended. */
  outcome?: "complete" | "aborted" | "failed";
  /** The client went away before the response was complete. */
  aborted?: boolean;
  /**
   * A router prefetch (Next's Link): it renders the route's shell, not the page, so no app code
   * learns who asked and the line has no user, even though proxy.ts let a session through.
   */
  prefetch?: boolean;
  /** A failure's class (an error's name, a SQLSTATE): never its message, which can quote data. */
  errorName?: string;
  errorCode?: string;
  /** Server lifecycle. */
  event?: "listening" | "stopping";
  port?: number;
  mode?: "production" | "development";
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INTEGER_ID = /^\d{1,20}$/;
/** Path segments that are plainly not data: letters, digits, . _ ~ - (no @, %, +, space...). */
const PLAIN_SEGMENT = /^[A-Za-z0-9._~-]{1,64}$/;
/** A route pattern's placeholder: [id], [...nextauth], [[...slug]]. */
const PLACEHOLDER = /^\[{1,2}(\.\.\.)?[A-Za-z][A-Za-z0-9_]{0,31}\]{1,2}$/;
const REDACTED = "[redacted]";
const MAX_SEGMENTS = 12;

export const isUuid = (value: unknown): value is string => typeof value === "string" && UUID.test(value);

/** An id from a path kept as a field: a UUID or an integer, nothing else. */
export const isPathId = (value: unknown): value is string =>
  typeof value === "string" && (UUID.test(value) || INTEGER_ID.test(value));

/**
 * A path as the log may show it: ids become [id], plain segments stay, anything else (an email,
 * a percent-encoded name, a token) becomes [redacted]. Everything from ? or # on is gone.
 */
export function redactPath(path: string): string {
  const pathname = beforeFirst(path, /[?#]/);
  if (!pathname.startsWith("/")) return REDACTED;
  const segments = pathname.split("/").slice(1);
  const out: string[] = segments.slice(0, MAX_SEGMENTS).map((segment) => {
    if (segment === "") return "";
    if (isPathId(segment)) return "[id]";
    if (PLACEHOLDER.test(segment) || PLAIN_SEGMENT.test(segment)) return segment;
    return REDACTED;
  });
  if (segments.length > MAX_SEGMENTS) out.push("...");
  return "/" + out.join("/");
}

export function levelEnabled(level: LogLevel, threshold: string | undefined = process.env.LOG_LEVEL): boolean {
  const min = LEVELS[(threshold?.toLowerCase() ?? "info") as LogLevel] ?? LEVELS.info;
  return LEVELS[level] >= min;
}

const oneOf =
  <T extends string>(...values: T[]) =>
  (value: unknown): value is T =>
    typeof value === "string" && (values as string[]).includes(value);

const nonNegativeInteger = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** Every field a line may hold, with the shape it must have; order is the order in the line. */
const FIELDS: Array<[keyof LogEntry, (value: unknown) => unknown]> = [
  ["level", (v) => (oneOf("debug", "info", "warn", "error")(v) ? v : undefined)],
  ["msg", (v) => (oneOf("request", "export", "server")(v) ? v : undefined)],
  ["event", (v) => (oneOf("listening", "stopping")(v) ? v : undefined)],
  ["requestId", (v) => (isUuid(v) ? v.toLowerCase() : undefined)],
  ["method", (v) => (typeof v === "string" ? (/^[A-Z]{1,16}$/.test(v) ? v : "OTHER") : undefined)],
  ["route", (v) => (typeof v === "string" ? redactPath(v) : undefined)],
  [
    "params",
    (v) => {
      if (typeof v !== "object" || v === null) return undefined;
      const kept = Object.entries(v).filter(([name, id]) => /^[A-Za-z][A-Za-z0-9_]{0,31}$/.test(name) && isPathId(id));
      return kept.length > 0 ? Object.fromEntries(kept) : undefined;
    },
  ],
  ["status", (v) => (Number.isInteger(v) && (v as number) >= 100 && (v as number) <= 599 ? v : undefined)],
  ["durationMs", (v) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.round(v * 10) / 10 : undefined)],
  ["userId", (v) => (isUuid(v) ? v : undefined)],
  ["tenantId", (v) => (isUuid(v) ? v : undefined)],
  ["cloud", (v) => (oneOf(...CLOUDS)(v) ? v : undefined)],
  ["role", (v) => (typeof v === "string" && /^[a-z_]{1,32}$/.test(v) ? v : undefined)],
  ["apiKeyId", (v) => (isUuid(v) ? v : undefined)],
  ["rows", (v) => (nonNegativeInteger(v) ? v : undefined)],
  ["outcome", (v) => (oneOf("complete", "aborted", "failed")(v) ? v : undefined)],
  ["aborted", (v) => (v === true ? true : undefined)],
  ["prefetch", (v) => (v === true ? true : undefined)],
  ["errorName", (v) => (typeof v === "string" && /^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(v) ? v : undefined)],
  ["errorCode", (v) => (typeof v === "string" && /^[A-Za-z0-9_]{1,40}$/.test(v) ? v : undefined)],
  ["port", (v) => (nonNegativeInteger(v) && (v as number) <= 65535 ? v : undefined)],
  ["mode", (v) => (oneOf("production", "development")(v) ? v : undefined)],
];

/** The line for an entry (without the newline): `ts` and `level` first, then the fields that passed their check. */
export function formatLogLine(entry: LogEntry, now: Date = new Date()): string {
  const line: Record<string, unknown> = { ts: now.toISOString(), level: "info" };
  const source = entry as unknown as Record<string, unknown>;
  for (const [name, check] of FIELDS) {
    const value = check(source[name]);
    if (value !== undefined) line[name] = value;
  }
  return JSON.stringify(line);
}

/** Writes one entry, if its level is enabled (LOG_LEVEL, default info). Never throws. */
export function writeLog(entry: LogEntry): void {
  if (!levelEnabled(entry.level)) return;
  try {
    const line = formatLogLine(entry) + "\n";
    process.stdout.write(line);
    const file = process.env.REQUEST_LOG_FILE;
    if (file) appendFileSync(file, line);
  } catch {
    // A log that cannot be written must not fail the request it describes.
  }
}

/** The class of a failure, for the log: its name and code, never its message. */
export function describeError(error: unknown): Pick<LogEntry, "errorName" | "errorCode"> {
  if (typeof error !== "object" || error === null) return {};
  const { name, code } = error as { name?: unknown; code?: unknown };
  return {
    errorName: typeof name === "string" ? name : undefined,
    errorCode: typeof code === "string" ? code : undefined,
  };
}
