import { PgDialect } from "drizzle-orm/pg-core";
import type { SQL } from "drizzle-orm";
import fc from "fast-check";
import { NextRequest } from "next/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getCustomer, getCustomerSubscriptions } from "@/db/queries/customers";
import { withTenant } from "@/db/with-tenant";
import { LOCALES } from "@/i18n/config";
import { negotiateLocale, resolveLocale } from "@/i18n/negotiate";
import {
  canonicalTimeZone,
  MAX_CUSTOMER_LENGTH,
  MAX_RANGE_DAYS,
  MAX_USER_LENGTH,
  MIN_YEAR,
  PAGE_SIZES,
  PARAM_ERROR_CODES,
  MULTI_VALUE_PARAMS,
  PARAM_NAMES,
  parseActivityLogParams,
  type ActivityLogParams,
  type ParamError,
  type ParseResult,
  type SearchParamsInput,
  toSearchParams,
} from "@/lib/activity-log-params";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { SIGN_IN_ERRORS, signInErrorCode } from "@/lib/auth/sign-in-errors";
import { getActivityRecord } from "@/lib/handlers/activity-record";
import { exportActivityLog } from "@/lib/handlers/export-activity-log";
import { route } from "@/lib/http/route";
import { decodeCursor, encodeCursor, MAX_CURSOR_LENGTH } from "@/lib/cursor";
import { createActivityCsvStream } from "@/lib/export/activity-csv";
import { isUuid } from "@/lib/uuid";
import { OPERATION_STATUSES, type TenantContext } from "@/lib/domain";
import { SQL_FRAGMENTS, hostileText, hugeText } from "../support/arbitraries";
import { at, required } from "../support/present";

/*
 * Property-based fuzzing of everything that reads a URL: the activity-log params (page, table and
 * export), the cursor, the sign-in callbackUrl, the record route's id and `at`, the customer id of
 * the Subscriptions page, the sign-in error code and the locale negotiation. Every input must give
 * a valid, typed result (its invariants checked below) or a typed error with a sentence in it; never
 * a throw, which a page or route would turn into a 500.
 *
 * Routes run for real down to the query builder: the session and the transaction are faked, and the
 * fake transaction records the WHERE clause the query would send, so the test sees the parameters
 * PostgreSQL would be asked to read.
 */

vi.mock("@/db/with-tenant", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/db/with-tenant")>()),
  withTenant: vi.fn(),
}));
vi.mock("@/db/mutations/log-access", () => ({ recordLogAccess: vi.fn(async () => undefined) }));
vi.mock("@/lib/export/activity-csv", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/export/activity-csv")>()),
  createActivityCsvStream: vi.fn(() => new ReadableStream({ start: (controller) => controller.close() })),
}));

const CTX: TenantContext = {
  tenantId: "0a000000-0000-4000-8000-00000000000a",
  cloud: "commercial",
  userId: "0a000000-0000-4000-8000-0000000000aa",
  userPrincipalName: "admin@a.example",
  role: "global_admin",
};
// The handlers as their routes run them, signed in as CTX, with a session the export never needs to end.
const SESSION_ID = "00000000-0000-4000-8000-000000000000";
const exportRoute = route((request: NextRequest) =>
  exportActivityLog({ ctx: CTX, sessionId: SESSION_ID, request, params: {} }),
);
const recordRoute = route((request: NextRequest, params: { id: string }) =>
  getActivityRecord({ ctx: CTX, sessionId: SESSION_ID, request, params }),
);
const DAY_MS = 86_400_000;
// Property runs per test: enough to reach the corners below in every run, small enough for CI.
const RUNS = { numRuns: 300 };

/** A query builder that accepts any chain, records where() and resolves to no rows. */
function fakeTx(wheres: SQL[]): unknown {
  const chain: unknown = new Proxy(() => {}, {
    get: (_target, prop) => {
      if (prop === "then") return (resolve: (rows: unknown[]) => void) => resolve([]);
      return (...args: unknown[]) => {
        if (prop === "where") wheres.push(args[0] as SQL);
        return chain;
      };
    },
  });
  return chain;
}

