import { catalogLabel, humanise, type CatalogTranslator } from "./activity-labels";
import { formatNumber } from "./format";
import { isJsonObject } from "./json";

/*
 * How a record's payload reads in its details: field names as labels, ISO durations as words,
 * enums as the table writes them, numbers in the reader's locale, and a change as what changed.
 * Everything goes through the message catalogs (`recordFields.*`); what the catalogs do not know
 * is humanised (a field) or shown as recorded (a value), never hidden.
 */

/** "Offer", "Auto-renew" / "제품", "자동 갱신"; an unknown field humanised ("someNewField" -> "Some new field"). */
export function fieldLabel(t: CatalogTranslator, field: string): string {
  return catalogLabel(t, "recordFields.labels", field) ?? humanise(field);
}

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/;

/** An ISO 8601 duration of whole years, months, weeks or days ("P1M", "P3Y") in words; null if it is not one. */
export function formatDuration(t: CatalogTranslator, value: string): string | null {
  const m = DURATION.exec(value);
  if (!m || value === "P") return null;
  const parts = (["years", "months", "weeks", "days"] as const)
    .map((unit, i) => ({ unit, count: m[i + 1] === undefined ? 0 : Number(m[i + 1]) }))
    .filter((p) => p.count > 0)
    .map((p) => t(`recordFields.durations.${p.unit}`, { count: p.count }));
  return parts.length > 0 ? parts.join(" ") : null;
}

/** Fields whose string values are one of a known set, and the catalog group that names them. */
const ENUM_GROUPS: Readonly<Record<string, string>> = {
  billingCycle: "billingCycles",
  status: "subscriptionStatuses",
};

/** One value as the reader reads it: labels for enums and yes/no, durations in words, numbers localised. */
export function formatFieldValue(t: CatalogTranslator, field: string, value: unknown, locale: string): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return t(value ? "recordFields.yes" : "recordFields.no");
  if (typeof value === "number") return Number.isFinite(value) ? formatNumber(value, locale) : String(value);
  if (typeof value === "string") {
    if (field === "termDuration" || /Duration$/.test(field)) return formatDuration(t, value) ?? value;
    const group = ENUM_GROUPS[field];
    return (group && catalogLabel(t, group, value)) || value;
  }
  if (Array.isArray(value)) {
    return value.length === 0 ? "—" : value.map((v) => formatFieldValue(t, field, v, locale)).join(", ");
  }
  if (isJsonObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return "—";
    return entries.map(([k, v]) => `${fieldLabel(t, k)}: ${formatFieldValue(t, k, v, locale)}`).join("; ");
  }
  return String(value);
}

/** new - old for two numbers, signed ("+8", "−8", "±0" never: an equal pair has no delta). */
export function numericDelta(before: unknown, after: unknown, locale: string): string | null {
  if (typeof before !== "number" || typeof after !== "number" || !Number.isFinite(before) || !Number.isFinite(after))
    return null;
  const delta = after - before;
  if (delta === 0) return null;
  const text = new Intl.NumberFormat(locale, { signDisplay: "always" }).format(delta);
  // A true minus sign, which lines up with the plus and does not read as a hyphen.
  return text.replace("-", "\u2212");
}

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
  changed: boolean;
}

/** Every field of old and new (old's order first), each marked whether it changed. */
export function fieldChanges(oldValue: unknown, newValue: unknown): FieldChange[] {
  const before = isJsonObject(oldValue) ? oldValue : {};
  const after = isJsonObject(newValue) ? newValue : {};
  const hasOld = isJsonObject(oldValue);
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].map((field) => ({
    field,
    before: before[field],
    after: after[field],
    changed: hasOld && canonical(before[field]) !== canonical(after[field]),
  }));
}

/** JSON with sorted keys: two objects that differ only in key order are the same value. */
export function canonical(value: unknown): string {
  return JSON.stringify(sorted(value)) ?? "undefined";
}
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (!isJsonObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sorted(value[k])]),
  );
}

/**
 * A failure's message: the catalog's own sentence for a known code, else the producer's text
 * (a code nobody has described is still explained by whoever raised it), else a plain "no message".
 */
export function errorCodeMessage(t: CatalogTranslator, code: string, producerMessage: unknown): string {
  const known = catalogLabel(t, "recordFields.errorCodes", code);
  if (known) return known;
  if (typeof producerMessage === "string" && producerMessage.trim()) return producerMessage;
  return t("recordFields.noErrorMessage");
}

/** Whether the catalogs name this operation type (an unknown one is marked as such in the details). */
export const isKnownOperationType = (t: CatalogTranslator, operationType: string): boolean =>
  catalogLabel(t, "actions", operationType) !== null;
