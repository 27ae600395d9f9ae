import type { Cloud } from "@/lib/domain";

/** `activity-log_<cloud>_<from>_<to>.csv`, with the chosen days as the user picked them. */
export function exportFileName(cloud: Cloud, from: string, to: string): string {
  return `activity-log_${cloud}_${from}_${to}.csv`;
}

// RFC 8187 attr-char: everything else in filename* is percent-encoded.
const encodeRfc8187 = (value: string) =>
  encodeURIComponent(value).replace(/['()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());

/**
 * An attachment header every browser reads: an ASCII `filename` fallback (quotes, backslashes,
 * controls and non-ASCII replaced) and the exact name as UTF-8 in `filename*` (RFC 6266).
 */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeRfc8187(fileName)}`;
}