let wheres: SQL[] = [];
beforeEach(() => {
  wheres = [];
  vi.mocked(withTenant)
    .mockReset()
    .mockImplementation(async (_ctx, fn) => fn(fakeTx(wheres) as never));
  vi.mocked(createActivityCsvStream).mockClear();
});

// ---------------------------------------------------------------------------------------------
// Generators.

const b64url = (text: string) => Buffer.from(text).toString("base64url");

const numberText = fc.oneof(
  fc.integer().map(String),
  fc.double().map(String),
  fc.bigInt().map(String),
  fc.constantFrom(
    "25",
    "50",
    "100",
    "025",
    "25.0",
    "2.5e1",
    "1e400",
    "-1e400",
    "-0",
    "NaN",
    "Infinity",
    "0x19",
    "０２５",
    "9".repeat(400),
    "-1",
    "1e-400",
    "9007199254740993",
  ),
);
const dayText = fc.oneof(
  fc
    .date({ min: new Date("1998-01-01T00:00:00Z"), max: new Date("2031-12-31T00:00:00Z"), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  fc
    .tuple(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: -1, max: 14 }), fc.integer({ min: -1, max: 33 }))
    .map(([y, m, d]) => `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`),
  fc.constantFrom("2026-02-29", "2028-02-29", "2026-1-1", "20260101", "2026-01-01T00:00:00Z", "２０２６-０１-０１"),
);
const ZONES = [
  "UTC",
  "Asia/Seoul",
  "asia/seoul",
  "America/New_York",
  "Pacific/Apia",
  "Pacific/Kiritimati",
  "Etc/GMT+12",
  "Etc/GMT-14",
  "America/Havana",
  "America/Santiago",
  "Australia/Lord_Howe",
  "Asia/Kathmandu",
  "Not/AZone",
  "+05:00",
  "EST5EDT",
  "GMT0",
];
const anyDate = fc.date({ noInvalidDate: true });
/** Cursor-shaped strings: base64url of JSON arrays of hostile numbers, and of raw JSON text. */
const cursorText = fc.oneof(
  fc
    .tuple(
      fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2040-01-01T00:00:00Z"), noInvalidDate: true }),
      fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    )
    .map(([occurredAt, id]) => encodeCursor({ occurredAt, id })),
  fc
    .tuple(
      fc.oneof(
        anyDate.map((d) => d.getTime()),
        fc.double(),
        fc.integer(),
        fc.constantFrom(8.64e15, -8.64e15, 253402300800000, -62135596800001),
      ),
      fc.oneof(fc.integer(), fc.double(), fc.maxSafeInteger(), fc.constant(2 ** 53)),
    )
    .map((pair) => b64url(JSON.stringify(pair))),
  fc.constantFrom("[1e400,1]", "[1,1,1]", '{"t":1}', "[null,1]", '[1,"1"]', "[-0,1]").map(b64url),
  fc.string({ unit: fc.constantFrom(..."ABCabc019-_=+/".split("")), maxLength: 40 }),
);

const PLAUSIBLE: Record<string, fc.Arbitrary<string>> = {
  from: dayText,
  to: dayText,
  tz: fc.constantFrom(...ZONES),
  customer: fc.constantFrom("Contoso", "한국전자", "50% Off", "Northwind_Traders", " padded "),
  action: fc.constantFrom("create_order", "Create_Order", "a".repeat(64), "a".repeat(65), "1abc"),
  user: fc.constantFrom("ana@a.example", "ANA@A.EXAMPLE"),
  status: fc.constantFrom(...OPERATION_STATUSES, "SUCCEEDED", "toString", "__proto__"),
  size: fc.constantFrom("25", "50", "100", "10", "1000"),
  cursor: cursorText,
  dir: fc.constantFrom("next", "prev", "oldest", "OLDEST", "PREV", "back"),
  at: dayText,
  access: fc.constantFrom("include", "INCLUDE", "on", "1", "true", "0", " include "),
};
const NAMES = [...PARAM_NAMES, "page", "__proto__", "constructor", "hasOwnProperty", "FROM", "from "];
const valueFor = (name: string): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: Object.hasOwn(PLAUSIBLE, name) ? required(PLAUSIBLE[name], `a value for ${name}`) : hostileText,
    },
    { weight: 3, arbitrary: hostileText },
    { weight: 2, arbitrary: numberText },
    { weight: 1, arbitrary: hugeText },
  );
