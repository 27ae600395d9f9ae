import { describe, expect, it } from "vitest";
import {
  classifySearch,
  correlationSearchParams,
  MAX_SEARCH_LENGTH,
  parseActivityLogParams,
  toSearchParams,
  type ActivityLogParams,
} from "@/lib/activity-log-params";
import { at } from "../support/present";

const now = new Date("2026-03-31T10:00:00Z");
const UUID = "123e4567-e89b-42d3-a456-426614174000";

function parse(input: Record<string, string | string[]>) {
  return parseActivityLogParams(input, { now });
}
function parseOk(input: Record<string, string | string[]>): ActivityLogParams {
  const result = parse(input);
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
  return result.value;
}

describe("the search param (q)", () => {
  it("is absent by default and trimmed when given", () => {
    expect(parseOk({}).q).toBeNull();
    expect(parseOk({ q: "" }).q).toBeNull();
    expect(parseOk({ q: "  Société  " }).q).toBe("Société");
  });

  it("refuses a search longer than the limit, naming the param", () => {
    const result = parse({ q: "x".repeat(500) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      expect.objectContaining({ param: "q", code: "too_long", values: { max: MAX_SEARCH_LENGTH } }),
    ]);
    expect(at(result.errors, 0, "the error for the search").message).toMatch(/"Search" can be at most 200 characters/);
    expect(parse({ q: "x".repeat(MAX_SEARCH_LENGTH) }).ok).toBe(true);
  });

  it("refuses control characters, unpaired surrogates and a repeated search", () => {
    for (const q of ["a\u0000b", "line\nbreak", "\ud800"]) {
      const result = parse({ q });
      expect(result.ok ? [] : result.errors.map((e) => [e.param, e.code])).toEqual([["q", "control_characters"]]);
    }
    const repeated = parse({ q: ["a", "b"] });
    expect(repeated.ok ? [] : repeated.errors.map((e) => [e.param, e.code])).toEqual([["q", "repeated"]]);
  });

  it("round-trips through toSearchParams, and a new search starts at the first page", () => {
    const params = parseOk({ q: "Škoda Dílny", cursor: "" });
    const link = toSearchParams(params, {}, { now });
    expect(link.get("q")).toBe("Škoda Dílny");
    expect(parseOk(Object.fromEntries(link)).q).toBe("Škoda Dílny");
    expect(toSearchParams(params, { q: null }, { now }).has("q")).toBe(false);
  });
});

describe("classifySearch", () => {
  it.each([
    [UUID, { kind: "uuid", value: UUID }],
    [UUID.toUpperCase(), { kind: "uuid", value: UUID }],
    ["contoso.com", { kind: "domain", value: "contoso.com" }],
    ["Mail.Contoso.CO.uk", { kind: "domain", value: "mail.contoso.co.uk" }],
    ["xn--bcher-kva.example", { kind: "domain", value: "xn--bcher-kva.example" }],
    ["Société Générale", { kind: "text", value: "Société Générale" }],
    ["Proseware, Inc.", { kind: "text", value: "Proseware, Inc." }],
    ["s.r.o.", { kind: "text", value: "s.r.o." }],
    ["1.5", { kind: "text", value: "1.5" }],
    ["123e4567-e89b-42d3-a456", { kind: "text", value: "123e4567-e89b-42d3-a456" }],
  ])("%s", (q, expected) => {
    expect(classifySearch(q)).toEqual(expected);
  });
});

describe("the correlation param", () => {
  it("takes a UUID, in lower case", () => {
    expect(parseOk({}).correlation).toBeNull();
    expect(parseOk({ correlation: UUID.toUpperCase() }).correlation).toBe(UUID);
  });

  it("refuses anything else, naming the param", () => {
    const result = parse({ correlation: "not-a-uuid" });
    expect(result.ok ? [] : result.errors.map((e) => [e.param, e.code])).toEqual([["correlation", "uuid_format"]]);
  });

  it("is carried by links, and removed with null", () => {
    const params = parseOk({ correlation: UUID });
    expect(toSearchParams(params, {}, { now }).get("correlation")).toBe(UUID);
    expect(toSearchParams(params, { correlation: null }, { now }).has("correlation")).toBe(false);
  });
});

describe("correlationSearchParams", () => {
  it("covers the days of the operation's records in the reader's zone, and parses", () => {
    const link = correlationSearchParams(
      UUID.toUpperCase(),
      [new Date("2026-03-01T23:30:00Z"), new Date("2026-03-03T01:00:00Z")],
      "Asia/Seoul",
      { now },
    );
    const parsed = parseOk(Object.fromEntries(link));
    expect(parsed).toMatchObject({ from: "2026-03-02", to: "2026-03-03", tz: "Asia/Seoul", correlation: UUID });
  });

  it("keeps within the longest period and no later than tomorrow", () => {
    const link = correlationSearchParams(
      UUID,
      [new Date("2020-01-01T00:00:00Z"), new Date("2030-01-01T00:00:00Z")],
      "UTC",
      {
        now,
      },
    );
    expect(parseOk(Object.fromEntries(link))).toMatchObject({ from: "2025-03-31", to: "2026-04-01" });
  });
});
