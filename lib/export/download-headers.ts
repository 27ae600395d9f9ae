import { createHash } from "node:crypto";
import type { ActivityLogQuery } from "@/lib/activity-log-params";
import type { Cloud } from "@/lib/domain";
import type { ExportFormat } from "./export-format";
import { beforeFirst } from "@/lib/before-first";

/** What an export's file name tells apart: the tenant, the period and every filter. */
export type ExportNameParams = Pick<
  ActivityLogQuery,
  | "from"
  | "to"
  | "fromTime"
  | "toTime"
  | "tz"
  | "customer"
  | "action"
  | "excludeActions"
  | "user"
  | "status"
  | "q"
  | "correlation"
  | "includeLogAccess"
>;

const EXTENSIONS: Record<ExportFormat, string> = { csv: ".csv", ndjson: ".ndjson", "line-items": "_line-items.csv" };

/** Longest slug of one value, and of all the filters together: names stay short enough to read. */
const MAX_PART = 24;
const MAX_FILTERS = 64;

/**
 * A value as a piece of a file name any file system takes: letters and digits of any script
 * (Korean names stay Korean), everything else folded into single hyphens, lower case, cut short.
 */
export function fileNameSlug(value: string, max = MAX_PART): string {
  const slug = value
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
  return [...slug].slice(0, max).join("").replace(/-+$/, "");
}

/**
 * `activity-log_<cloud>_<tenant>_<from>_<to>[_<filters>_<hash>].csv` (`.ndjson`, `_line-items.csv`).
 * The filters are there to read (statuses, actions, customer, users, search, zone); the six-digit
 * hash of all of them (times of day and correlation id included) tells apart two exports whose
 * readable parts were folded or cut to the same text, so two filtered exports of one period
 * never overwrite each other in a downloads folder.
 */
export function exportFileName(options: {
  tenant: string | null;
  cloud: Cloud;
  params: ExportNameParams;
  format?: ExportFormat;
}): string {
  const { params, cloud } = options;
  const tenant = options.tenant ? fileNameSlug(options.tenant) : "";
  const from = params.fromTime ? `${params.from}T${params.fromTime.replace(":", "")}` : params.from;
  const to = params.toTime ? `${params.to}T${params.toTime.replace(":", "")}` : params.to;
  const readable = [
    ...[...params.status].sort(),
    ...[...params.action].sort().map((a) => (params.excludeActions ? `not-${a}` : a)),
    params.customer,
    ...params.user.map((u) => beforeFirst(u, "@").toLowerCase()).sort(),
    params.q,
    params.tz === "UTC" ? null : params.tz,
    params.includeLogAccess ? "with-log-access" : null,
  ]
    .filter((v): v is string => Boolean(v))
    .map((v) => fileNameSlug(v))
    .filter(Boolean);
  const filtered =
    readable.length > 0 || params.fromTime !== null || params.toTime !== null || params.correlation !== null;
  let filters = "";
  if (filtered) {
    const canonical = JSON.stringify([
      params.fromTime,
      params.toTime,
      params.tz,
      params.customer,
      [...params.action].sort(),
      params.excludeActions && params.action.length > 0,
      [...params.user].map((u) => u.toLowerCase()).sort(),
      [...params.status].sort(),
      params.q,
      params.correlation,
      params.includeLogAccess,
    ]);
    const hash = createHash("sha256").update(canonical).digest("hex").slice(0, 6);
    filters = `_${[...readable.join("_")]
      .slice(0, MAX_FILTERS)
      .join("")
      .replace(/[-_]+$/, "")}_${hash}`.replace(/^__/, "_");
  }
  const name = ["activity-log", cloud, tenant, from, to].filter(Boolean).join("_");
  return `${name}${filters}${EXTENSIONS[options.format ?? "csv"]}`;
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
