import fc from "fast-check";

/*
 * The fuzz tests' shared generators of hostile input: any code point, Latin-1 controls, lone
 * surrogates and SQL syntax, as one unit of text or as text up to the sizes the routes refuse.
 */

export const LONE_SURROGATE = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

export const SQL_FRAGMENTS = [
  "'",
  '"',
  ";",
  "--",
  "\\",
  "%",
  "_",
  "%_%",
  "/*",
  "*/",
  "' OR '1'='1",
  "'); DROP TABLE activity_records; --",
  "$1",
  "::text",
  "::jsonb",
  "E'\\\\'",
  "E'\\\\x00'",
  "\\x00",
];

/** One unit of hostile text: any code point, any Latin-1 control, a lone surrogate or SQL syntax. */
export const hostileUnit = fc.oneof(
  { weight: 5, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: LONE_SURROGATE },
  { weight: 2, arbitrary: fc.constantFrom(...SQL_FRAGMENTS) },
);

export const hostileText = fc.string({ unit: hostileUnit, maxLength: 30 });

/** About 100,000 characters of hostile text: past every length limit. */
export const hugeText = fc
  .string({ unit: hostileUnit, minLength: 1, maxLength: 4 })
  .map((s) => s.repeat(Math.ceil(100_000 / s.length)));