/** Key/value pairs as a query string holds them: a key may come twice (then Next gives an array). */
const entries = fc.array(
  fc.constantFrom(...NAMES).chain((name) => fc.tuple(fc.constant(name), valueFor(name))),
  { maxLength: 12 },
);
/** Raw query strings, with broken percent-encoding and encoded bytes that are not UTF-8. */
const rawQuery = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        "&",
        "=",
        "%",
        "%zz",
        "%2",
        "%ED%A0%80",
        "%C3%28",
        "%FF%FE",
        "%00",
        "%E2%80%AE",
        "+",
        "%2B",
        "%25",
        ";",
        "from",
        "to",
        "tz",
        "size",
        "cursor",
        "customer",
        "user",
        "status",
        "action",
        "dir",
        "access",
        "at",
        "oldest",
      ),
      hostileText,
      dayText,
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(""));
const nowArb = fc.date({
  min: new Date("2001-01-01T00:00:00Z"),
  max: new Date("2099-12-31T00:00:00Z"),
  noInvalidDate: true,
});

/** The object Next hands a page: one string per key, an array when the key came more than once. */
function nextSearchParams(params: URLSearchParams): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = {};
  for (const [key, value] of params) {
    const seen = Object.prototype.hasOwnProperty.call(out, key) ? out[key] : undefined;
    out[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return out;
}

function recordOf(pairs: Array<[string, string]>): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = {};
  for (const [key, value] of pairs) {
    const seen = Object.prototype.hasOwnProperty.call(out, key) ? out[key] : undefined;
    // defineProperty, so "__proto__" is a key like any other (as in Next's object).
    Object.defineProperty(out, key, {
      value: seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Oracles.

/** ISO instants PostgreSQL reads back: a four-digit year from 0001 (checked against PostgreSQL 18). */
function postgresReads(iso: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(iso) && !iso.startsWith("0000");
}

function expectSentence(message: unknown): void {
  expect(typeof message).toBe("string");
  const text = message as string;
  expect(text.trim().length).toBeGreaterThan(0);
  expect(text.isWellFormed()).toBe(true);
  // A message names the problem; it never echoes a 100 KB parameter back.
  expect(text.length).toBeLessThan(400);
}

function expectParamErrors(errors: ParamError[]): void {
  expect(errors.length).toBeGreaterThan(0);
  for (const error of errors) {
    expect(PARAM_NAMES).toContain(error.param);
    expect(PARAM_ERROR_CODES).toContain(error.code);
    expectSentence(error.message);
    for (const value of Object.values(error.values ?? {})) expect(["string", "number"]).toContain(typeof value);
  }
}

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;

function expectSearchableText(value: string | null, max: number): void {
  if (value === null) return;
  expect(value.length).toBeGreaterThan(0);
  expect(value.length).toBeLessThanOrEqual(max);
  expect(value).toBe(value.trim());
  expect(value.isWellFormed()).toBe(true);
  expect(value).not.toMatch(/[\u0000-\u001f\u007f]/);
}

function expectValidParams(value: ActivityLogParams, now: Date): void {
  expect(value.from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(value.to).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(Number(value.from.slice(0, 4))).toBeGreaterThanOrEqual(MIN_YEAR);
  const [from, to] = [dayNumber(value.from), dayNumber(value.to)];
  expect(from).toBeLessThanOrEqual(to);
  expect(to - from).toBeLessThanOrEqual(MAX_RANGE_DAYS);
  expect(canonicalTimeZone(value.tz)).toBe(value.tz);
  const { start, end } = value.range;
  expect(postgresReads(start.toISOString())).toBe(true);
  expect(postgresReads(end.toISOString())).toBe(true);
  expect(start.getTime()).toBeLessThan(end.getTime());
  // Whole days in one zone: at most the days chosen plus a day of offset changes (Samoa, 2011).
  expect(end.getTime() - start.getTime()).toBeLessThanOrEqual((to - from + 2) * DAY_MS);
  // "To" is at most tomorrow in the zone, so the range starts before the day after that.
  expect(start.getTime()).toBeLessThan(now.getTime() + 2 * DAY_MS);
  expect(PAGE_SIZES).toContain(value.size);
  for (const status of value.status) expect(OPERATION_STATUSES).toContain(status);
  for (const action of value.action) expect(action).toMatch(/^[a-z][a-z0-9_]{0,63}$/);
  expectSearchableText(value.customer, MAX_CUSTOMER_LENGTH);
  for (const user of value.user) expectSearchableText(user, MAX_USER_LENGTH);
  if (value.excludeActions) expect(value.action.length).toBeGreaterThan(0);
  if (value.cursor !== null) {
    expect(Number.isSafeInteger(value.cursor.id) && value.cursor.id > 0).toBe(true);
    expect(postgresReads(value.cursor.occurredAt.toISOString())).toBe(true);
  }
  expect(["next", "prev", "oldest"]).toContain(value.dir);
  if (value.cursor === null) expect(["next", "oldest"]).toContain(value.dir);
  else expect(value.dir).not.toBe("oldest");
  expect(typeof value.includeLogAccess).toBe("boolean");
}

function expectTyped(result: ParseResult, now: Date): void {
  if (result.ok) expectValidParams(result.value, now);
  else expectParamErrors(result.errors);
}

// ---------------------------------------------------------------------------------------------

describe("fuzz: parseActivityLogParams", () => {
  it("answers any key/value pairs, as URLSearchParams or as Next's object, with valid params or typed errors", () => {
    fc.assert(
      fc.property(entries, nowArb, (pairs, now) => {
        const fromUrl = parseActivityLogParams(new URLSearchParams(pairs), { now });
        expectTyped(fromUrl, now);
        // Next's object keeps lone surrogates that URLSearchParams would have replaced.
        expectTyped(parseActivityLogParams(recordOf(pairs), { now }), now);
      }),
      RUNS,
    );
  });

  it("reads a raw query string the same way as the export route (URLSearchParams) and as the page (Next's object)", () => {
    fc.assert(
      fc.property(rawQuery, nowArb, (query, now) => {
        const params = new URL(`http://localhost/account/activity-log?${query}`).searchParams;
        const asRoute = parseActivityLogParams(params, { now });
        expectTyped(asRoute, now);
        expect(parseActivityLogParams(nextSearchParams(params), { now })).toEqual(asRoute);
      }),
      RUNS,
    );
  });

  it("writes any params it accepted as a link that reads back as the same params", () => {
    fc.assert(
      fc.property(entries, nowArb, (pairs, now) => {
        const parsed = parseActivityLogParams(new URLSearchParams(pairs), { now });
        if (!parsed.ok) return;
        const link = toSearchParams(parsed.value, {}, { now });
        expect(parseActivityLogParams(link, { now })).toEqual(parsed);
        // The switch travels only when it is on, as the one value the parser accepts.
        expect(link.getAll("access")).toEqual(parsed.value.includeLogAccess ? ["include"] : []);
      }),
      RUNS,
    );
  });

  it("never picks one value of a repeated param, whichever form the repetition takes", () => {
    fc.assert(
      fc.property(
        // The filters that take several values (any of them matches) are tested apart.
        fc.constantFrom(...PARAM_NAMES.filter((n) => !(MULTI_VALUE_PARAMS as readonly string[]).includes(n))),
        fc.array(fc.string(), { minLength: 2, maxLength: 4 }),
        (name, values) => {
          const viaUrl = new URLSearchParams(values.map((v) => [name, v]));
          const viaNext: SearchParamsInput = { [name]: values };
          for (const input of [viaUrl, viaNext]) {
            const result = parseActivityLogParams(input);
            expect(result.ok).toBe(false);
            if (!result.ok)
              expect(result.errors).toContainEqual(expect.objectContaining({ param: name, code: "repeated" }));
          }
        },
      ),
      RUNS,
    );
  });

  it("reads a repeated status, action or user as a list, each value once, in either input form", () => {
    const statuses = fc.array(fc.constantFrom(...OPERATION_STATUSES, " failed ", ""), { minLength: 0, maxLength: 6 });
    fc.assert(
      fc.property(statuses, (values) => {
        const expected = [...new Set(values.map((v) => v.trim()).filter((v) => v !== ""))];
        for (const input of [new URLSearchParams(values.map((v) => ["status", v])), { status: values }]) {
          const result = parseActivityLogParams(input);
          expect(result.ok).toBe(true);
          if (result.ok) expect(result.value.status).toEqual(expected);
        }
      }),
      RUNS,
    );
  });

  it("keeps SQL metacharacters in the text filters as plain data", () => {
    const sqlText = fc
      .string({
        unit: fc.constantFrom(...SQL_FRAGMENTS.filter((f) => !/[\u0000-\u001f]/.test(f)), "a", " ", "한"),
        minLength: 1,
        maxLength: 12,
      })
      .filter((s) => s.trim() !== "" && s.length <= MAX_CUSTOMER_LENGTH);
    fc.assert(
      fc.property(sqlText, sqlText, (customer, user) => {
        const result = parseActivityLogParams({ customer, user });
        expect(result.ok).toBe(true);
        if (result.ok) expect([result.value.customer, result.value.user]).toEqual([customer.trim(), [user.trim()]]);
      }),
      RUNS,
    );
  });

  it("refuses every page size but 25, 50 and 100, however the number is spelled", () => {
    fc.assert(
      fc.property(fc.oneof(numberText, hugeText), (size) => {
        const result = parseActivityLogParams({ size });
        // Blank is "not set" (a submitted form), so the default size.
        if (["25", "50", "100", ""].includes(size.trim())) expect(result.ok).toBe(true);
        else
          expect(result.ok ? [] : result.errors.map((e) => [e.param, e.code])).toEqual([["size", "unknown_page_size"]]);
      }),
      RUNS,
    );
  });

  it("pins the problems fuzzing found", () => {
    // A lone surrogate would reach PostgreSQL as U+FFFD and silently search for that.
    for (const customer of ["\ud800", "Contoso \udc00", "\udfff\ud800"]) {
      const result = parseActivityLogParams({ customer });
      expect(result.ok ? [] : result.errors.map((e) => e.code)).toEqual(["control_characters"]);
    }
    expect(parseActivityLogParams({ user: "ana\ud83d@a.example" }).ok).toBe(false);
    // A well-formed pair is just a character.
    expect(parseActivityLogParams({ customer: "Contoso 😀" })).toMatchObject({
      ok: true,
      value: { customer: "Contoso 😀" },
    });
  });

  it("answers hostile pinned examples with typed errors", () => {
    const now = new Date("2026-03-31T10:00:00Z");
    const cases: Array<[SearchParamsInput, string[]]> = [
      [{ size: "1e400" }, ["unknown_page_size"]],
      [{ size: ["25", "50"] }, ["repeated"]],
      [new URLSearchParams("from=2026-01-01&from=2026-02-01"), ["repeated"]],
      [{ from: "2026-02-30" }, ["date_not_real"]],
      [{ from: "99999-01-01" }, ["date_format"]],
      [{ to: "9999-12-31" }, ["to_after_tomorrow"]],
      [{ tz: "x".repeat(100_000) }, ["unknown_time_zone"]],
      [{ customer: "'".repeat(100_000) }, ["too_long"]],
      [{ action: "a".repeat(100_000) + "!" }, ["action_format"]],
      [{ action: "create_order'; --" }, ["action_format"]],
      [{ status: "constructor" }, ["unknown_status"]],
      [{ cursor: b64url("[8640000000000000,1]") }, ["cursor_invalid"]],
      [{ customer: "a\u0000b" }, ["control_characters"]],
    ];
    for (const [input, codes] of cases) {
      const result = parseActivityLogParams(input, { now });
      expect(result.ok ? [] : result.errors.map((e) => e.code)).toEqual(codes);
      if (!result.ok) expectParamErrors(result.errors);
    }
  });
});

describe("fuzz: cursor", () => {
  it("decodes any string to null or to a position PostgreSQL can read, spelled canonically", () => {
    fc.assert(
      fc.property(fc.oneof(cursorText, hostileText, hugeText), (value) => {
        const cursor = decodeCursor(value);
        if (cursor === null) return;
        expect(value.length).toBeLessThanOrEqual(MAX_CURSOR_LENGTH);
        expect(Number.isSafeInteger(cursor.id) && cursor.id > 0).toBe(true);
        expect(postgresReads(cursor.occurredAt.toISOString())).toBe(true);
        expect(encodeCursor(cursor)).toBe(value);
      }),
      RUNS,
    );
  });

  it("round-trips every position a row can have", () => {
    const position = fc.record({
      occurredAt: fc.date({
        min: new Date("0001-01-01T00:00:00Z"),
        max: new Date("9999-12-31T23:59:59.999Z"),
        noInvalidDate: true,
      }),
      id: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    });
    fc.assert(
      fc.property(position, (p) => {
        expect(decodeCursor(encodeCursor(p))).toEqual(p);
      }),
      RUNS,
    );
  });

  it("pins the problem fuzzing found: positions PostgreSQL cannot read are not cursors", () => {
    // Each of these decoded before, and the page query failed with "time zone displacement out of range".
    for (const ms of [8.64e15, -8.64e15, Date.parse("+010000-01-01T00:00:00Z"), Date.parse("0000-06-01T00:00:00Z")]) {
      expect(decodeCursor(b64url(JSON.stringify([ms, 42])))).toBeNull();
    }
    expect(decodeCursor(b64url(`[${Date.parse("9999-12-31T23:59:59.999Z")},42]`))).not.toBeNull();
  });

  it("pins the problem fuzzing found: one position, one cursor, down to the JSON", () => {
    // These decoded to the positions of "[0,42]" and "[1000,42]": two links for one page.
    for (const text of ["[-0,42]", "[1e3,42]", "[1000, 42]", "[1000.0,42]", "[1000,4.2e1]"])
      expect(decodeCursor(b64url(text))).toBeNull();
    expect(decodeCursor(b64url("[1000,42]"))).toEqual({ occurredAt: new Date(1000), id: 42 });
  });
});

describe("fuzz: safeCallbackUrl", () => {
  const BASE = "https://portal.example";
  const pathPiece = fc.oneof(
    fc.constantFrom(
      "/",
      "//",
      "\\",
      "\t",
      "\n",
      "\r",
      " ",
      "\u3000",
      "\uff0f",
      "@",
      ":",
      "?",
      "#",
      "%2F",
      "%5C",
      "%09",
      "evil.example",
      "signin",
      "api/auth",
      "..",
      "javascript:",
      "http:",
    ),
    hostileText,
  );
  const candidate = fc.oneof(
    fc.array(pathPiece, { maxLength: 8 }).map((pieces) => "/" + pieces.join("")),
    hostileText,
    hugeText.map((s) => "/" + s),
  );

  it("returns a path on this site, or the home page, for any value", () => {
    fc.assert(
      fc.property(
        fc.oneof(candidate, fc.array(candidate, { maxLength: 3 }), fc.constantFrom(undefined, null, 42, {})),
        (value) => {
          const result = safeCallbackUrl(value);
          expect(result === "/" || result === value).toBe(true);
          expect(result.startsWith("/")).toBe(true);
          expect(result.length).toBeLessThanOrEqual(2000);
          expect(result.isWellFormed()).toBe(true);
          expect(new URL(result, BASE).origin).toBe(BASE);
          expect(result.startsWith("/signin") || result.startsWith("/api/auth")).toBe(false);
        },
      ),
      RUNS,
    );
  });

  it("pins the problems fuzzing found", () => {
    // URL parsers drop tabs and newlines: these were "//evil.example", another site.
    expect(safeCallbackUrl("/\t/evil.example")).toBe("/");
    expect(safeCallbackUrl("/\n/evil.example/x")).toBe("/");
    expect(safeCallbackUrl("/\r\n/evil.example")).toBe("/");
    // Cutting at 2,000 code units split the last emoji into a lone surrogate.
    expect(safeCallbackUrl("/" + "😀".repeat(1000))).toBe("/");
    expect(safeCallbackUrl("/account/activity-log?from=2026-01-01&customer=%27")).toBe(
      "/account/activity-log?from=2026-01-01&customer=%27",
    );
  });
});

describe("fuzz: GET /api/activity-log/records/[id]", () => {
  const dialect = new PgDialect();
  const idText = fc.oneof(
    fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }).map(String),
    numberText,
    hostileText,
    hugeText,
    fc.constantFrom("1", " 1", "1 ", "01", "1.0", "+1", "1e3", "0x10", "9007199254740993", "١٢٣"),
  );
  const isoVariants = anyDate.chain((d) =>
    fc.constantFrom(
      d.toISOString(),
      d.toISOString().replace("Z", "+09:00"),
      d.toISOString().slice(0, 19) + "Z",
      String(d.getTime()),
      d.toUTCString(),
    ),
  );
  const atText = fc.oneof(
    isoVariants,
    dayText,
    numberText,
    hostileText,
    hugeText,
    fc.constantFrom(
      "1",
      "2026",
      "+275760-09-13T00:00:00.000Z",
      "-271821-04-20T00:00:00.000Z",
      "0000-06-01T00:00:00.000Z",
    ),
  );

  async function get(id: string, at: string | undefined) {
    const query = at === undefined ? "" : `?${new URLSearchParams({ at })}`;
    const response = await recordRoute(new NextRequest(`http://localhost/api/activity-log/records/x${query}`), {
      params: Promise.resolve({ id }),
    });
    const body = (await response.json()) as { error?: { code: string; message: string } };
    return { status: response.status, body };
  }

  /** The parameters the lookup would send PostgreSQL: tenant, cloud, id and (maybe) the time. */
  const sentParams = () => {
    const [where] = wheres;
    return where === undefined ? null : dialect.sqlToQuery(where).params;
  };

  it("answers 400 or (no such row) 404 with a message, and asks PostgreSQL only what it can read", async () => {
    await fc.assert(
      fc.asyncProperty(idText, fc.option(atText, { nil: undefined }), async (id, at) => {
        wheres = [];
        const { status, body } = await get(id, at);
        expect([400, 404]).toContain(status);
        expectSentence(body.error?.message);
        const params = sentParams();
        if (status === 400) {
          expect(params).toBeNull();
          return;
        }
        expect(id).toMatch(/^[1-9][0-9]*$/);
        expect(params?.slice(0, 3)).toEqual([CTX.tenantId, CTX.cloud, Number(id)]);
        expect(Number.isSafeInteger(params?.[2])).toBe(true);
        if (at === undefined) expect(params).toHaveLength(3);
        else expect(postgresReads(String(params?.[3]))).toBe(true);
      }),
      {
        ...RUNS,
        examples: [
          ["1", "+275760-09-13T00:00:00.000Z"],
          ["1", "0000-06-01T00:00:00.000Z"],
          ["1", "1"],
        ],
      },
    );
  });

  it("pins the problem fuzzing found: `at` is an ISO 8601 date-time PostgreSQL can read", async () => {
    // `new Date(at)` took these, and PostgreSQL then failed the lookup: a 500.
    for (const at of [
      "+275760-09-13T00:00:00.000Z",
      "-271821-04-20T00:00:00.000Z",
      "+010000-01-01T00:00:00.000Z",
      "0000-06-01T00:00:00.000Z",
    ]) {
      expect(await get("1", at)).toEqual({
        status: 400,
        body: { error: { code: "bad_request", message: '"at" must be an ISO 8601 date-time.' } },
      });
    }
    // ...and these, as some instant the row never had.
    for (const at of ["1", "2026", "Tue, 01 Sep 2026 10:00:00 GMT"]) expect((await get("1", at)).status).toBe(400);
    // What the table sends still works.
    wheres = [];
    expect((await get("42", "2026-05-01T12:30:00.123Z")).status).toBe(404);
    expect(sentParams()).toEqual([CTX.tenantId, CTX.cloud, 42, "2026-05-01T12:30:00.123Z"]);
  });
});

describe("fuzz: GET /api/activity-log/export", () => {
  it("answers any query with a CSV of valid params or a 400 naming each bad param", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          rawQuery,
          entries.map((pairs) => new URLSearchParams(pairs).toString()),
        ),
        async (query) => {
          vi.mocked(createActivityCsvStream).mockClear();
          const response = await exportRoute(new NextRequest(`http://localhost/api/activity-log/export?${query}`));
          if (response.status === 200) {
            expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
            expect(response.headers.get("content-disposition")).toMatch(
              /^attachment; filename="activity-log_commercial_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}(_[^"]*_[0-9a-f]{6})?\.csv"/,
            );
            expect(vi.mocked(createActivityCsvStream)).toHaveBeenCalledTimes(1);
            // The stream's type asks only for the filters; the route hands it all the parsed params.
            expectValidParams(
              at(vi.mocked(createActivityCsvStream).mock.calls, 0, "the stream's call")[0].params as ActivityLogParams,
              new Date(),
            );
            await response.body?.cancel();
            return;
          }
          expect(response.status).toBe(400);
          expect(vi.mocked(createActivityCsvStream)).not.toHaveBeenCalled();
          const body = (await response.json()) as { error: { code: string; message: string; details: ParamError[] } };
          expect(body.error.code).toBe("bad_request");
          expectParamErrors(body.error.details);
          // The English sentences of the errors, one after another.
          expect(body.error.message).toBe(body.error.details.map((e) => e.message).join(" "));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("fuzz: customerId of /customers/[customerId]/subscriptions", () => {
  const uuidLike = fc.oneof(
    fc.uuid().map((u) => u.toUpperCase()),
    fc.uuid().map((u) => `{${u}}`),
    fc.uuid().map((u) => u.replace(/-/g, "")),
    fc.uuid().map((u) => `${u}' OR '1'='1`),
  );
  it("looks up only UUIDs; anything else is 'no such customer' without a query", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uuid(), uuidLike, hostileText, hugeText, numberText), async (customerId) => {
        vi.mocked(withTenant).mockClear();
        expect(await getCustomer({ ctx: CTX, customerId })).toBeNull();
        expect(await getCustomerSubscriptions({ ctx: CTX, customerId })).toEqual([]);
        expect(vi.mocked(withTenant)).toHaveBeenCalledTimes(isUuid(customerId) ? 2 : 0);
        if (isUuid(customerId)) expect(customerId).toMatch(/^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i);
      }),
      { numRuns: 150 },
    );
  });
});

