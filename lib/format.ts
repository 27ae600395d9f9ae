/*
 * How times and counts read on screen. Times always carry their zone (shown beside them), because
 * an audit log read across offices is useless if "14:05" could mean anyone's afternoon.
 */
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(timeZone: string): Intl.DateTimeFormat {
  let format = dateTimeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    dateTimeFormats.set(timeZone, format);
  }
  return format;
}

/** "2026-11-24 13:05:22" in the given zone. */
export function formatDateTime(date: Date, timeZone: string): string {
  const parts = Object.fromEntries(dateTimeFormat(timeZone).formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** "UTC", or "Asia/Seoul (UTC+09:00)" with the offset at that instant. */
export function timeZoneLabel(timeZone: string, at: Date = new Date()): string {
  if (timeZone === "UTC") return "UTC";
  const offset = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName")?.value;
  return `${timeZone} (${offset === "GMT" ? "UTC" : (offset ?? "").replace("GMT", "UTC")})`;
}

export const formatNumber = (n: number): string => n.toLocaleString("en-US");

/** Exact up to the cap, "10,000+" beyond it. */
export const formatCount = ({ count, capped }: { count: number; capped: boolean }): string =>
  capped ? `${formatNumber(count)}+` : formatNumber(count);
