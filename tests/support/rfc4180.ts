/*
 * A deliberately strict RFC 4180 parser, for tests only. Lenient parsers (and Excel) quietly accept
 * stray quotes and bare LFs, which would let an encoder bug round-trip "successfully"; this one
 * throws instead, so a passing round-trip means the encoder's output really is well-formed.
 *
 * Deviations from the RFC's ABNF, both on purpose: unquoted fields may hold any non-ASCII text
 * (Korean names, emoji), as RFC 7111 and every real consumer allow; and a BOM is not stripped,
 * so callers must remove CSV_BOM themselves and a misplaced BOM shows up as data or an error.
 */

export class CsvParseError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at offset ${offset}`);
    this.name = "CsvParseError";
  }
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

/**
 * Every CRLF ends a record, so a trailing CRLF does not create an empty last record and "" parses
 * to no records at all. Rows may differ in length: the RFC only says they "should" match.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  const n = text.length;
  if (n === 0) return rows;

  let row: string[] = [];
  let i = 0;
  for (;;) {
    // Start of a field.
    if (i < n && text.charCodeAt(i) === QUOTE) {
      const open = i;
      i++;
      let value = "";
      let chunk = i;
      for (;;) {
        if (i >= n) throw new CsvParseError("Unterminated quoted field", open);
        if (text.charCodeAt(i) === QUOTE) {
          if (i + 1 < n && text.charCodeAt(i + 1) === QUOTE) {
            value += text.slice(chunk, i + 1);
            i += 2;
            chunk = i;
            continue;
          }
          value += text.slice(chunk, i);
          i++;
          break;
        }
        i++;
      }
      row.push(value);
    } else {
      const start = i;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === COMMA || c === CR) break;
        if (c === QUOTE) throw new CsvParseError("Bare quote inside an unquoted field", i);
        if (c === LF) throw new CsvParseError("Bare LF outside quotes (records must end with CRLF)", i);
        i++;
      }
      row.push(text.slice(start, i));
    }

    // End of a field: only end of input, a comma or CRLF may follow.
    if (i >= n) {
      rows.push(row);
      return rows;
    }
    const c = text.charCodeAt(i);
    if (c === COMMA) {
      i++;
      continue;
    }
    if (c === CR) {
      if (i + 1 >= n || text.charCodeAt(i + 1) !== LF) {
        throw new CsvParseError("Bare CR outside quotes (records must end with CRLF)", i);
      }
      i += 2;
      rows.push(row);
      row = [];
      if (i >= n) return rows;
      continue;
    }
    if (c === LF) throw new CsvParseError("Bare LF outside quotes (records must end with CRLF)", i);
    // Only reachable after a closing quote: the unquoted loop stops solely at comma, CR or end.
    throw new CsvParseError("Text after a closing quote", i);
  }
}
