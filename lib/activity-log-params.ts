import { decodeCursor, encodeCursor, type Cursor } from "./cursor";
import { canonicalParamText, readDay, readTimeOfDay } from "./day-text";
import type { OperationStatus } from "@/lib/domain";
import {
  canonicalTimeZone,
  DAY_MS,
  dayNumber,
  daysInMonth,
  formatDay,
  monthBefore,
  todayIn,
  wallClockMs,
  zonedWallTimeToUtc,
} from "./time-zones";

// The zone helpers other modules have always taken from here.
export { canonicalTimeZone, dayIn, zonedDayStart } from "./time-zones";

/*
 * The one set of search-param parsers for the Activity log: the page, its table and the CSV export
 * all read the URL through parseActivityLogParams and write links through toSearchParams, so a
 * filter means the same thing on screen and in the file. Parsing never throws on user input: it
 * returns every problem, each naming its param, with a code the page translates and an English
 * sentence the API returns.
 *
 * This module also runs in the browser (the table builds its links with it), so it imports only
 * types from the Drizzle schema and uses Intl rather than a date library.
 */

export const PAGE_SIZES = [25, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];
export const DEFAULT_PAGE_SIZE: PageSize = 25;
export const DEFAULT_TIME_ZONE = "UTC";
/** "From" may be at most this many days before "To" (a leap year's same date a year back fits). */
export const MAX_RANGE_DAYS = 366;
export const MAX_CUSTOMER_LENGTH = 200;
export const MAX_USER_LENGTH = 320;
/** The search box: longer than any name, domain or id anyone types. */
export const MAX_SEARCH_LENGTH = 200;
/** Dates before this year are typos (a log cannot be that old), and Date.UTC misreads years < 100. */
export const MIN_YEAR = 2000;

/** "oldest": the oldest page of the range, read from that end of the log (a position without a cursor). */
export type PageDirection = "next" | "prev" | "oldest";

export interface ActivityLogParams {
  /** The chosen "From" day, YYYY-MM-DD, inclusive. */
  from: string;
  /** The chosen "To" day, YYYY-MM-DD, inclusive. */
  to: string;
  /** A time of day on "From" (HH:MM, in tz) the period starts at; null: the day's start. */
  fromTime: string | null;
  /** A time of day on "To" (HH:MM, in tz) the period ends with, that minute included; null: the day's end. */
  toTime: string | null;
  /** Canonical IANA name, e.g. "America/New_York". */
  tz: string;
  /** Half-open UTC range: [from fromTime (00:00) in tz, to toTime + 1 minute (or the next day's 00:00) in tz). */
  range: { start: Date; end: Date };
  customer: string | null;
  /** Operation types, any of which a record may have (or, with `excludeActions`, none of). */
  action: string[];
  /** Leave out the chosen actions instead of showing only them. */
  excludeActions: boolean;
  /** Partner users (UPNs), any of whom may have acted. */
  user: string[];
  /** Statuses, any of which a record may have. */
  status: OperationStatus[];
  /** The search box as typed (trimmed); what it means is `classifySearch`'s. */
  q: string | null;
  /** Only the records of one operation: a correlation id, lower case. */
  correlation: string | null;
  /**
   * Whether the log's records of its own use (views and exports, LOG_ACCESS_ACTIONS) are listed.
   * Off by default: the log is about customers, and an admin's own views would crowd it.
   */
  includeLogAccess: boolean;
  size: PageSize;
  /** A record to show expanded (a permalink's), by id; it goes with a position at that record. */
  record: number | null;
  cursor: Cursor | null;
  /**
   * "next" or "prev" with a cursor; without one, "next" (the newest page) or "oldest". A jump to a
   * day (`at`) arrives here as a cursor: it is a position like any other, so its links are too.
   */
  dir: PageDirection;
}

export type ActivityLogParamName =
  | "from"
  | "to"
  | "fromTime"
  | "toTime"
  | "tz"
  | "customer"
  | "action"
  | "actionMode"
  | "user"
  | "status"
  | "q"
  | "correlation"
  | "access"
  | "size"
  | "cursor"
  | "dir"
  | "at"
  | "record";

