/*
 * CSV encoding for files that people open in Excel. Three things matter more than RFC 4180 alone:
 * Excel guesses the encoding (hence the BOM), it evaluates cells that look like formulas (hence
 * neutraliseFormula), and it does not parse ISO 8601 timestamps (hence formatCsvTimestamp).
 *
 * This runs once per cell of streamed exports with millions of rows, so it avoids per-cell closures,
 * only allocates a new string when the cell actually changes, and uses a single-character-class regex
 * that cannot backtrack.
 */

/** Without it, Excel on Windows decodes the file in the ANSI code page and Korean text turns to mojibake. */
export const CSV_BOM = "\uFEFF";

export type CsvValue = string | number | null | undefined;

export interface CsvCellOptions {
  /** Off only for text the application itself wrote and knows to be safe; on for anything user-supplied. */
  neutralise?: boolean;
}

/*
 * OWASP CSV injection: spreadsheet apps treat these leading characters as the start of a formula
 * (or, for tab/CR/LF, strip them and then look at what follows). Excel also folds the full-width
 * forms to ASCII when it decides whether a cell is a formula, so they are just as dangerous.
 */
function startsDangerously(value: string): boolean {
  switch (value.charCodeAt(0)) {
    case 0x3d: // =
    case 0x2b: // +
    case 0x2d: // -
    case 0x40: // @
    case 0x09: // tab
    case 0x0d: // CR
    case 0x0a: // LF
    case 0xff1d: // ＝
    case 0xff0b: // ＋
    case 0xff0d: // －
    case 0xff20: // ＠
      return true;
    default:
      return false;
  }
}

/**
 * The leading apostrophe makes Excel show the cell as text; it is the OWASP-recommended escape and,
 * unlike stripping characters, loses nothing a reader might need.
 */
export function neutraliseFormula(value: string): string {
  return startsDangerously(value) ? "'" + value : value;
}

// One character class, no quantifiers: linear, no backtracking whatever the input.
const NEEDS_QUOTES = /[",\r\n]/;
const SPACE = 0x20;

export function csvCell(value: CsvValue, options?: CsvCellOptions): string {
  if (value === null || value === undefined) return "";
  // A number cannot carry a formula, and a negative amount must stay a number Excel can sum.
  if (typeof value === "number") return String(value);

  const text = options?.neutralise === false ? value : neutraliseFormula(value);
  if (text.length === 0) return text;

  // Excel and many parsers trim unquoted edge spaces; quoting keeps them at no cost.
  const quote = NEEDS_QUOTES.test(text) || text.charCodeAt(0) === SPACE || text.charCodeAt(text.length - 1) === SPACE;
  if (!quote) return text;
  return '"' + (text.includes('"') ? text.replaceAll('"', '""') : text) + '"';
}

/** CRLF because RFC 4180 requires it and Excel is happiest with it; a quoted CR/LF inside a cell is data. */
export function csvRow(cells: readonly CsvValue[]): string {
  // A plain loop rather than map/join: no intermediate array per row, and csvCell never sees map's index.
  let line = "";
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += ",";
    line += csvCell(cells[i]);
  }
  return line + "\r\n";
}

function pad2(n: number): string {
  return n < 10 ? "0" + n : String(n);
}

/**
 * Excel recognises "YYYY-MM-DD HH:MM:SS" as a date-time but leaves ISO 8601 with T/Z as text.
 * UTC so the file means the same thing whoever exports it; milliseconds are dropped (not rounded)
 * because Excel's default formats cannot show them and rounding could move a value into the next day.
 */
export function formatCsvTimestamp(date: Date): string {
  const year = date.getUTCFullYear();
  // Fail loudly rather than write "NaN-NaN-NaN" or a five-digit year that no reader will parse.
  if (Number.isNaN(year)) throw new RangeError("formatCsvTimestamp: invalid Date");
  if (year < 0 || year > 9999) throw new RangeError(`formatCsvTimestamp: year ${year} does not fit YYYY`);
  return (
    String(year).padStart(4, "0") +
    "-" +
    pad2(date.getUTCMonth() + 1) +
    "-" +
    pad2(date.getUTCDate()) +
    " " +
    pad2(date.getUTCHours()) +
    ":" +
    pad2(date.getUTCMinutes()) +
    ":" +
    pad2(date.getUTCSeconds())
  );
}
