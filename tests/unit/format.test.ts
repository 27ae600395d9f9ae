import { describe, expect, it } from "vitest";
import { formatCount, formatDateTime, timeZoneLabel } from "@/lib/format";

describe("formatting", () => {
  it("writes date-times in the chosen zone", () => {
    const at = new Date("2026-11-24T23:30:05.123Z");
    expect(formatDateTime(at, "UTC")).toBe("2026-11-24 23:30:05");
    expect(formatDateTime(at, "Asia/Seoul")).toBe("2026-11-25 08:30:05");
    expect(formatDateTime(at, "America/New_York")).toBe("2026-11-24 18:30:05");
  });

  it("labels zones with their offset", () => {
    expect(timeZoneLabel("UTC")).toBe("UTC");
    expect(timeZoneLabel("Asia/Seoul", new Date("2026-11-24T00:00:00Z"))).toBe("Asia/Seoul (UTC+09:00)");
    expect(timeZoneLabel("America/New_York", new Date("2026-07-01T00:00:00Z"))).toBe("America/New_York (UTC-04:00)");
  });

  it("caps counts at the cap", () => {
    expect(formatCount({ count: 9_999, capped: false })).toBe("9,999");
    expect(formatCount({ count: 10_000, capped: true })).toBe("10,000+");
  });
});
