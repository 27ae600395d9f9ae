import { createHash } from "node:crypto";

/**
 * JSON with object keys sorted at every level, so two encodings of the same value (a retry that
 * serialised its map in another order) hash the same. Arrays keep their order: it is data.
 *
 * Every stored payload hash was computed over this text, so the output must never change: the
 * loop below writes, byte for byte, what `{${sortedKeys.map(k => `${key}:${canonical(v)}`)}}` and
 * `[${items.map(canonical).join(",")}]` wrote before it (undefined members left out, an undefined
 * or function item written as null, a hole in an array as nothing), only without the intermediate
 * arrays, and without sorting keys that already arrive in order.
 */
export function canonicalJson(value: unknown): string {
  if (typeof value === "string") return quote(value);
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ",";
      if (i in value) out += canonicalJson(value[i]);
    }
    return out + "]";
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  if (!inOrder(keys)) keys.sort();
  let out = "{";
  let first = true;
  for (const key of keys) {
    const item = object[key];
    if (item === undefined) continue;
    if (!first) out += ",";
    first = false;
    out += quote(key) + ":" + canonicalJson(item);
  }
  return out + "}";
}

/** What needs an escape in a JSON string: quote, backslash, control characters, any surrogate. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify of a string, without the call for the usual plain text. */
const quote = (text: string): string => (NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`);

export const sha256Hex = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

/** Whether the keys are sorted already (as most producers send them), so sorting can be skipped. */
function inOrder(keys: readonly string[]): boolean {
  let previous = "";
  for (const key of keys) {
    if (previous > key) return false;
    previous = key;
  }
  return true;
}