/**
 * Why a param could not be used, machine-readable: the page shows `code` (with `values`) from its
 * message catalogs, in the reader's language; API routes return the English `message` as is.
 */
export const PARAM_ERROR_CODES = [
  "repeated",
  "unknown_time_zone",
  "date_format",
  "date_not_real",
  "date_too_early",
  "to_after_tomorrow",
  "from_after_to",
  "range_too_long",
  "too_long",
  "control_characters",
  "action_format",
  "unknown_status",
  "unknown_page_size",
  "cursor_invalid",
  "unknown_direction",
  "unknown_access",
  "at_outside_range",
  "position_twice",
  "uuid_format",
  "too_many",
  "unknown_action_mode",
  "time_format",
  "record_format",
] as const;
export type ParamErrorCode = (typeof PARAM_ERROR_CODES)[number];

export interface ParamError {
  param: ActivityLogParamName;
  code: ParamErrorCode;
  /** What the sentence names besides the param: the bad date, a limit. */
  values?: Record<string, string | number>;
  message: string;
}

export type ParseResult =
  | { ok: true; value: ActivityLogParams }
  | {
      ok: false;
      errors: ParamError[];
      /**
       * The view with every valid param kept and each bad one at its default (null only if even
       * that does not parse): what the page shows beside the message, so one typo does not throw
       * the reader's other filters away. An API refuses the request instead.
       */
      partial: ActivityLogParams | null;
    };

/** What Next hands a page (`await props.searchParams`), or a URL's searchParams in a route handler. */
export type SearchParamsInput =
  URLSearchParams | Pick<URLSearchParams, "getAll"> | Record<string, string | string[] | undefined>;

const LABELS: Record<ActivityLogParamName, string> = {
  from: '"From"',
  to: '"To"',
  fromTime: '"From" time',
  toTime: '"To" time',
  tz: '"Time zone"',
  customer: '"Customer"',
  action: '"Action"',
  actionMode: '"Exclude these actions"',
  user: '"Partner user"',
  status: '"Status"',
  q: '"Search"',
  correlation: '"Correlation ID"',
  access: '"Include log access"',
  size: '"Page size"',
  cursor: "The page position",
  dir: '"Page direction"',
  at: '"Jump to date"',
  record: "The record in this link",
};

/** The log's records of its own use, left out unless `includeLogAccess` (or the action names one). */
export const LOG_ACCESS_ACTIONS = ["view_activity_log", "export_activity_log"] as const;
/** The one value of `access` (a checkbox's): anything else is an error, never silently "off". */
export const INCLUDE_LOG_ACCESS_VALUE = "include";
/** The one value of `actionMode` (a checkbox's): the chosen actions are left out. */
export const EXCLUDE_ACTIONS_VALUE = "exclude";
/** The params a filter may repeat (`status=failed&status=progress`): any of the values matches. */
export const MULTI_VALUE_PARAMS = ["action", "user", "status"] as const;
export type MultiValueParam = (typeof MULTI_VALUE_PARAMS)[number];
/** More values than anyone picks by hand; a link with more is refused rather than truncated. */
export const MAX_FILTER_VALUES = 50;

export const PARAM_NAMES = Object.keys(LABELS) as ActivityLogParamName[];

// A Record over the union, so the compiler keeps this equal to OPERATION_STATUSES in db/schema
// without importing the schema (and Drizzle) into the browser bundle.
const STATUSES: Record<OperationStatus, true> = { succeeded: true, failed: true, progress: true, decline: true };

const ACTION_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
// Postgres text cannot hold NUL, and no name or UPN holds control characters: reject rather than 500.
// Nor can it hold an unpaired UTF-16 surrogate: the driver would send U+FFFD in its place and the
// filter would silently search for that, so those are refused the same way (isWellFormed below).
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A host name with at least one dot and a letter-only last label: "contoso.com", "xn--bcher-kva.de".
const DOMAIN_PATTERN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * What a search means, decided by its form: a UUID is looked up as the id of a record's operation
 * (correlation), customer, subscription, order or ingested event; a domain finds its customer (and
 * names containing it); anything else searches customer names, folded for case, accents and width.
 */
