/*
 * Keyset cursor for the activity log: the position `(occurred_at, id)` of the last (or first) row a
 * page showed, newest first. It is opaque to users but not secret: it carries no tenant, because
 * tenant scoping comes from the request's context, so a cursor copied from another tenant only
 * positions a query within the caller's own rows.
 *
 * Milliseconds are enough: `occurred_at` is stored at millisecond precision (the seed truncates,
 * and ingestion must too), and a JS Date holds exactly that, so a cursor round-trips exactly. A
 * microsecond timestamp would be truncated here and rows between the two instants skipped.
 *
 * Encoding: base64url of the JSON array `[epochMillis, id]`. btoa/atob rather than Buffer, so the
 * module can also run in the browser (client components may build links with it).
 */

export interface Cursor {
  occurredAt: Date;
  id: number;
}

/** Real cursors are ~30 characters; anything far longer is garbage and not worth decoding. */
export const MAX_CURSOR_LENGTH = 200;

/*
 * Years 0001 to 9999: the instants whose toISOString() PostgreSQL reads back. A JS Date reaches
 * further (+-100,000,000 days), but PostgreSQL refuses "+010000-01-01T..." and "0000-06-01T..." as
 * out of range, so a crafted cursor naming one would fail the page query: a 500, not a 400.
 */
const MIN_EPOCH_MS = Date.parse("0001-01-01T00:00:00.000Z");
const MAX_EPOCH_MS = Date.parse("9999-12-31T23:59:59.999Z");

function toBase64Url(text: string): string {
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(value: string): string | null {
  const base64 = value.replace(/-/g, "+").replace(/_/g, "/");
  try {
    return atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  } catch {
    return null;
  }
}

function isValidCursor(occurredAtMs: unknown, id: unknown): occurredAtMs is number {
  return (
    typeof occurredAtMs === "number" &&
    Number.isSafeInteger(occurredAtMs) &&
    occurredAtMs >= MIN_EPOCH_MS &&
    occurredAtMs <= MAX_EPOCH_MS &&
    typeof id === "number" &&
    Number.isSafeInteger(id) &&
    id > 0
  );
}

export function encodeCursor(cursor: Cursor): string {
  const ms = cursor.occurredAt.getTime();
  if (!isValidCursor(ms, cursor.id)) throw new RangeError("A cursor needs a valid date and a positive integer id");
  return toBase64Url(JSON.stringify([ms, cursor.id]));
}

/** The position a cursor names, or null for anything that is not a cursor this module wrote. */
export function decodeCursor(value: string): Cursor | null {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_CURSOR_LENGTH) return null;
  if (!/^[A-Za-z0-9_-]+$/.test(value)) return null;
  const text = fromBase64Url(value);
  // Only the canonical spelling is accepted, so one position has one cursor (stable links).
  if (text === null || toBase64Url(text) !== value) return null;

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return null;
  const [ms, id] = parsed as unknown[];
  if (!isValidCursor(ms, id)) return null;
  // Canonical JSON too: "[-0,1]", "[1e3,1]" and "[1000, 1]" would be second spellings of "[0,1]" and "[1000,1]".
  if (JSON.stringify([ms, id]) !== text) return null;
  return { occurredAt: new Date(ms), id: id as number };
}
