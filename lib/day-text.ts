/*
 * A calendar day and a time of day as a reader types them. The date fields show the day the way
 * the table writes it in the page's language ("Nov 4, 2026", "2026. 11. 04."), so they read back
 * that form, and the address's YYYY-MM-DD, whatever the page's language is (a shared link works
 * for every reader). Forms that could mean two days ("11/04/2026") are not guessed at.
 *
 * Pure and dependency-free: the browser uses it to compare the two fields before a submit.
 */

export interface CivilDay {
  year: number;
  month: number;
  day: number;
}

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

/** The month a name or its abbreviation of three letters or more means ("Nov", "Sept", "june"). */
function monthNamed(name: string): number | null {
  const lower = name.toLowerCase();
  if (lower.length < 3) return null;
  const index = MONTHS.findIndex((month) => month.startsWith(lower));
  return index === -1 ? null : index + 1;
}

const ISO_DAY = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
// Year first in numbers, as Korean (and Japanese, Chinese) dates are written: "2026. 11. 04.",
// "2026.11.4", "2026/11/04", "2026년 11월 4일".
const YEAR_FIRST = /^(\d{4})\s*[./년]\s*(\d{1,2})\s*[./월]\s*(\d{1,2})\s*[.일]?$/;
const MONTH_FIRST = /^([a-z]+)\.?\s*(\d{1,2}),?\s+(\d{4})$/i; // "Nov 4, 2026", "November 4 2026"
const DAY_FIRST = /^(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{4})$/i; // "4 Nov 2026"

/**
 * The year, month and day a text names, or null when it is not written in a form read here. Not
 * checked against the calendar: "Feb 30, 2026" reads as such, so the caller can say that day
 * does not exist rather than that the form is wrong.
 */
export function readDay(text: string): CivilDay | null {
  // NFKC: full-width digits and letters, as an input method may type them, read as plain ones.
  const value = text.normalize("NFKC").trim().replace(/\s+/g, " ");
  const numeric = ISO_DAY.exec(value) ?? YEAR_FIRST.exec(value);
  if (numeric) return { year: Number(numeric[1]), month: Number(numeric[2]), day: Number(numeric[3]) };
  const monthFirst = MONTH_FIRST.exec(value);
  if (monthFirst) {
    const month = monthNamed(monthFirst[1] ?? "");
    return month === null ? null : { year: Number(monthFirst[3]), month, day: Number(monthFirst[2]) };
  }
  const dayFirst = DAY_FIRST.exec(value);
  if (dayFirst) {
    const month = monthNamed(dayFirst[2] ?? "");
    return month === null ? null : { year: Number(dayFirst[3]), month, day: Number(dayFirst[1]) };
  }
  return null;
}

/** YYYY-MM-DD, the form the address carries. */
export function isoDay({ year, month, day }: CivilDay): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** A typed day as YYYY-MM-DD, or the text unchanged when it is not a day (the parser names it). */
export function canonicalDayText(text: string): string {
  const day = readDay(text);
  return day ? isoDay(day) : text;
}

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** Minutes past midnight of "HH:MM" or "H:MM" (24-hour clock), or null. */
export function readTimeOfDay(text: string): number | null {
  const match = TIME.exec(text.normalize("NFKC").trim());
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

/** A typed time as HH:MM, or the text unchanged when it is not a time. */
export function canonicalTimeText(text: string): string {
  const minutes = readTimeOfDay(text);
  if (minutes === null) return text;
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/**
 * The instant a typed day and time of day name in UTC (the time optional: midnight), or null
 * when either cannot be read or the day does not exist (Date.UTC would roll Feb 30 into March).
 */
export function utcInstantOf(dayText: string, timeText: string): Date | null {
  const day = readDay(dayText);
  const minutes = timeText.trim() === "" ? 0 : readTimeOfDay(timeText);
  if (!day || minutes === null) return null;
  const at = new Date(Date.UTC(day.year, day.month - 1, day.day) + minutes * 60_000);
  return at.toISOString().slice(0, 10) === isoDay(day) ? at : null;
}

/** The pattern a time field holds the browser to before a submit (HTML `pattern`, anchored by it). */
export const TIME_INPUT_PATTERN = "([01]?[0-9]|2[0-3]):[0-5][0-9]";

/** The params that carry a day or a time, and how each is written in the address. */
export const DAY_PARAMS = ["from", "to", "at"] as const;
export const TIME_PARAMS = ["fromTime", "toTime"] as const;

/** A param's value as the address writes it: days and times in their one form, the rest as given. */
export function canonicalParamText(name: string, value: string): string {
  if ((DAY_PARAMS as readonly string[]).includes(name)) return canonicalDayText(value);
  if ((TIME_PARAMS as readonly string[]).includes(name)) return canonicalTimeText(value);
  return value;
}