export type SearchTerm =
  { kind: "uuid"; value: string } | { kind: "domain"; value: string } | { kind: "text"; value: string };

export function classifySearch(q: string): SearchTerm {
  const value = q.trim();
  if (UUID_PATTERN.test(value)) return { kind: "uuid", value: value.toLowerCase() };
  if (DOMAIN_PATTERN.test(value)) return { kind: "domain", value: value.toLowerCase() };
  return { kind: "text", value };
}

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

type DateParse =
  | { ok: true; days: number }
  | { ok: false; code: ParamErrorCode; values?: Record<string, string | number>; message: string };

function parseDay(param: "from" | "to" | "at", raw: string): DateParse {
  const civil = readDay(raw);
  if (!civil)
    return {
      ok: false,
      code: "date_format",
      message: `${LABELS[param]} must be a date such as Nov 4, 2026 or 2026-11-04.`,
    };
  const { year, month, day } = civil;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return {
      ok: false,
      code: "date_not_real",
      values: { value: raw },
      message: `${LABELS[param]} is not a real date: ${raw} does not exist.`,
    };
  }
  if (year < MIN_YEAR) {
    // The year as text: a number argument would be grouped ("2,000") by the message formatter.
    return {
      ok: false,
      code: "date_too_early",
      values: { year: String(MIN_YEAR) },
      message: `${LABELS[param]} must be in the year ${MIN_YEAR} or later.`,
    };
  }
  return { ok: true, days: dayNumber(year, month, day) };
}

/** The default "To" (today in the zone) and, for a given "To", the default "From". */
export function defaultRange(timeZone: string, now: Date = new Date()): { from: string; to: string } {
  const to = todayIn(timeZone, now);
  return { from: formatDay(monthBefore(to)), to: formatDay(to) };
}

export const RANGE_PRESETS = ["today", "last-24-hours", "last-7-days", "last-30-days", "last-90-days"] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

const PRESET_DAYS: Record<Exclude<RangePreset, "last-24-hours">, number> = {
  today: 1,
  "last-7-days": 7,
  "last-30-days": 30,
  "last-90-days": 90,
};

/** HH:MM of a wall clock (ms as if UTC). */
const timeOfDay = (wallMs: number): string => {
  const minutes = Math.floor((((wallMs % DAY_MS) + DAY_MS) % DAY_MS) / 60_000);
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
};

/**
 * The quick ranges beside the date fields, ending today in the zone. "Last 7 days" is seven days,
 * today included (so it starts six days back); "Last 24 hours" starts at this minute yesterday.
 */
export function presetRange(
  preset: RangePreset,
  timeZone: string,
  now: Date = new Date(),
): { from: string; to: string; fromTime: string | null; toTime: null } {
  const to = todayIn(timeZone, now);
  if (preset === "last-24-hours") {
    const wall = wallClockMs(now.getTime() - DAY_MS, timeZone);
    return { from: formatDay(Math.floor(wall / DAY_MS)), to: formatDay(to), fromTime: timeOfDay(wall), toTime: null };
  }
  return { from: formatDay(to - (PRESET_DAYS[preset] - 1)), to: formatDay(to), fromTime: null, toTime: null };
}

/** An HH:MM (or H:MM) time of day as milliseconds past midnight, or null when it is not one. */
function parseTimeOfDay(raw: string): number | null {
  const minutes = readTimeOfDay(raw);
  return minutes === null ? null : minutes * 60_000;
}

// ---------------------------------------------------------------------------------------------
// Reading raw values.

type Raw = { kind: "absent" } | { kind: "value"; value: string } | { kind: "repeated" };

function valuesOf(input: SearchParamsInput, name: string): string[] {
  if (isUrlSearchParams(input)) return input.getAll(name);
  const value = Object.prototype.hasOwnProperty.call(input, name) ? input[name] : undefined;
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The non-empty values of a repeatable param, trimmed, each once (first spelling kept). */
function readMany(input: SearchParamsInput, name: MultiValueParam, fold: (v: string) => string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of valuesOf(input, name)) {
    const value = typeof raw === "string" ? raw.trim() : "";
    if (value === "" || seen.has(fold(value))) continue;
    seen.add(fold(value));
    out.push(value);
  }
  return out;
}

