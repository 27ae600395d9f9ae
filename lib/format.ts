/*
 * How times and counts read on screen, in the reader's locale (Intl). Times always carry their zone
 * (shown beside them), because an audit log read across offices is useless if "14:05" could mean
 * anyone's afternoon. Every locale gets the 24-hour clock with seconds: log entries are compared
 * to the second, and "PM 1:05:22" against "13:05:22" in another tool is a needless trap.
 *
 * The CSV does not use this module: its format is fixed and locale-independent (lib/csv).
 */
const cache = new Map<string, Intl.DateTimeFormat>();

/*
 * One way to write a date per language, the same in the table, the details, the summaries and
 * every other screen: the month by name where the language writes it so (en: "Nov 4, 2026"), all
 * numbers two digits where it writes dates in numbers (ko: "2026. 11. 04."), and the time always
 * as two-digit 24-hour fields ("09:05:22"), so that a column of times lines up.
 */
const NUMERIC_DATES = /^(ko|ja|zh)(-|$)/;

export function dateOptions(locale: string): Intl.DateTimeFormatOptions {
  return NUMERIC_DATES.test(locale)
    ? { year: "numeric", month: "2-digit", day: "2-digit" }
    : { year: "numeric", month: "short", day: "numeric" };
}

export function dateTimeOptions(locale: string): Intl.DateTimeFormatOptions {
  return { ...dateOptions(locale), hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" };
}

function cached(locale: string, timeZone: string, kind: "dateTime" | "day"): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${kind}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      timeZone,
      ...(kind === "dateTime" ? dateTimeOptions(locale) : dateOptions(locale)),
    });
    cache.set(key, format);
  }
  return format;
}

/** "Nov 24, 2026, 09:05:22" (en) or "2026. 11. 24. 09:05:22" (ko), in the given zone. */
export function formatDateTime(date: Date, timeZone: string, locale: string): string {
  return cached(locale, timeZone, "dateTime").format(date);
}

/** A calendar day given as YYYY-MM-DD (a "From"/"To" value): "Nov 4, 2026" / "2026. 11. 04.". */
export function formatDay(day: string, locale: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return day;
  return cached(locale, "UTC", "day").format(
    new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))),
  );
}

/** The day an instant falls on in a zone: "Nov 24, 2026" / "2026. 11. 24.". */
export function formatDate(date: Date, timeZone: string, locale: string): string {
  return cached(locale, timeZone, "day").format(date);
}

/** "UTC", or "Asia/Seoul (UTC+09:00)" with the offset at that instant; the same in every locale. */
export function timeZoneLabel(timeZone: string, at: Date = new Date()): string {
  if (timeZone === "UTC") return "UTC";
  const offset = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName")?.value;
  return `${timeZone} (${offset === "GMT" ? "UTC" : (offset ?? "").replace("GMT", "UTC")})`;
}

export const formatNumber = (n: number, locale: string): string => new Intl.NumberFormat(locale).format(n);

/** Exact up to the cap, "10,000+" beyond it. */
export const formatCount = ({ count, capped }: { count: number; capped: boolean }, locale: string): string =>
  capped ? `${formatNumber(count, locale)}+` : formatNumber(count, locale);
