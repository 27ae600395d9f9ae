import { afterEach, describe, expect, it } from "vitest";
import { CSV_BOM, csvCell, csvRow, formatCsvTimestamp, neutraliseFormula, type CsvValue } from "@/lib/csv";
import { CsvParseError, parseCsv } from "@/tests/support/rfc4180";
import { at } from "../support/present";

const DANGEROUS_FIRST = ["=", "+", "-", "@", "\t", "\r", "\n", "\uFF1D", "\uFF0B", "\uFF0D", "\uFF20"];

// What a reader should get back for a value: the input itself, plus the documented apostrophe.
function expectedCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  return DANGEROUS_FIRST.includes(value.charAt(0)) ? "'" + value : value;
}

describe("CSV_BOM", () => {
  it("is the UTF-8 byte order mark", () => {
    expect(CSV_BOM).toBe("\uFEFF");
    expect([...Buffer.from(CSV_BOM, "utf8")]).toEqual([0xef, 0xbb, 0xbf]);
  });
});

describe("neutraliseFormula", () => {
  it.each(DANGEROUS_FIRST.map((c) => [JSON.stringify(c), c]))("prefixes a cell starting with %s", (_label, c) => {
    expect(neutraliseFormula(`${c}SUM(A1:A9)`)).toBe(`'${c}SUM(A1:A9)`);
    expect(neutraliseFormula(c)).toBe(`'${c}`);
  });

  it("covers exactly the full-width code points it claims to", () => {
    expect(DANGEROUS_FIRST.slice(7)).toEqual(["＝", "＋", "－", "＠"]);
  });

  it.each([
    "Acme Ltd",
    "주식회사 한빛소프트",
    "Sunrise 🌅",
    "7 Eleven",
    "",
    " =not first",
    "'=already escaped",
    '"=quoted',
  ])("leaves safe text %j untouched", (value) => {
    expect(neutraliseFormula(value)).toBe(value);
  });

  it.each(["a=b", "1+1", "x-y", "sales@example.com", "a\tb", "a\r\nb", "한빛＝소프트", "a＋b－c＠d"])(
    "ignores a dangerous character that is not first: %j",
    (value) => {
      expect(neutraliseFormula(value)).toBe(value);
    },
  );
});

describe("csvCell", () => {
  it("writes null and undefined as an empty cell", () => {
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell("")).toBe("");
  });

  it("leaves plain text bare", () => {
    expect(csvCell("Acme Ltd")).toBe("Acme Ltd");
    expect(csvCell("주식회사 한빛소프트")).toBe("주식회사 한빛소프트");
    expect(csvCell("Sunrise 🌅")).toBe("Sunrise 🌅");
  });

  it("quotes commas, quotes, CR, LF and CRLF, doubling embedded quotes", () => {
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('"')).toBe('""""');
    expect(csvCell("a\rb")).toBe('"a\rb"');
    expect(csvCell("a\nb")).toBe('"a\nb"');
    expect(csvCell("a\r\nb")).toBe('"a\r\nb"');
  });

  it("quotes leading and trailing spaces but not inner ones", () => {
    expect(csvCell(" a")).toBe('" a"');
    expect(csvCell("a ")).toBe('"a "');
    expect(csvCell(" ")).toBe('" "');
    expect(csvCell("a b")).toBe("a b");
  });

  it("neutralises before quoting, so the apostrophe sits inside the quotes", () => {
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvCell("\nhidden")).toBe('"\'\nhidden"');
  });

  it("can skip neutralisation for trusted text but still quotes it", () => {
    expect(csvCell("=1+1", { neutralise: false })).toBe("=1+1");
    expect(csvCell("-a,b", { neutralise: false })).toBe('"-a,b"');
    expect(csvCell("=1+1", { neutralise: true })).toBe("'=1+1");
  });

  it("writes numbers as-is: a negative number is not a formula", () => {
    expect(csvCell(-42)).toBe("-42");
    expect(csvCell(-0.5)).toBe("-0.5");
    expect(csvCell(0)).toBe("0");
    expect(csvCell(1234.5)).toBe("1234.5");
    // The same characters as text are neutralised: only the type makes them safe.
    expect(csvCell("-42")).toBe("'-42");
  });
});

describe("csvRow", () => {
  it("joins with commas and ends with CRLF", () => {
    expect(csvRow(["a", 1, null, "b,c"])).toBe('a,1,,"b,c"\r\n');
    expect(csvRow([-1, "-1"])).toBe("-1,'-1\r\n");
    expect(csvRow([])).toBe("\r\n");
  });
});