function isUrlSearchParams(input: SearchParamsInput): input is Pick<URLSearchParams, "getAll"> {
  return typeof (input as URLSearchParams).getAll === "function";
}

function readRaw(input: SearchParamsInput, name: ActivityLogParamName): Raw {
  const values = valuesOf(input, name);
  if (values.length > 1) return { kind: "repeated" };
  // A form submits empty fields as `name=`: that means "not set", not "match the empty string".
  const value = typeof values[0] === "string" ? values[0].trim() : "";
  return value === "" ? { kind: "absent" } : { kind: "value", value };
}

// ---------------------------------------------------------------------------------------------

export interface ParseOptions {
  /** The current instant, for "today" in the chosen zone; injectable for tests. */
  now?: Date;
}

export function parseActivityLogParams(input: SearchParamsInput, options: ParseOptions = {}): ParseResult {
  const result = parseStrict(input, options);
  if (result.ok) return result;
  return { ok: false, errors: result.errors, partial: salvage(input, result.errors, options) };
}

/**
 * Whether an address is written as `toSearchParams` writes it, as far as a form can differ: a
 * plain form (no JavaScript) sends its empty fields, and its days and times as the reader typed
 * them ("Nov 4, 2026", "9:05"). The page answers such an address with its canonical one.
 */
export function isCanonicalAddress(input: SearchParamsInput): boolean {
  return PARAM_NAMES.every((name) =>
    valuesOf(input, name).every((value) => value !== "" && canonicalParamText(name, value) === value),
  );
}

/** Without the params that failed; the period's pair goes together when one of them failed. */
function salvage(input: SearchParamsInput, errors: ParamError[], options: ParseOptions): ActivityLogParams | null {
  const all = new URLSearchParams();
  for (const name of PARAM_NAMES) for (const value of valuesOf(input, name)) all.append(name, value);
  let without = new Set(errors.map((e) => e.param));
  // Up to three rounds: a default can still disagree with what is left (From after a valid To).
  for (let round = 0; round < 3; round++) {
    const kept = new URLSearchParams([...all].filter(([name]) => !without.has(name as ActivityLogParamName)));
    const again = parseStrict(kept, options);
    if (again.ok) return again.value;
    without = new Set([...without, ...again.errors.map((e) => e.param)]);
    if (round === 1) for (const name of ["from", "to", "fromTime", "toTime", "at"] as const) without.add(name);
  }
  return null;
}