describe("fuzz: sign-in error code and locale", () => {
  it("maps any ?error= to a known code, or to none when it is empty", () => {
    fc.assert(
      fc.property(
        fc.option(fc.oneof(hostileText, hugeText, fc.constantFrom(...SIGN_IN_ERRORS, "toString", "__proto__")), {
          nil: undefined,
        }),
        (code) => {
          const result = signInErrorCode(code);
          if (!code) expect(result).toBeUndefined();
          else expect(SIGN_IN_ERRORS).toContain(result);
        },
      ),
      RUNS,
    );
  });

  const tag = fc.oneof(
    fc.constantFrom("ko", "ko-KR", "KO", "en", "en-US", "fr", "*", "x-klingon", "zh-Hant-TW"),
    hostileText,
  );
  const acceptLanguage = fc.oneof(
    fc
      .array(
        fc.tuple(
          tag,
          fc.option(
            fc.oneof(fc.double().map(String), fc.constantFrom("0", "1", "0.5", "1.000", "1.0001", "-1", "1e400")),
            { nil: undefined },
          ),
        ),
        { maxLength: 8 },
      )
      .map((ranges) => ranges.map(([t, q]) => (q === undefined ? t : `${t};q=${q}`)).join(",")),
    hostileText,
    hugeText,
    fc.constant("-a".repeat(50_000)),
  );

  it("negotiates a supported locale from any cookie and Accept-Language", () => {
    fc.assert(
      fc.property(
        fc.option(fc.oneof(hostileText, fc.constantFrom(...LOCALES, "KO", "ko-KR")), { nil: undefined }),
        fc.option(acceptLanguage, { nil: null }),
        (cookie, header) => {
          const locale = resolveLocale({ cookie, acceptLanguage: header });
          expect(LOCALES).toContain(locale);
          if ((LOCALES as readonly unknown[]).includes(cookie)) expect(locale).toBe(cookie);
          expect(LOCALES).toContain(negotiateLocale(header));
        },
      ),
      RUNS,
    );
  });
});
