import { describe, expect, it } from "vitest";
import { formatCount, formatDate, formatDateTime, formatDay, formatNumber, timeZoneLabel } from "@/lib/format";

describe("formatting", () => {
  it("writes date-times in the chosen zone, in the reader's locale, to the second", () => {
    const at = new Date("2026-11-24T23:30:05.123Z");
    expect(formatDateTime(at, "UTC", "en")).toBe("Nov 24, 2026, 23:30:05");
    expect(formatDateTime(at, "Asia/Seoul", "en")).toBe("Nov 25, 2026, 08:30:05");
    expect(formatDateTime(at, "America/New_York", "en")).toBe("Nov 24, 2026, 18:30:05");
    expect(formatDateTime(at, "UTC", "ko")).toBe("2026. 11. 24. 23:30:05");
    expect(formatDateTime(at, "Asia/Seoul", "ko")).toBe("2026. 11. 25. 08:30:05");
    expect(formatDateTime(new Date("2026-03-04T05:06:07Z"), "UTC", "en")).toBe("Mar 4, 2026, 05:06:07");
    expect(formatDateTime(new Date("2026-03-04T05:06:07Z"), "UTC", "ko")).toBe("2026. 03. 04. 05:06:07");
  });

  it("lines a column of Korean times up: every date-time of a month is as long as the next", () => {
    const lengths = new Set(
      Array.from({ length: 31 * 24 }, (_, h) =>
        formatDateTime(new Date(Date.UTC(2026, 0, 1) + h * 3_600_000), "UTC", "ko"),
      ).map((s) => s.length),
    );
    expect(lengths).toEqual(new Set([22]));
  });

  it("uses the 24-hour clock in both, and the same date in a date-time as on its own", () => {
    const at = new Date("2026-11-04T13:05:22Z");
    for (const locale of ["en", "ko"]) {
      expect(formatDateTime(at, "UTC", locale)).toContain("13:05:22");
      expect(formatDateTime(at, "UTC", locale).startsWith(formatDate(at, "UTC", locale))).toBe(true);
      expect(formatDay("2026-11-04", locale)).toBe(formatDate(at, "UTC", locale));
    }
  });

  it("writes calendar days (From/To) and the day of an instant", () => {
    expect(formatDay("2026-03-01", "en")).toBe("Mar 1, 2026");
    expect(formatDay("2026-03-01", "ko")).toBe("2026. 03. 01.");
    // Not an instant: the day is the same whatever the server's zone.
    expect(formatDay("2026-12-31", "en")).toBe("Dec 31, 2026");
    expect(formatDay("not-a-day", "en")).toBe("not-a-day");
    expect(formatDate(new Date("2026-11-24T23:30:00Z"), "Asia/Seoul", "ko")).toBe("2026. 11. 25.");
  });

  it("labels zones with their offset, the same in every locale", () => {
    expect(timeZoneLabel("UTC")).toBe("UTC");
    expect(timeZoneLabel("Asia/Seoul", new Date("2026-11-24T00:00:00Z"))).toBe("Asia/Seoul (UTC+09:00)");
    expect(timeZoneLabel("America/New_York", new Date("2026-07-01T00:00:00Z"))).toBe("America/New_York (UTC-04:00)");
  });

  it("writes numbers and capped counts in the locale", () => {
    expect(formatNumber(1234567, "en")).toBe("1,234,567");
    expect(formatNumber(1234567, "ko")).toBe("1,234,567");
    expect(formatCount({ count: 9_999, capped: false }, "en")).toBe("9,999");
    expect(formatCount({ count: 10_000, capped: true }, "en")).toBe("10,000+");
    expect(formatCount({ count: 10_000, capped: true }, "ko")).toBe("10,000+");
    // A locale that groups differently gets its own separators.
    expect(formatNumber(1234567, "de")).toBe("1.234.567");
  });
});