function parseStrict(
  input: SearchParamsInput,
  options: ParseOptions,
): { ok: true; value: ActivityLogParams } | { ok: false; errors: ParamError[] } {
  const now = options.now ?? new Date();
  const errors: ParamError[] = [];
  const fail = (
    param: ActivityLogParamName,
    code: ParamErrorCode,
    message: string,
    values?: Record<string, string | number>,
  ) => errors.push(values ? { param, code, values, message } : { param, code, message });

  const raw = {} as Record<ActivityLogParamName, Raw>;
  for (const name of PARAM_NAMES) {
    if ((MULTI_VALUE_PARAMS as readonly string[]).includes(name)) continue;
    raw[name] = readRaw(input, name);
    if (raw[name].kind === "repeated")
      fail(name, "repeated", `${LABELS[name]} was given more than once; give it once.`);
  }
  const valueOf = (name: ActivityLogParamName): string | null => {
    const r = raw[name] as Raw | undefined;
    return r?.kind === "value" ? r.value : null;
  };

  // Time zone first: the defaults and the range depend on it.
  let tz: string | null = DEFAULT_TIME_ZONE;
  const tzRaw = valueOf("tz");
  if (tzRaw !== null) {
    tz = canonicalTimeZone(tzRaw);
    if (tz === null)
      fail("tz", "unknown_time_zone", `${LABELS.tz} must be a known IANA time zone, such as Europe/Berlin or UTC.`);
  } else if (raw.tz.kind === "repeated") {
    tz = null;
  }

  const parseGiven = (param: "from" | "to"): number | null | undefined => {
    const value = valueOf(param);
    if (value === null) return raw[param].kind === "repeated" ? null : undefined;
    const parsed = parseDay(param, value);
    if (parsed.ok) return parsed.days;
    fail(param, parsed.code, parsed.message, parsed.values);
    return null;
  };
  // undefined: not given (use the default); null: given but invalid (already reported).
  const fromGiven = parseGiven("from");
  const toGiven = parseGiven("to");

  const parseTime = (param: "fromTime" | "toTime"): number | null => {
    const value = valueOf(param);
    if (value === null) return null;
    const ms = parseTimeOfDay(value);
    if (ms === null)
      fail(param, "time_format", `${LABELS[param]} must be a time of day in the form HH:MM (00:00 to 23:59).`);
    return ms;
  };
  const fromTimeMs = parseTime("fromTime");
  const toTimeMs = parseTime("toTime");

  let to: number | null = null;
  if (toGiven !== undefined) to = toGiven;
  else if (tz !== null) to = todayIn(tz, now);

  if (to !== null && toGiven !== undefined && tz !== null && to > todayIn(tz, now) + 1) {
    fail("to", "to_after_tomorrow", `${LABELS.to} cannot be later than tomorrow.`);
  }

  let from: number | null = null;
  if (fromGiven !== undefined) from = fromGiven;
  else if (to !== null) from = monthBefore(to);

  if (from !== null && to !== null) {
    const sameDayTimesCross = from === to && fromTimeMs !== null && toTimeMs !== null && fromTimeMs > toTimeMs;
    if (from > to || sameDayTimesCross)
      fail("from", "from_after_to", `${LABELS.from} must be on or before ${LABELS.to}.`);
    else if (to - from > MAX_RANGE_DAYS) {
      fail(
        "from",
        "range_too_long",
        `The period can be at most one year: ${LABELS.from} must be no more than ${MAX_RANGE_DAYS} days before ${LABELS.to}.`,
        { days: MAX_RANGE_DAYS },
      );
    }
  }

  const checkText = (param: "customer" | "user" | "q", value: string, max: number): boolean => {
    if (value.length > max) fail(param, "too_long", `${LABELS[param]} can be at most ${max} characters long.`, { max });
    else if (CONTROL_CHARACTERS.test(value) || !value.isWellFormed())
      fail(param, "control_characters", `${LABELS[param]} contains characters that cannot be searched for.`);
    else return true;
    return false;
  };
  const text = (param: "customer" | "q", max: number): string | null => {
    const value = valueOf(param);
    if (value === null) return null;
    checkText(param, value, max);
    return value;
  };
  const customer = text("customer", MAX_CUSTOMER_LENGTH);
  const q = text("q", MAX_SEARCH_LENGTH);

  const many = (param: MultiValueParam, fold: (v: string) => string = (v) => v): string[] => {
    const values = readMany(input, param, fold);
    if (values.length > MAX_FILTER_VALUES)
      fail(param, "too_many", `${LABELS[param]} can name at most ${MAX_FILTER_VALUES} values.`, {
        max: MAX_FILTER_VALUES,
      });
    return values;
  };
  // The same user however the UPN is cased (user_key is lower case).
  const user = many("user", (v) => v.toLowerCase());
  let userValid = true;
  for (const value of user) if (!checkText("user", value, MAX_USER_LENGTH)) userValid = false;
  if (!userValid) user.length = 0;

  const correlationRaw = valueOf("correlation");
  if (correlationRaw !== null && !UUID_PATTERN.test(correlationRaw))
    fail(
      "correlation",
      "uuid_format",
      `${LABELS.correlation} must be a UUID such as 123e4567-e89b-12d3-a456-426614174000.`,
    );

  const action = many("action");
  if (action.some((a) => !ACTION_PATTERN.test(a))) {
    fail(
      "action",
      "action_format",
      `${LABELS.action} must be an operation type such as create_order (lowercase letters, digits and underscores).`,
    );
  }

  const statusValues = many("status");
  const status = statusValues.filter((v): v is OperationStatus => Object.prototype.hasOwnProperty.call(STATUSES, v));
  if (status.length !== statusValues.length)
    fail("status", "unknown_status", `${LABELS.status} must be one of succeeded, failed or progress.`);

  const actionModeRaw = valueOf("actionMode");
  if (actionModeRaw !== null && actionModeRaw !== EXCLUDE_ACTIONS_VALUE)
    fail("actionMode", "unknown_action_mode", `${LABELS.actionMode} must be "${EXCLUDE_ACTIONS_VALUE}" or left out.`);

  const accessRaw = valueOf("access");
  if (accessRaw !== null && accessRaw !== INCLUDE_LOG_ACCESS_VALUE)
    fail("access", "unknown_access", `${LABELS.access} must be "${INCLUDE_LOG_ACCESS_VALUE}" or left out.`);

  const sizeRaw = valueOf("size");
  const size = sizeRaw === null ? DEFAULT_PAGE_SIZE : PAGE_SIZES.find((s) => String(s) === sizeRaw);
  if (size === undefined)
    fail(
      "size",
      "unknown_page_size",
      `${LABELS.size} must be ${PAGE_SIZES.slice(0, -1).join(", ")} or ${PAGE_SIZES.at(-1)}.`,
    );

  const cursorRaw = valueOf("cursor");
  const cursor = cursorRaw === null ? null : decodeCursor(cursorRaw);
  if (cursorRaw !== null && cursor === null) {
    fail("cursor", "cursor_invalid", `${LABELS.cursor} in this link is not valid. Start again from the first page.`);
  }

  const recordRaw = valueOf("record");
  const record = recordRaw !== null && /^[1-9][0-9]{0,15}$/.test(recordRaw) ? Number(recordRaw) : null;
  if (recordRaw !== null && (record === null || !Number.isSafeInteger(record)))
    fail("record", "record_format", `${LABELS.record} is not a record id (a positive whole number).`);

  const dirRaw = valueOf("dir");
  if (dirRaw !== null && dirRaw !== "next" && dirRaw !== "prev" && dirRaw !== "oldest")
    fail("dir", "unknown_direction", `${LABELS.dir} must be "next", "prev" or "oldest".`);

  // A day to jump to: the position just after its last instant in the zone, so the page starts at
  // the last record at or before the end of that day. Only within the range, where the page reads.
  const atRaw = valueOf("at");
  let atCursor: Cursor | null = null;
  if (atRaw !== null) {
    const parsed = parseDay("at", atRaw);
    if (!parsed.ok) fail("at", parsed.code, parsed.message, parsed.values);
    else if (from !== null && to !== null && (parsed.days < from || parsed.days > to))
      fail("at", "at_outside_range", `${LABELS.at} must be a day from ${LABELS.from} to ${LABELS.to}.`);
    else if (tz !== null)
      atCursor = { occurredAt: new Date(zonedWallTimeToUtc((parsed.days + 1) * DAY_MS, tz)), id: 1 };
  }
  // One position per link: a cursor, a day or the oldest page, never two that could disagree.
  const positions = [cursorRaw !== null, atRaw !== null, dirRaw === "oldest"].filter(Boolean).length;
  if (positions > 1)
    fail(
      "at",
      "position_twice",
      `A link can name one position: the page position, ${LABELS.at} or the oldest page, not two of them.`,
    );

  if (errors.length > 0 || tz === null || from === null || to === null || size === undefined) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: {
      from: formatDay(from),
      to: formatDay(to),
      fromTime: fromTimeMs === null ? null : timeOfDay(fromTimeMs),
      toTime: toTimeMs === null ? null : timeOfDay(toTimeMs),
      tz,
      range: {
        start: new Date(zonedWallTimeToUtc(from * DAY_MS + (fromTimeMs ?? 0), tz)),
        end: new Date(zonedWallTimeToUtc(toTimeMs === null ? (to + 1) * DAY_MS : to * DAY_MS + toTimeMs + 60_000, tz)),
      },
      customer,
      action,
      // Excluding nothing is no exclusion: the flag means something only beside actions.
      excludeActions: actionModeRaw === EXCLUDE_ACTIONS_VALUE && action.length > 0,
      user,
      status,
      q,
      correlation: correlationRaw?.toLowerCase() ?? null,
      includeLogAccess: accessRaw === INCLUDE_LOG_ACCESS_VALUE,
      size,
      record,
      cursor: cursor ?? atCursor,
      dir:
        (cursor ?? atCursor) !== null ? (dirRaw === "prev" ? "prev" : "next") : dirRaw === "oldest" ? "oldest" : "next",
    },
  };
}

