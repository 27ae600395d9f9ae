import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, MAX_CURSOR_LENGTH } from "@/lib/cursor";

const b64url = (text: string) => Buffer.from(text).toString("base64url");

describe("cursor", () => {
  it("round-trips a position exactly, to the millisecond", () => {
    const position = { occurredAt: new Date("2026-03-08T06:59:59.999Z"), id: 9_007_199_254_740_991 };
    const encoded = encodeCursor(position);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(encoded)).toEqual(position);
  });

  it("is stable: one position, one string", () => {
    const position = { occurredAt: new Date(1_780_000_000_123), id: 42 };
    expect(encodeCursor(position)).toBe(encodeCursor({ ...position }));
    expect(encodeCursor(position)).toBe(b64url("[1780000000123,42]"));
  });

  it("refuses to encode what it could not decode", () => {
    expect(() => encodeCursor({ occurredAt: new Date(Number.NaN), id: 1 })).toThrow(RangeError);
    expect(() => encodeCursor({ occurredAt: new Date(), id: 0 })).toThrow(RangeError);
    expect(() => encodeCursor({ occurredAt: new Date(), id: 1.5 })).toThrow(RangeError);
  });

  it.each([
    ["empty", ""],
    ["not base64url", "abc$%"],
    ["standard base64 padding", b64url("[1780000000123,42]") + "="],
    ["a lone base64 character", "a"],
    ["not JSON", b64url("hello")],
    ["an object", b64url('{"t":1780000000123,"id":42}')],
    ["three elements", b64url("[1780000000123,42,1]")],
    ["a string timestamp", b64url('["2026-01-01",42]')],
    ["a fractional id", b64url("[1780000000123,4.2]")],
    ["a zero id", b64url("[1780000000123,0]")],
    ["a negative id", b64url("[1780000000123,-1]")],
    ["an unsafe id", b64url("[1780000000123,9007199254740993]")],
    ["a timestamp beyond the Date range", b64url("[8640000000000001,42]")],
    ["an overflowing number", b64url("[1e400,42]")],
    ["null members", b64url("[null,null]")],
    ["an absurd length", "A".repeat(MAX_CURSOR_LENGTH + 1)],
  ])("decodes %s to null", (_label, value) => {
    expect(decodeCursor(value)).toBeNull();
  });

  it("accepts a cursor at the length limit only if it is well formed", () => {
    expect(decodeCursor("A".repeat(MAX_CURSOR_LENGTH))).toBeNull();
  });
});
