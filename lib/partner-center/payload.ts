import { JSONParser } from "@streamparser/json";
import { AppError } from "@/lib/errors";

/*
 * The shapes Partner Center's audit records arrive in: the response envelope of GET /v1/auditrecords
 * ({ totalCount, items, links, attributes }), a bare array of records, or one record per line
 * (each line may also be a whole envelope, as a script that saves page after page writes them).
 * Files saved by Windows tools often start with a byte-order mark. `totalCount` is never used:
 * real responses disagree with their own items.
 */

const BOM = "\uFEFF";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** An envelope's items; null when the value is not an envelope. */
function envelopeItems(value: Json): unknown[] | null {
  if (!("items" in value)) return null;
  if (!Array.isArray(value.items)) {
    throw new AppError("bad_request", "The response envelope's `items` must be an array of audit records.");
  }
  return value.items;
}

/** The records of one parsed JSON value: an envelope, an array, or a single record. */
export function recordsOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isObject(value)) return envelopeItems(value) ?? [value];
  throw new AppError(
    "bad_request",
    "Send Partner Center's response ({ totalCount, items, ... }), an array of audit records, or one record per line.",
  );
}

export const stripBom = (text: string): string => (text.startsWith(BOM) ? text.slice(1) : text);

/** A whole body (the HTTP route's, at most a few MiB): JSON, or else one JSON value per line. */
export function parsePayloadText(body: string): unknown[] {
  const text = stripBom(body);
  if (text.trim() === "") throw new AppError("bad_request", "The body is empty.");
  let whole: unknown;
  let wholeError: Error | null = null;
  try {
    whole = JSON.parse(text);
  } catch (error) {
    wholeError = error as Error;
  }
  if (!wholeError) return recordsOf(whole);
  const lines = text.split(/\r?\n/);
  if (lines.filter((l) => l.trim() !== "").length < 2) {
    throw new AppError("bad_request", `The body is not valid JSON: ${wholeError.message}`);
  }
  const items: unknown[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new AppError(
        "bad_request",
        `Line ${i + 1} is not valid JSON (one audit record per line): ${(error as Error).message}`,
      );
    }
    items.push(...recordsOf(value));
  });
  return items;
}

/**
 * The records of a stream (a file, standard input), one at a time, in bounded memory: an
 * envelope's or array's items are parsed one by one as they arrive, never the whole document
 * (a saved response is often one line of many megabytes). Emitted items are dropped from their
 * parent (keepStack: false), so an envelope is only ever held without its items.
 */
export async function* readAuditRecords(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<unknown> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const ready: unknown[] = [];
  let parser: JSONParser | null = null;
  let pending = "";
  let first = true;
  let failure: Error | null = null;

  const start = (firstChar: string) => {
    // An array's items; otherwise envelopes' items and whole records, one value after another.
    const next = new JSONParser(
      firstChar === "["
        ? { paths: ["$.*"], keepStack: false }
        : { paths: ["$.items.*", "$"], keepStack: false, separator: "" },
    );
    next.onValue = ({ value, stack }) => {
      if (stack.length > 0) ready.push(value);
      else if (isObject(value) && "items" in value)
        envelopeItems(value); // items went out one by one
      else ready.push(...recordsOf(value));
    };
    next.onError = (error) => {
      failure ??= error;
    };
    return next;
  };
  const feed = (text: string) => {
    try {
      parser!.write(text);
    } catch (error) {
      failure ??= error as Error;
    }
    if (failure) throw new AppError("bad_request", `The file is not valid JSON: ${failure.message}`);
  };
  const decode = (chunk: Uint8Array | string, final: boolean) => {
    try {
      return typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: !final });
    } catch {
      throw new AppError("bad_request", "The file is not valid UTF-8.");
    }
  };
  const take = (text: string) => {
    if (first && text !== "") {
      text = stripBom(text);
      first = false;
    }
    if (parser) return feed(text);
    pending += text;
    const firstChar = pending.trimStart()[0];
    if (firstChar === undefined) return;
    parser = start(firstChar);
    const all = pending;
    pending = "";
    feed(all);
  };

  for await (const chunk of source) {
    take(decode(chunk, false));
    while (ready.length > 0) yield ready.shift();
  }
  take(decode(new Uint8Array(0), true));
  const p = parser as JSONParser | null;
  if (!p) throw new AppError("bad_request", "The file is empty.");
  if (!p.isEnded) {
    try {
      p.end();
    } catch (error) {
      failure ??= error as Error;
    }
    if (failure) throw new AppError("bad_request", `The file ends before its JSON does: ${failure.message}`);
  }
  while (ready.length > 0) yield ready.shift();
}