/**
 * A link to the records of one operation: the correlation filter over the days its records fall
 * on (in the reader's zone), at most the longest period the log shows, ending no later than
 * tomorrow, so the link always parses.
 */
export function correlationSearchParams(
  correlation: string,
  instants: Date[],
  timeZone: string,
  options: ParseOptions = {},
): URLSearchParams {
  const tz = canonicalTimeZone(timeZone) ?? DEFAULT_TIME_ZONE;
  const now = options.now ?? new Date();
  const days = instants.map((i) => Math.floor(wallClockMs(i.getTime(), tz) / DAY_MS));
  const today = todayIn(tz, now);
  const to = Math.min(Math.max(...days), today + 1);
  const from = Math.min(to, Math.max(Math.min(...days), to - MAX_RANGE_DAYS));
  const query: ActivityLogQuery = {
    from: formatDay(from),
    to: formatDay(to),
    fromTime: null,
    toTime: null,
    tz,
    ...EMPTY_FILTERS,
    correlation: correlation.toLowerCase(),
    includeLogAccess: false,
    size: DEFAULT_PAGE_SIZE,
    record: null,
    cursor: null,
    dir: "next",
  };
  return toSearchParams(query, {}, { now });
}

// ---------------------------------------------------------------------------------------------
// Writing links.