describe("strict RFC 4180 test parser", () => {
  it("parses well-formed CSV", () => {
    expect(parseCsv("")).toEqual([]);
    expect(parseCsv("a,b\r\nc,d\r\n")).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
    expect(parseCsv("a,b\r\nc,d")).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
    expect(parseCsv(',"",\r\n')).toEqual([["", "", ""]]);
    expect(parseCsv('"a,b","say ""hi""","x\r\ny","\r","\n"\r\n')).toEqual([["a,b", 'say "hi"', "x\r\ny", "\r", "\n"]]);
    expect(parseCsv('""""\r\n')).toEqual([['"']]);
    expect(parseCsv("주식회사,🌅\r\n")).toEqual([["주식회사", "🌅"]]);
  });

  it.each([
    ["a bare quote inside an unquoted field", 'ab"c,d\r\n', /Bare quote/],
    ["a quote after unquoted text", 'a,b""\r\n', /Bare quote/],
    ["text after a closing quote", '"ab"c,d\r\n', /after a closing quote/],
    ["a space after a closing quote", '"ab" ,d\r\n', /after a closing quote/],
    ["an unterminated quoted field", 'a,"bc\r\n', /Unterminated/],
    ["an unterminated field ending in an escaped quote", '"bc""', /Unterminated/],
    ["a lone opening quote", '"', /Unterminated/],
    ["a bare LF as record separator", "a,b\nc,d\r\n", /Bare LF/],
    ["a bare LF after a quoted field", '"a"\nb\r\n', /Bare LF/],
    ["a trailing bare LF", "a,b\n", /Bare LF/],
    ["a bare CR as record separator", "a\rb\r\n", /Bare CR/],
    ["a trailing bare CR", "a\r", /Bare CR/],
    ["a LFCR separator", "a\n\rb", /Bare LF/],
  ])("rejects %s", (_label, text, message) => {
    expect(() => parseCsv(text)).toThrow(CsvParseError);
    expect(() => parseCsv(text)).toThrow(message);
  });

  it("does not strip a BOM, so a quoted first field after one is malformed", () => {
    expect(() => parseCsv(`${CSV_BOM}"a"\r\n`)).toThrow(/Bare quote/);
  });
});

describe("round trip through the strict parser", () => {
  const hostile: CsvValue[] = [
    ...DANGEROUS_FIRST.map((c) => `${c}HYPERLINK("http://evil.example","Click")`),
    '=cmd|" /C calc"!A0',
    "@SUM(1,2)",
    "-2+3",
    "+82 10-1234-5678",
    'He said "hello", then left',
    '"',
    '""',
    ",",
    "a,b,c",
    "line1\r\nline2",
    "cr\ronly",
    "lf\nonly",
    "\r\n",
    "trailing\r\n",
    "주식회사 한빛소프트",
    "(주)한빛＝소프트",
    "Sunrise 🌅",
    "👨‍👩‍👧 family",
    "  padded  ",
    "'already",
    "",
    null,
    undefined,
    -42,
    3.25,
    0,
  ];

  it("returns every cell unchanged apart from the documented leading apostrophe", () => {
    const encoded = csvRow(hostile);
    const rows = parseCsv(encoded);
    expect(rows).toHaveLength(1);
    const row = at(rows, 0, "the parsed row");
    expect(row).toEqual(hostile.map(expectedCell));
    // Guard against the fixture silently losing its teeth.
    expect(row.filter((cell) => cell.startsWith("'")).length).toBeGreaterThanOrEqual(DANGEROUS_FIRST.length);
  });

  it("survives a whole file with BOM, several rows and every cell in every position", () => {
    const rows = hostile.map((_, shift) => hostile.map((_, i) => hostile[(i + shift) % hostile.length]));
    const file = CSV_BOM + rows.map(csvRow).join("");
    expect(file.startsWith(CSV_BOM)).toBe(true);
    const parsed = parseCsv(file.slice(CSV_BOM.length));
    expect(parsed).toEqual(rows.map((row) => row.map(expectedCell)));
  });

  it("leaves no text cell that a spreadsheet would read as a formula", () => {
    const text = hostile.filter((value) => typeof value === "string");
    for (const cell of at(parseCsv(csvRow(text)), 0, "the parsed row")) {
      expect(DANGEROUS_FIRST.includes(cell.charAt(0))).toBe(false);
    }
  });
});

describe("formatCsvTimestamp", () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it("formats in UTC, zero-padded, with a space instead of T/Z", () => {
    expect(formatCsvTimestamp(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)))).toBe("2024-01-02 03:04:05");
    expect(formatCsvTimestamp(new Date("2025-11-20T14:35:59Z"))).toBe("2025-11-20 14:35:59");
  });

  it("drops milliseconds without rounding into the next second, day or year", () => {
    expect(formatCsvTimestamp(new Date("2024-06-30T12:00:00.001Z"))).toBe("2024-06-30 12:00:00");
    expect(formatCsvTimestamp(new Date("1999-12-31T23:59:59.999Z"))).toBe("1999-12-31 23:59:59");
  });

  it("ignores the local time zone even when local date and year differ from UTC", () => {
    process.env.TZ = "Asia/Seoul";
    const date = new Date("2024-12-31T20:30:00Z");
    // Proves the zone change took effect, so the assertion below is not vacuous.
    expect(date.getFullYear()).toBe(2025);
    expect(date.getHours()).toBe(5);
    expect(formatCsvTimestamp(date)).toBe("2024-12-31 20:30:00");

    process.env.TZ = "America/Los_Angeles";
    const early = new Date("2024-03-01T02:00:00Z");
    expect(early.getDate()).toBe(29);
    expect(formatCsvTimestamp(early)).toBe("2024-03-01 02:00:00");
  });

  it("rejects dates it cannot write as YYYY-MM-DD HH:MM:SS", () => {
    expect(() => formatCsvTimestamp(new Date("not a date"))).toThrow(RangeError);
    expect(() => formatCsvTimestamp(new Date("+010000-01-01T00:00:00Z"))).toThrow(RangeError);
    expect(() => formatCsvTimestamp(new Date("-000001-01-01T00:00:00Z"))).toThrow(RangeError);
  });
});
