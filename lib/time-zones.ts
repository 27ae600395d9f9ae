/*
 * Civil dates and IANA time zones with Intl only (this runs in the browser too): days as day
 * numbers (days since 1970-01-01, so date arithmetic is integer arithmetic), and the instants at
 * which a wall-clock time begins in a zone, spring-forward gaps and fall-back nights included.
 */
import { leadingItems } from "@/lib/leading-items";

export const DAY_MS = 86_400_000;
const MAX_TIME_ZONE_LENGTH = 64;

// ---------------------------------------------------------------------------------------------
// Civil dates as day numbers (days since 1970-01-01), so date arithmetic is integer arithmetic.

export function dayNumber(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

export function civilOf(days: number): { year: number; month: number; day: number } {
  const d = new Date(days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function formatDay(days: number): string {
  const { year, month, day } = civilOf(days);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The same day one month earlier, clamped to the month's end (Mar 31 -> Feb 28 or 29). */
export function monthBefore(days: number): number {
  const { year, month, day } = civilOf(days);
  const y = month === 1 ? year - 1 : year;
  const m = month === 1 ? 12 : month - 1;
  return dayNumber(y, m, Math.min(day, daysInMonth(y, m)));
}

// Time zones, with Intl only. An offset is read off the wall clock Intl shows for an instant.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall clock in `timeZone` at an instant, as if that wall time were UTC (whole seconds). */
export function wallClockMs(instantMs: number, timeZone: string): number {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const { year, month, day, hour, minute, second } = parts;
  if (year === undefined || month === undefined || day === undefined) throw new Error(`No date in ${timeZone}.`);
  if (hour === undefined || minute === undefined || second === undefined) throw new Error(`No time in ${timeZone}.`);
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

export function offsetMs(instantMs: number, timeZone: string): number {
  const whole = Math.floor(instantMs / 1000) * 1000;
  return wallClockMs(whole, timeZone) - whole;
}

/**
 * The first instant whose wall clock in `timeZone` reads `wallMs` (or later). Offsets a day either
 * side give the one or two candidates; on a fall-back night the earlier one is the start, and in a
 * spring-forward gap (some zones, e.g. America/Havana and America/Santiago, skip midnight itself)
 * the day starts at the jump, found by bisection.
 */
export function zonedWallTimeToUtc(wallMs: number, timeZone: string): number {
  const before = offsetMs(wallMs - DAY_MS, timeZone);
  const after = offsetMs(wallMs + DAY_MS, timeZone);
  const matches = [wallMs - before, wallMs - after].filter((t) => t + offsetMs(t, timeZone) === wallMs);
  if (matches.length > 0) return Math.min(...matches);

  let lo = wallMs - after; // reads earlier than wallMs
  let hi = wallMs - before; // reads later than wallMs
  if (lo >= hi) return hi;
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (wallClockMs(mid, timeZone) >= wallMs) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The canonical name of an IANA time zone (e.g. "asia/seoul" -> "Asia/Seoul"), or null if unknown. */
export function canonicalTimeZone(value: string): string | null {
  if (value.length === 0 || value.length > MAX_TIME_ZONE_LENGTH) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The UTC instant at which `date` (YYYY-MM-DD, already valid) begins in `timeZone`. */
export function zonedDayStart(date: string, timeZone: string): Date {
  const [year, month, day] = leadingItems(date.split("-").map(Number), 3, `The date ${date}`);
  return new Date(zonedWallTimeToUtc(Date.UTC(year, month - 1, day), timeZone));
}

export function todayIn(timeZone: string, now: Date): number {
  return Math.floor(wallClockMs(now.getTime(), timeZone) / DAY_MS);
}

/** The day (YYYY-MM-DD) an instant falls on in a time zone. */
export function dayIn(instant: Date, timeZone: string): string {
  return formatDay(Math.floor(wallClockMs(instant.getTime(), timeZone) / DAY_MS));
}

/**
 * Every IANA zone the runtime knows, for a picker: its canonical names (which include the
 * customer's, wherever they are), and UTC, which not every runtime lists.
 */
export function allTimeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return [...new Set(["UTC", ...zones])].sort((a, b) => (a === "UTC" ? -1 : b === "UTC" ? 1 : a.localeCompare(b)));
}

/** The wall-clock offset of a zone at an instant, "+09:00", "-04:00", "+00:00". */
export function offsetLabel(timeZone: string, at: Date = new Date()): string {
  const minutes = Math.round(offsetMs(at.getTime(), timeZone) / 60_000);
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}
