/*
 * What one export writes, named by the export link's `format` (beside the page's own params):
 * the records as CSV (the default), the records as NDJSON (one JSON record per line, for scripts
 * and jq), or the order lines as CSV (one row per line item of every order the filters match).
 * Dependency-free, so the page can build its links from it.
 */

export const EXPORT_FORMATS = ["csv", "ndjson", "line-items"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_FORMAT_PARAM = "format";

/** An export link's query: the page's own parameters, and the format when it is not the default. */
export function withExportFormat(search: URLSearchParams, format: ExportFormat): URLSearchParams {
  const out = new URLSearchParams(search);
  if (format !== "csv") out.set(EXPORT_FORMAT_PARAM, format);
  return out;
}

export interface ExportFormatError {
  param: typeof EXPORT_FORMAT_PARAM;
  code: "repeated" | "unknown_format";
  message: string;
}

/** The `format` of an export link: csv when absent, or a 400's error naming the parameter. */
export function parseExportFormat(
  search: Pick<URLSearchParams, "getAll">,
): { ok: true; format: ExportFormat } | { ok: false; error: ExportFormatError } {
  const values = search.getAll(EXPORT_FORMAT_PARAM).map((v) => v.trim());
  if (values.length > 1)
    return {
      ok: false,
      error: { param: "format", code: "repeated", message: '"format" was given more than once; give it once.' },
    };
  const value = values[0] ?? "";
  if (value === "") return { ok: true, format: "csv" };
  const known = EXPORT_FORMATS.find((f) => f === value.toLowerCase());
  if (known) return { ok: true, format: known };
  return {
    ok: false,
    error: {
      param: "format",
      code: "unknown_format",
      message: `"format" must be one of ${EXPORT_FORMATS.join(", ")}; "${value.slice(0, 40)}" is not a format.`,
    },
  };
}

/*
 * NDJSON goes as text/x-ndjson rather than application/x-ndjson: the server gzips only types it
 * knows to be compressible (text/*, JSON), and Next drops a route's own Content-Encoding, so under
 * the application/ name a browser's download of a month of records would travel uncompressed.
 */
export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  ndjson: "text/x-ndjson; charset=utf-8",
  "line-items": "text/csv; charset=utf-8",
};
