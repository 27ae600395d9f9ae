import { JSONParser } from "@streamparser/json";
import { AppError } from "@/lib/errors";
import { MAX_AUDIT_RECORD_BYTES } from "./audit-record";
import { isJsonObject, type JsonObject } from "@/lib/json";

/*
 * The shapes Partner Center's audit records arrive in: the response envelope of GET /v1/auditrecords
 * ({ totalCount, items, links, attributes }), a bare array of records, or one record per line
 * (each line may also be a whole envelope, as a script that saves page after page writes them).
 * Files saved by Windows tools often start with a byte-order mark. `totalCount` is never used:
 * real responses disagree with their own items.
 */

const BOM = "\uFEFF";

/** An envelope's items; null when the value is not an envelope. */
function envelopeItems(value: JsonObject): unknown[] | null {
  if (!("items" in value)) return null;
  if (!Array.isArray(value.items)) {
    throw new AppError("bad_request", "The response envelope's `items` must be an array of audit records.");
  }
  return value.items;
}

/** The records of one parsed JSON value: an envelope, an array, or a single record. */
export function recordsOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isJsonObject(value)) return envelopeItems(value) ?? [value];
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

/** The members that start Partner Center's envelope, as opposed to a record's. */
const ENVELOPE_MEMBERS = new Set(["totalCount", "items", "links", "attributes", "continuationToken"]);
const FIRST_MEMBER = /^\s*\{\s*"((?:[^"\\]|\\.)*)"\s*:/;

/**
 * The records of a stream (a file, standard input), one at a time, in bounded memory. An
 * envelope's or an array's items are parsed one by one as they arrive, never the whole document
 * (a saved response is often one line of many megabytes): emitted items are dropped from their
 * parent (keepStack: false), which the parser does only while no enclosing value is itself
 * selected, so the document's root never is. Which shape it is shows in its first characters: `[`
 * is an array, `{` with an envelope's member first is an envelope, anything else is one record
 * (or envelope) per line.
 */
export async function* readAuditRecords(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<unknown> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const ready: unknown[] = [];
  let mode: "document" | "lines" | null = null;
  let parser: JSONParser | null = null;
  let failure: Error | null = null;
  let pending = ""; // text not yet given to the parser or not yet split into lines
  let record = ""; // lines mode: the lines of the value being read
  let recordLine = 1;
  let line = 1;
  let first = true;

  const startDocument = (paths: string[]) => {
    // separator "": one document after another, as a script that saves page after page writes them.
    parser = new JSONParser({ paths, keepStack: false, separator: "" });
    parser.onValue = ({ value }) => ready.push(value);
    parser.onError = (error) => {
      failure ??= error;
    };
  };
  const feed = (text: string) => {
    try {
      parser!.write(text);
    } catch (error) {
      failure ??= error as Error;
    }
    if (failure) throw new AppError("bad_request", `The file is not valid JSON: ${failure.message}`);
  };
  const lineError = (detail: string) =>
    new AppError("bad_request", `Line ${recordLine} is not valid JSON (one audit record per line): ${detail}`);
  // A value may span lines (a pretty-printed record): lines gather until they parse.
  const takeLine = (text: string) => {
    if (record === "" && text.trim() === "") {
      recordLine = ++line;
      return;
    }
    record += record === "" ? text : `\n${text}`;
    line++;
    const trimmed = record.trimEnd();
    if (!trimmed.endsWith("}") && !trimmed.endsWith("]")) return;
    let value: unknown;
    try {
      value = JSON.parse(record);
    } catch (error) {
      if (record.length > 4 * MAX_AUDIT_RECORD_BYTES) throw lineError((error as Error).message);
      return;
    }
    ready.push(...recordsOf(value));
    record = "";
    recordLine = line;
  };
  const takeLines = (text: string, final: boolean) => {
    pending += text;
    let newline: number;
    while ((newline = pending.indexOf("\n")) >= 0) {
      takeLine(pending.slice(0, newline).replace(/\r$/, ""));
      pending = pending.slice(newline + 1);
    }
    if (final) {
      if (pending !== "") takeLine(pending);
      pending = "";
      if (record.trim() !== "") {
        try {
          JSON.parse(record);
        } catch (error) {
          throw lineError((error as Error).message);
        }
      }
    }
  };
  const take = (text: string, final: boolean) => {
    if (first && text !== "") {
      text = stripBom(text);
      first = false;
    }
    if (mode === "document") return feed(text);
    if (mode === "lines") return takeLines(text, final);
    pending += text;
    const start = pending.trimStart();
    const [, member] = FIRST_MEMBER.exec(pending) ?? [];
    if (start.startsWith("[")) mode = "document";
    else if (member !== undefined && ENVELOPE_MEMBERS.has(member)) mode = "document";
    else if (start !== "" && (member !== undefined || !start.startsWith("{") || start.length > 1024 || final))
      mode = "lines";
    else if (!final) return; // not enough of it yet to tell
    const all = pending;
    pending = "";
    if (mode === "document") {
      startDocument(start.startsWith("[") ? ["$.*"] : ["$.items.*"]);
      feed(all);
    } else takeLines(all, final);
  };
  const decode = (chunk: Uint8Array | string, final: boolean) => {
    try {
      return typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: !final });
    } catch {
      throw new AppError("bad_request", "The file is not valid UTF-8.");
    }
  };

  for await (const chunk of source) {
    take(decode(chunk, false), false);
    while (ready.length > 0) yield ready.shift();
  }
  take(decode(new Uint8Array(0), true), true);
  if (mode === null) throw new AppError("bad_request", "The file is empty.");
  const p = parser as JSONParser | null;
  if (p && !p.isEnded) {
    try {
      p.end();
    } catch (error) {
      failure ??= error as Error;
    }
    if (failure) throw new AppError("bad_request", `The file ends before its JSON does: ${failure.message}`);
  }
  while (ready.length > 0) yield ready.shift();
}