/** Changes for a link. `null` removes a filter; a cursor may be given encoded (as pages return it). */
export interface ActivityLogOverrides {
  from?: string;
  to?: string;
  fromTime?: string | null;
  toTime?: string | null;
  tz?: string;
  customer?: string | null;
  /** One value, several, or null (or []) for none. */
  action?: string | readonly string[] | null;
  excludeActions?: boolean;
  user?: string | readonly string[] | null;
  status?: OperationStatus | readonly OperationStatus[] | null;
  q?: string | null;
  correlation?: string | null;
  includeLogAccess?: boolean;
  size?: PageSize;
  record?: number | null;
  cursor?: Cursor | string | null;
  dir?: PageDirection;
}

/** The serialisable part of the params; `range` is derived, so it is never written. */
export type ActivityLogQuery = Omit<ActivityLogParams, "range">;

/** No filter at all: what Reset and "Clear filters" leave (beside the period and zone). */
export const EMPTY_FILTERS = {
  customer: null,
  action: [] as string[],
  excludeActions: false,
  user: [] as string[],
  status: [] as OperationStatus[],
  q: null,
  correlation: null,
  includeLogAccess: false,
} satisfies Partial<ActivityLogQuery>;

const listOf = <T extends string>(value: T | readonly T[] | null | undefined): T[] =>
  value == null ? [] : typeof value === "string" ? [value] : [...value];

/**
 * Search params for a link to the log: the current params with `overrides` applied, defaults left
 * out so links stay short (and an unchosen period stays "the most recent month"). Changing any
 * filter without naming a cursor goes back to the first page: an old position under a new filter
 * would start the list somewhere arbitrary.
 */
