import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseActivityLogParams, isCanonicalAddress } from "@/lib/activity-log-params";
import { canonicalParamText, isoDay, readDay, readTimeOfDay, utcInstantOf } from "@/lib/day-text";
import { formatDay } from "@/lib/format";

const civilDays = fc
  .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2099-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe("readDay: the day as the page writes it, and as the address does", () => {
  it("reads back every day the page writes, in English and Korean", () => {
    fc.assert(
      fc.property(civilDays, fc.constantFrom("en", "ko"), (day, locale) => {
        const written = formatDay(day, locale);
        const read = readDay(written);
        expect(read && isoDay(read), `${locale}: ${written}`).toBe(day);
      }),
    );
  });

  it.each([
    ["2026-11-04", "2026-11-04"],
    ["2026-1-4", "2026-01-04"],
    ["Nov 4, 2026", "2026-11-04"],
    ["november 4 2026", "2026-11-04"],
    ["Sept 30, 2026", "2026-09-30"],
    ["4 Nov 2026", "2026-11-04"],
    ["2026. 11. 04.", "2026-11-04"],
    ["2026.11.4", "2026-11-04"],
    ["2026/11/04", "2026-11-04"],
    ["2026년 11월 4일", "2026-11-04"],
    ["２０２６－１１－０４", "2026-11-04"], // full-width, as an input method may type it
    ["  Nov   4,  2026 ", "2026-11-04"],
  ])("reads %j as %s", (text, day) => {
    const read = readDay(text);
    expect(read && isoDay(read)).toBe(day);
  });

  it.each(["11/04/2026", "04.11.2026", "No 4, 2026", "Nov 4", "2026-11", "tomorrow", "", "Novembre 4, 2026"])(
    "does not guess at %j",
    (text) => expect(readDay(text)).toBeNull(),
  );

  it("leaves the calendar check to the parser, which names the day that does not exist", () => {
    expect(readDay("Feb 30, 2026")).toEqual({ year: 2026, month: 2, day: 30 });
    const parsed = parseActivityLogParams({ from: "Feb 30, 2026" });
    expect(parsed.ok ? [] : parsed.errors).toEqual([
      expect.objectContaining({ param: "from", code: "date_not_real", values: { value: "Feb 30, 2026" } }),
    ]);
  });
});

describe("times of day", () => {
  it("reads HH:MM and H:MM on the 24-hour clock only", () => {
    expect([readTimeOfDay("09:05"), readTimeOfDay("9:05"), readTimeOfDay("23:59")]).toEqual([545, 545, 1439]);
    for (const bad of ["24:00", "9:5", "12:60", "9.05", "9:05 PM"]) expect(readTimeOfDay(bad), bad).toBeNull();
  });
});

describe("utcInstantOf: a typed day and time as an instant in UTC", () => {
  it("reads the day in either language's form, the time optional", () => {
    expect(utcInstantOf("Nov 4, 2026", "9:30")?.toISOString()).toBe("2026-11-04T09:30:00.000Z");
    expect(utcInstantOf("2026. 11. 04.", "")?.toISOString()).toBe("2026-11-04T00:00:00.000Z");
  });
  it("refuses a day that does not exist rather than rolling it into the next month", () => {
    expect(utcInstantOf("Feb 30, 2026", "00:00")).toBeNull();
    expect(utcInstantOf("0001-01-01", "")).toBeNull();
    expect(utcInstantOf("Nov 4, 2026", "25:00")).toBeNull();
    expect(utcInstantOf("", "09:00")).toBeNull();
  });
});

describe("the address keeps one spelling", () => {
  it("parses a typed day as its YYYY-MM-DD, in any page language", () => {
    const now = new Date("2026-12-04T12:00:00Z");
    const typed = parseActivityLogParams({ from: "Nov 4, 2026", to: "2026. 12. 04.", fromTime: "9:30" }, { now });
    const iso = parseActivityLogParams({ from: "2026-11-04", to: "2026-12-04", fromTime: "09:30" }, { now });
    expect(typed).toEqual(iso);
    expect(typed.ok && typed.value.from).toBe("2026-11-04");
  });

  it("calls an address with typed days, times or empty fields not canonical, and leaves bad ones to the parser", () => {
    expect(isCanonicalAddress({ from: "2026-11-04", fromTime: "09:30", customer: "Contoso" })).toBe(true);
    expect(isCanonicalAddress({ from: "Nov 4, 2026" })).toBe(false);
    expect(isCanonicalAddress({ at: "2026. 11. 04." })).toBe(false);
    expect(isCanonicalAddress({ toTime: "9:30" })).toBe(false);
    expect(isCanonicalAddress({ customer: "" })).toBe(false);
    expect(isCanonicalAddress({ status: ["failed", ""] })).toBe(false);
    // Not a day at all: no redirect, the parser's message names it.
    expect(isCanonicalAddress({ from: "11/04/2026" })).toBe(true);
    expect(canonicalParamText("customer", "Nov 4, 2026")).toBe("Nov 4, 2026");
  });
});
