import { describe, expect, it } from "vitest";
import {
  DEFAULT_PAGE_SIZE,
  PAGE_SIZES,
  parseActivityLogParams,
  toSearchParams,
  type ActivityLogParams,
  type SearchParamsInput,
} from "@/lib/activity-log-params";
import { encodeCursor } from "@/lib/cursor";

// 2026-03-31 10:00 in UTC is already 19:00 in Seoul and still 06:00 in New York.
const now = new Date("2026-03-31T10:00:00Z");

function parseOk(input: SearchParamsInput, at: Date = now): ActivityLogParams {
  const result = parseActivityLogParams(input, { now: at });
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
  return result.value;
}

function errorsOf(input: SearchParamsInput, at: Date = now) {
  const result = parseActivityLogParams(input, { now: at });
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.value)}`);
  return result.errors;
}

describe("parseActivityLogParams: defaults", () => {
  it("gives the most recent month in UTC, first page, 25 rows", () => {
    expect(parseOk({})).toEqual({
      from: "2026-02-28",
      to: "2026-03-31",
      fromTime: null,
      toTime: null,
      tz: "UTC",
      range: { start: new Date("2026-02-28T00:00:00Z"), end: new Date("2026-04-01T00:00:00Z") },
      customer: null,
      action: [],
      excludeActions: false,
      user: [],
      status: [],
      q: null,
      correlation: null,
      includeLogAccess: false,
      size: DEFAULT_PAGE_SIZE,
      record: null,
      cursor: null,
      dir: "next",
    });
    expect(PAGE_SIZES).toEqual([25, 50, 100]);
  });

  it("clamps the month back to the shorter month's end, leap years included", () => {
    expect(parseOk({}, new Date("2028-03-31T12:00:00Z"))).toMatchObject({ from: "2028-02-29", to: "2028-03-31" });
    expect(parseOk({}, new Date("2026-05-31T12:00:00Z"))).toMatchObject({ from: "2026-04-30", to: "2026-05-31" });
    expect(parseOk({}, new Date("2026-01-15T12:00:00Z"))).toMatchObject({ from: "2025-12-15", to: "2026-01-15" });
  });

  it("takes today in the chosen zone, not in UTC", () => {
    const late = new Date("2026-03-31T20:00:00Z"); // already April 1 in Seoul
    expect(parseOk({ tz: "Asia/Seoul" }, late)).toMatchObject({ from: "2026-03-01", to: "2026-04-01" });
    const early = new Date("2026-04-01T02:00:00Z"); // still March 31 in New York
    expect(parseOk({ tz: "America/New_York" }, early)).toMatchObject({ from: "2026-02-28", to: "2026-03-31" });
  });

  it("defaults From to a month before an explicit To", () => {
    expect(parseOk({ to: "2026-03-15" })).toMatchObject({ from: "2026-02-15", to: "2026-03-15" });
  });

  it("reads URLSearchParams and Next's searchParams object alike", () => {
    const query =
      "from=2026-03-01&to=2026-03-10&tz=Asia%2FSeoul&customer=%20Contoso%20&action=create_order&user=ana%40contoso.example&status=failed&size=50";
    const record = Object.fromEntries(new URLSearchParams(query));
    expect(parseOk(new URLSearchParams(query))).toEqual(parseOk(record));
    expect(parseOk(record)).toMatchObject({
      customer: "Contoso",
      action: ["create_order"],
      user: ["ana@contoso.example"],
      status: ["failed"],
      size: 50,
    });
  });

  it("treats empty fields (a submitted form) as not set, and canonicalises the zone", () => {
    expect(parseOk({ customer: "", status: "", size: "", cursor: "   ", tz: "asia/seoul" })).toMatchObject({
      customer: null,
      status: [],
      size: 25,
      cursor: null,
      tz: "Asia/Seoul",
    });
  });

  it("decodes the cursor and keeps dir=prev only with one", () => {
    const position = { occurredAt: new Date("2026-03-20T08:00:00.123Z"), id: 77 };
    expect(parseOk({ cursor: encodeCursor(position), dir: "prev" })).toMatchObject({ cursor: position, dir: "prev" });
    expect(parseOk({ dir: "prev" })).toMatchObject({ cursor: null, dir: "next" });
  });

  it("accepts a To of tomorrow (a zone ahead of the server) and a range of exactly 366 days", () => {
    expect(parseOk({ to: "2026-04-01" })).toMatchObject({ to: "2026-04-01" });
    expect(parseOk({ from: "2024-01-01", to: "2025-01-01" })).toMatchObject({ from: "2024-01-01" });
  });
});

describe("parseActivityLogParams: bad input never throws and names the param", () => {
  it.each<[string, SearchParamsInput, string, RegExp]>([
    ["from after to", { from: "2026-03-10", to: "2026-03-09" }, "from", /"From" must be on or before "To"/],
    ["an impossible date", { from: "2026-02-30" }, "from", /not a real date: 2026-02-30/],
    ["an impossible To", { to: "2026-13-01" }, "to", /not a real date/],
    ["a date in a form that could mean two days", { from: "03/01/2026" }, "from", /must be a date such as/],
    ["an ancient date", { from: "0099-01-01", to: "0099-01-02" }, "from", /year 2000 or later/],
    ["a range over a year", { from: "2025-01-01", to: "2026-01-03" }, "from", /at most one year/],
    ["To far in the future", { to: "2026-04-02" }, "to", /later than tomorrow/],
    ["an unknown status", { status: "done" }, "status", /succeeded, failed or progress/],
    ["a malformed cursor", { cursor: "not-a-cursor" }, "cursor", /not valid/],
    ["a huge page size", { size: "1000000000" }, "size", /25, 50 or 100/],
    ["a page size not on the list", { size: "30" }, "size", /25, 50 or 100/],
    ["an unknown time zone", { tz: "Mars/Olympus_Mons" }, "tz", /IANA time zone/],
    ["an unknown direction", { dir: "sideways" }, "dir", /"next", "prev" or "oldest"/],
    ["a day to jump to after To", { from: "2026-03-01", to: "2026-03-10", at: "2026-03-11" }, "at", /a day from/],
    ["a day to jump to before From", { from: "2026-03-01", to: "2026-03-10", at: "2026-02-28" }, "at", /a day from/],
    ["a day to jump to in a form that could mean two days", { at: "03/05/2026" }, "at", /must be a date such as/],
    ["the oldest page and a day", { dir: "oldest", at: "2026-03-20" }, "at", /one position/],
    [
      "the oldest page and a cursor",
      { dir: "oldest", cursor: encodeCursor({ occurredAt: new Date(0), id: 1 }) },
      "at",
      /one position/,
    ],
    [
      "a day and a cursor",
      { at: "2026-03-20", cursor: encodeCursor({ occurredAt: new Date(0), id: 1 }) },
      "at",
      /one position/,
    ],
    // A checkbox sends its value; "on" (a checkbox without one) or "0" must not silently mean off.
    ["log access other than include", { access: "on" }, "access", /"include" or left out/],
    ["log access as 0", { access: "0" }, "access", /"include" or left out/],
    ["a repeated log access", new URLSearchParams("access=include&access=include"), "access", /more than once/],
    ["an action that is not snake_case", { action: "Create Order" }, "action", /operation type/],
    ["a customer over 200 characters", { customer: "x".repeat(201) }, "customer", /at most 200 characters/],
    ["a NUL in the customer", { customer: "a\u0000b" }, "customer", /cannot be searched/],
    ["a user over 320 characters", { user: `${"u".repeat(320)}@x` }, "user", /at most 320 characters/],
    ["a repeated page size (record)", { size: ["25", "50"] }, "size", /more than once/],
    ["one unknown status among known ones", { status: ["failed", "done"] }, "status", /one of/],
    ["an exclusion mode that is not exclude", { action: "create_order", actionMode: "only" }, "actionMode", /exclude/],
    ["too many actions", { action: Array.from({ length: 51 }, (_, i) => `a${i}`) }, "action", /at most 50/],
    [
      "a repeated from (URLSearchParams)",
      new URLSearchParams("from=2026-03-01&from=2026-03-02"),
      "from",
      /more than once/,
    ],
  ])("%s", (_label, input, param, message) => {
    const errors = errorsOf(input);
    const error = errors.find((e) => e.param === param);
    expect(error, JSON.stringify(errors)).toBeDefined();
    expect(error!.message).toMatch(message);
    // User-facing sentences, not codes.
    expect(error!.message).toMatch(/^[A-Z"].*\.$/);
  });

  it("reports every problem at once", () => {
    const errors = errorsOf(new URLSearchParams("status=x&size=7&tz=Nowhere/Land&cursor=%24"));
    expect(errors.map((e) => e.param).sort()).toEqual(["cursor", "size", "status", "tz"]);
  });

  it("does not throw on odd shapes", () => {
    expect(() => parseActivityLogParams({ from: [], to: undefined, other: "x" } as never, { now })).not.toThrow();
    expect(parseOk({ from: [] as string[], utm_source: "mail" })).toMatchObject({ from: "2026-02-28" });
  });
});

describe("parseActivityLogParams: time-zone ranges", () => {
  it("uses a half-open range in UTC", () => {
    expect(parseOk({ from: "2026-03-01", to: "2026-03-01" }).range).toEqual({
      start: new Date("2026-03-01T00:00:00Z"),
      end: new Date("2026-03-02T00:00:00Z"),
    });
  });

  it("has a 23-hour day when New York springs forward (2026-03-08)", () => {
    const { range } = parseOk({ from: "2026-03-08", to: "2026-03-08", tz: "America/New_York" });
    expect(range.start.toISOString()).toBe("2026-03-08T05:00:00.000Z"); // midnight EST, UTC-5
    expect(range.end.toISOString()).toBe("2026-03-09T04:00:00.000Z"); // midnight EDT, UTC-4
    expect(range.end.getTime() - range.start.getTime()).toBe(23 * 3_600_000);
  });

  it("has a 25-hour day when New York falls back (2026-11-01)", () => {
    const { range } = parseOk(
      { from: "2026-11-01", to: "2026-11-01", tz: "America/New_York" },
      new Date("2026-11-05T12:00:00Z"),
    );
    expect(range.start.toISOString()).toBe("2026-11-01T04:00:00.000Z");
    expect(range.end.toISOString()).toBe("2026-11-02T05:00:00.000Z");
    expect(range.end.getTime() - range.start.getTime()).toBe(25 * 3_600_000);
  });

  it("spans a DST change inside a longer range", () => {
    const { range } = parseOk({ from: "2026-03-01", to: "2026-03-31", tz: "America/New_York" });
    expect(range.start.toISOString()).toBe("2026-03-01T05:00:00.000Z");
    expect(range.end.toISOString()).toBe("2026-04-01T04:00:00.000Z");
  });

  it("puts a Seoul day (UTC+9, no DST) before the UTC day", () => {
    const { range } = parseOk({ from: "2026-03-01", to: "2026-03-31", tz: "Asia/Seoul" });
    expect(range.start.toISOString()).toBe("2026-02-28T15:00:00.000Z");
    expect(range.end.toISOString()).toBe("2026-03-31T15:00:00.000Z");
  });

  it("starts the day at the jump where midnight itself does not exist (Havana, 2026-03-08)", () => {
    const { range } = parseOk({ from: "2026-03-08", to: "2026-03-08", tz: "America/Havana" });
    expect(range.start.toISOString()).toBe("2026-03-08T05:00:00.000Z"); // 00:00 CST = 01:00 CDT
    expect(range.end.toISOString()).toBe("2026-03-09T04:00:00.000Z");
  });

  it("takes the first of two midnights (Havana falls back from 01:00 to 00:00 on 2026-11-01)", () => {
    const { range } = parseOk(
      { from: "2026-11-01", to: "2026-11-01", tz: "America/Havana" },
      new Date("2026-11-05T12:00:00Z"),
    );
    expect(range.start.toISOString()).toBe("2026-11-01T04:00:00.000Z");
    expect(range.end.toISOString()).toBe("2026-11-02T05:00:00.000Z");
  });
});

describe("toSearchParams", () => {
  const cursor = { occurredAt: new Date("2026-03-20T08:00:00.123Z"), id: 77 };

  it("leaves defaults out", () => {
    expect(toSearchParams(parseOk({}), {}, { now }).toString()).toBe("");
    expect(toSearchParams(parseOk({ to: "2026-03-15" }), {}, { now }).toString()).toBe("to=2026-03-15");
  });

  it.each<[string, SearchParamsInput]>([
    ["defaults", {}],
    [
      "everything",
      {
        from: "2026-03-02",
        to: "2026-03-30",
        tz: "America/New_York",
        customer: "50% off_\\ 한국",
        action: "create_order",
        user: "ana@contoso.example",
        status: "progress",
        access: "include",
        size: "100",
        cursor: encodeCursor(cursor),
        dir: "prev",
      },
    ],
    ["only from", { from: "2026-01-01" }],
    [
      "several statuses, users and excluded actions",
      {
        status: ["failed", "progress"],
        user: ["ana@contoso.example", "Bo@Contoso.example"],
        action: ["view_activity_log", "create_order"],
        actionMode: "exclude",
      },
    ],
    ["only log access", { access: "include" }],
    ["a cursor going forward", { cursor: encodeCursor(cursor), size: "50" }],
    ["the oldest page", { dir: "oldest", size: "50" }],
    ["a day to jump to", { at: "2026-03-15", tz: "Asia/Seoul" }],
  ])("round-trips %s", (_label, input) => {
    const params = parseOk(input);
    expect(parseOk(toSearchParams(params, {}, { now }))).toEqual(params);
  });

  it("writes each value of a filter once, an exclusion only beside actions, and one value from a row's link", () => {
    const params = parseOk({ status: ["failed", "failed", "progress"], user: ["a@x.example", "A@X.example"] });
    expect(params.status).toEqual(["failed", "progress"]);
    expect(params.user).toEqual(["a@x.example"]);
    expect(toSearchParams(params, {}, { now }).toString()).toBe("user=a%40x.example&status=failed&status=progress");
    expect(parseOk({ actionMode: "exclude" }).excludeActions).toBe(false);
    expect(toSearchParams(params, { status: "succeeded" }, { now }).getAll("status")).toEqual(["succeeded"]);
    expect(toSearchParams(params, { user: null }, { now }).has("user")).toBe(false);
    const excluded = toSearchParams(params, { action: ["create_order"], excludeActions: true }, { now });
    expect(excluded.toString()).toContain("action=create_order&actionMode=exclude");
    expect(toSearchParams(params, { excludeActions: true }, { now }).has("actionMode")).toBe(false);
  });

  it("writes log access only when it is on, and keeps it across pages and filter changes", () => {
    const off = parseOk({});
    expect(off.includeLogAccess).toBe(false);
    expect(toSearchParams(off, {}, { now }).has("access")).toBe(false);
    const on = toSearchParams(off, { includeLogAccess: true }, { now });
    expect(on.toString()).toBe("access=include");
    const params = parseOk(on);
    expect(params.includeLogAccess).toBe(true);
    expect(toSearchParams(params, { cursor: encodeCursor(cursor) }, { now }).get("access")).toBe("include");
    expect(toSearchParams(params, { status: "failed" }, { now }).get("access")).toBe("include");
    expect(toSearchParams(params, { includeLogAccess: false }, { now }).toString()).toBe("");
    // An empty value is "not set", as for every field of the form.
    expect(parseOk({ access: "" }).includeLogAccess).toBe(false);
  });

  it("moves between pages with encoded cursors", () => {
    const params = parseOk({ status: "failed" });
    const next = toSearchParams(params, { cursor: encodeCursor(cursor), dir: "next" }, { now });
    expect(next.toString()).toBe(`status=failed&cursor=${encodeCursor(cursor)}`);
    expect(parseOk(next)).toMatchObject({ status: ["failed"], cursor, dir: "next" });
    const prev = toSearchParams(params, { cursor: encodeCursor(cursor), dir: "prev" }, { now });
    expect(parseOk(prev)).toMatchObject({ cursor, dir: "prev" });
  });

  it("reads the oldest page without a cursor and writes it as dir=oldest", () => {
    const oldest = parseOk({ status: "failed", dir: "oldest" });
    expect(oldest).toMatchObject({ cursor: null, dir: "oldest" });
    expect(toSearchParams(oldest, {}, { now }).toString()).toBe("status=failed&dir=oldest");
    // Newer from the oldest page is a cursor like any other; a filter change starts at the newest.
    const newer = toSearchParams(oldest, { cursor: encodeCursor(cursor), dir: "prev" }, { now });
    expect(parseOk(newer)).toMatchObject({ cursor, dir: "prev" });
    expect(parseOk(toSearchParams(oldest, { status: null }, { now }))).toMatchObject({ cursor: null, dir: "next" });
    expect(toSearchParams(oldest, { cursor: null, dir: "next" }, { now }).toString()).toBe("status=failed");
  });

  it("turns a day to jump to into a cursor just past that day's end in the zone", () => {
    const seoul = parseOk({ from: "2026-03-01", to: "2026-03-20", tz: "Asia/Seoul", at: "2026-03-05" });
    expect(seoul).toMatchObject({ cursor: { occurredAt: new Date("2026-03-05T15:00:00Z"), id: 1 }, dir: "next" });
    // The last day of the range: the cursor is the range's end, so the page is the newest one.
    const last = parseOk({ from: "2026-03-01", to: "2026-03-20", at: "2026-03-20" });
    expect(last.cursor?.occurredAt).toEqual(last.range.end);
    // Its links carry the cursor, not the day: a position written one way.
    const link = toSearchParams(seoul, {}, { now });
    expect(link.has("at")).toBe(false);
    expect(parseOk(link)).toEqual(seoul);
  });

  it("goes back to the first page when a filter changes, and removes filters with null", () => {
    const params = parseOk({ status: "failed", customer: "Contoso", cursor: encodeCursor(cursor), dir: "prev" });
    const changed = parseOk(toSearchParams(params, { status: null, size: 50 }, { now }));
    expect(changed).toMatchObject({ status: [], customer: "Contoso", size: 50, cursor: null, dir: "next" });
  });
});

describe("a bad param keeps the valid ones", () => {
  it("gives the view with each bad param at its default and every other kept", () => {
    const result = parseActivityLogParams(
      { status: ["failed", "bogus"], customer: "Contoso", action: "create_order", size: "7", tz: "Asia/Seoul" },
      { now },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.param).sort()).toEqual(["size", "status"]);
    expect(result.partial).toMatchObject({
      customer: "Contoso",
      action: ["create_order"],
      status: [],
      size: DEFAULT_PAGE_SIZE,
      tz: "Asia/Seoul",
    });
  });

  it("drops From after To but keeps To and the filters", () => {
    const result = parseActivityLogParams({ from: "2026-03-20", to: "2026-03-10", user: "ana@x.example" }, { now });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.partial).toMatchObject({ from: "2026-02-10", to: "2026-03-10", user: ["ana@x.example"] });
  });
});

describe("a record's permalink", () => {
  it("opens the log at the record, expanded, over the month ending on its day", async () => {
    const { recordSearchParams } = await import("@/lib/activity-log-params");
    const occurredAt = new Date("2026-03-20T23:30:00.123Z");
    const link = recordSearchParams({ id: 42, occurredAt }, "Asia/Seoul", { now });
    const p = parseOk(link);
    expect(p).toMatchObject({
      record: 42,
      to: "2026-03-21",
      from: "2026-02-21",
      tz: "Asia/Seoul",
      includeLogAccess: true,
    });
    expect(p.cursor).toEqual({ occurredAt, id: 43 });
    // Another page or filter closes it.
    expect(toSearchParams(p, { status: "failed" }, { now }).has("record")).toBe(false);
    expect(toSearchParams(p, { cursor: null, dir: "next" }, { now }).has("record")).toBe(false);
    expect(errorsOf({ record: "x1" })).toEqual([expect.objectContaining({ param: "record", code: "record_format" })]);
  });
});

describe("times of day", () => {
  it("start and end the period at a time of day in the zone, the To minute included", () => {
    const p = parseOk({ from: "2026-03-10", fromTime: "09:30", to: "2026-03-11", toTime: "17:05", tz: "Asia/Seoul" });
    expect(p).toMatchObject({ fromTime: "09:30", toTime: "17:05" });
    expect(p.range.start.toISOString()).toBe("2026-03-10T00:30:00.000Z");
    expect(p.range.end.toISOString()).toBe("2026-03-11T08:06:00.000Z");
    expect(parseOk(toSearchParams(p, {}, { now }))).toEqual(p);
    // Only one end timed: the other is the whole day.
    const q = parseOk({ from: "2026-03-10", to: "2026-03-10", toTime: "00:00" });
    expect([q.range.start.toISOString(), q.range.end.toISOString()]).toEqual([
      "2026-03-10T00:00:00.000Z",
      "2026-03-10T00:01:00.000Z",
    ]);
  });

  it("refuses a time that is not HH:MM (or H:MM), and a From time after the To time on one day", () => {
    expect(parseOk({ fromTime: "9:30" }).fromTime).toBe("09:30");
    for (const bad of ["930", "24:00", "12:60", "noon", "9:5"])
      expect(errorsOf({ fromTime: bad })).toEqual([
        expect.objectContaining({ param: "fromTime", code: "time_format" }),
      ]);
    expect(errorsOf({ from: "2026-03-10", to: "2026-03-10", fromTime: "10:00", toTime: "09:59" })).toEqual([
      expect.objectContaining({ param: "from", code: "from_after_to" }),
    ]);
    expect(parseOk({ from: "2026-03-09", to: "2026-03-10", fromTime: "10:00", toTime: "09:59" }).fromTime).toBe(
      "10:00",
    );
  });

  it("gives the last 24 hours from this minute yesterday, in the zone", async () => {
    const { presetRange } = await import("@/lib/activity-log-params");
    const now = new Date("2026-03-31T20:15:42Z");
    expect(presetRange("last-24-hours", "UTC", now)).toEqual({
      from: "2026-03-30",
      to: "2026-03-31",
      fromTime: "20:15",
      toTime: null,
    });
    expect(presetRange("last-24-hours", "Asia/Seoul", now)).toMatchObject({ from: "2026-03-31", fromTime: "05:15" });
  });
});

describe("range presets", () => {
  it("end today in the zone and reach back 7 days, a month, 90 days", async () => {
    const { presetRange } = await import("@/lib/activity-log-params");
    const now = new Date("2026-03-31T20:00:00Z"); // already April 1st in Seoul
    const days = { fromTime: null, toTime: null };
    // Seven days, today included: not eight.
    expect(presetRange("last-7-days", "UTC", now)).toEqual({ from: "2026-03-25", to: "2026-03-31", ...days });
    expect(presetRange("today", "UTC", now)).toEqual({ from: "2026-03-31", to: "2026-03-31", ...days });
    expect(presetRange("last-30-days", "UTC", now)).toEqual({ from: "2026-03-02", to: "2026-03-31", ...days });
    expect(presetRange("last-90-days", "UTC", now)).toEqual({ from: "2026-01-01", to: "2026-03-31", ...days });
    expect(presetRange("last-7-days", "Asia/Seoul", now)).toEqual({ from: "2026-03-26", to: "2026-04-01", ...days });
    const day = parseOk(toSearchParams(parseOk({}), presetRange("last-7-days", "UTC", now), { now }));
    expect((day.range.end.getTime() - day.range.start.getTime()) / 86_400_000).toBe(7);
  });
});