export function toSearchParams(
  params: ActivityLogQuery,
  overrides: ActivityLogOverrides = {},
  options: ParseOptions = {},
): URLSearchParams {
  const defined = Object.fromEntries(
    Object.entries(overrides).filter(([, v]) => v !== undefined),
  ) as ActivityLogOverrides;
  const changesFilter = Object.keys(defined).some((key) => key !== "cursor" && key !== "dir" && key !== "record");
  const merged = {
    ...params,
    ...defined,
    action: defined.action !== undefined ? listOf(defined.action) : params.action,
    user: defined.user !== undefined ? listOf(defined.user) : params.user,
    status: defined.status !== undefined ? listOf(defined.status) : params.status,
  };
  if (changesFilter && defined.cursor === undefined) {
    merged.cursor = null;
    merged.dir = "next";
  }
  // The expanded record belongs to its position: any other page or view closes it.
  if (defined.record === undefined && (changesFilter || defined.cursor !== undefined || defined.dir !== undefined))
    merged.record = null;
  const cursor = typeof merged.cursor === "string" ? merged.cursor : merged.cursor ? encodeCursor(merged.cursor) : null;

  const out = new URLSearchParams();
  const tz = canonicalTimeZone(merged.tz);
  const defaults = tz ? defaultRange(tz, options.now) : null;
  const toDays = parseDay("to", merged.to);
  const defaultFrom = toDays.ok ? formatDay(monthBefore(toDays.days)) : null;
  if (merged.from !== defaultFrom) out.set("from", merged.from);
  if (merged.to !== defaults?.to) out.set("to", merged.to);
  if (merged.fromTime) out.set("fromTime", merged.fromTime);
  if (merged.toTime) out.set("toTime", merged.toTime);
  if (merged.tz !== DEFAULT_TIME_ZONE) out.set("tz", merged.tz);
  if (merged.customer) out.set("customer", merged.customer);
  for (const action of merged.action) out.append("action", action);
  if (merged.excludeActions && merged.action.length > 0) out.set("actionMode", EXCLUDE_ACTIONS_VALUE);
  for (const user of merged.user) out.append("user", user);
  for (const status of merged.status) out.append("status", status);
  if (merged.q) out.set("q", merged.q);
  if (merged.correlation) out.set("correlation", merged.correlation);
  if (merged.includeLogAccess) out.set("access", INCLUDE_LOG_ACCESS_VALUE);
  if (merged.size !== DEFAULT_PAGE_SIZE) out.set("size", String(merged.size));
  if (merged.record) out.set("record", String(merged.record));
  // The oldest page has no cursor: it is read from the other end of the range.
  if (cursor === null && merged.dir === "oldest") out.set("dir", "oldest");
  else if (cursor) {
    out.set("cursor", cursor);
    if (merged.dir === "prev") out.set("dir", "prev");
  }
  return out;
}

/**
 * A link to the same view in another zone: the filters and the chosen days kept, the page
 * position dropped (the days now begin at other instants), and a period left at its default
 * still "the most recent month", now in the new zone.
 */
export function timeZoneSearchParams(
  query: ActivityLogQuery,
  timeZone: string,
  options: ParseOptions = {},
): URLSearchParams {
  const out = toSearchParams(query, { cursor: null, dir: "next" }, options);
  const tz = canonicalTimeZone(timeZone) ?? DEFAULT_TIME_ZONE;
  if (tz === DEFAULT_TIME_ZONE) out.delete("tz");
  else out.set("tz", tz);
  return out;
}

/**
 * A record's permalink target: the log at that record (a position just past it, so it is the
 * page's first row), expanded, over the default period ending on its day in the zone.
 */
export function recordSearchParams(
  record: { id: number; occurredAt: Date },
  timeZone: string,
  options: ParseOptions = {},
): URLSearchParams {
  const tz = canonicalTimeZone(timeZone) ?? DEFAULT_TIME_ZONE;
  const now = options.now ?? new Date();
  const day = Math.min(Math.floor(wallClockMs(record.occurredAt.getTime(), tz) / DAY_MS), todayIn(tz, now) + 1);
  const query: ActivityLogQuery = {
    from: formatDay(monthBefore(day)),
    to: formatDay(day),
    fromTime: null,
    toTime: null,
    tz,
    ...EMPTY_FILTERS,
    // Its own view may be a log access record.
    includeLogAccess: true,
    size: DEFAULT_PAGE_SIZE,
    record: record.id,
    cursor: { occurredAt: record.occurredAt, id: record.id + 1 },
    dir: "next",
  };
  return toSearchParams(query, {}, { now });
}
