"use client";

import Link from "next/link";
import { useEffect, useState, type ReactNode } from "react";
import { toSearchParams, type ActivityLogOverrides, type ActivityLogQuery } from "@/lib/activity-log-params";
import { ROUTES } from "@/lib/routes";
import { useLocale, useTranslations } from "next-intl";
import {
  asCatalog,
  catalogLabel,
  translatedActionLabel,
  translatedResourceLabel,
  translatedStatusLabel,
} from "@/lib/activity-labels";
import { formatDateTime, formatDay, formatNumber } from "@/lib/format";
import {
  errorCodeMessage,
  fieldChanges,
  fieldLabel,
  formatDuration,
  formatFieldValue,
  isKnownOperationType,
  numericDelta,
} from "@/lib/record-fields";
import { StatusBadge } from "./status-badge";
import { CopyButton } from "./copy-button";
import { LaterOutcomeNote, RelatedRecords, type OutcomeView, type RelatedRecordView } from "./related-records";
import { isJsonObject, type JsonObject } from "@/lib/json";
import type { OperationStatus } from "@/lib/domain";
import { buttonClass } from "@/components/ui/button";

interface RecordDetails {
  id: number;
  occurredAt: string;
  customerId: string | null;
  customerName: string | null;
  operationType: string;
  resourceType: string;
  operationStatus: OperationStatus;
  userPrincipalName: string;
  applicationId: string;
  correlationId: string;
  resourceOldValue: unknown;
  resourceNewValue: unknown;
  customizedData: unknown;
  /** The record as Partner Center sent it, for imported records; null for the log's own. */
  sourceRecord: unknown;
}

/** Why the details did not load: the API's error code (its message is English, for API clients). */
type LoadFailure = { status: number; code: string | null } | { status: null; code: null };
type LoadState =
  | { kind: "loading" }
  | { kind: "error"; failure: LoadFailure }
  | {
      kind: "loaded";
      record: RecordDetails;
      related: RelatedRecordView[];
      relatedMore: boolean;
      outcome: OutcomeView | null;
    };

class DetailsLoadError extends Error {
  constructor(readonly failure: LoadFailure) {
    super(`details request failed: ${failure.status ?? "network"}`);
  }
}

/** Partner Center's customizedData: key/value pairs, values strings or null. */
type KeyValue = { key: string; value: string | null };
const isKeyValueList = (v: unknown): v is KeyValue[] =>
  Array.isArray(v) && v.every((e) => isJsonObject(e) && typeof e.key === "string");

const LINE_ITEM_KEY = /^(OfferId|SubscriptionId|SubscriptionName|Quantity|PartnerOnRecord)-(\d+)$/;
type PartnerCenterLine = Partial<
  Record<"OfferId" | "SubscriptionId" | "SubscriptionName" | "Quantity" | "PartnerOnRecord", string | null>
>;

/** An order's line items (index-suffixed keys, in index order) and every other pair as it came. */
function splitCustomizedData(pairs: KeyValue[]): { lines: PartnerCenterLine[]; other: KeyValue[] } {
  const lines: PartnerCenterLine[] = [];
  const other: KeyValue[] = [];
  for (const pair of pairs) {
    const [, name, position] = LINE_ITEM_KEY.exec(pair.key) ?? [];
    if (name === undefined || position === undefined) {
      other.push(pair);
      continue;
    }
    const index = Number(position);
    lines[index] = { ...lines[index], [name]: pair.value };
  }
  return { lines: lines.filter(Boolean), other };
}

/** An order's serialized LineItems, left out of the values when its line-items table shows them. */
function withoutLineItems(value: unknown, partnerCenter: { lines: PartnerCenterLine[] } | null): unknown {
  if (!partnerCenter || partnerCenter.lines.length === 0 || !isJsonObject(value) || !("LineItems" in value))
    return value;
  const { LineItems: _shown, ...rest } = value;
  return rest;
}

function display(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (Array.isArray(value) && value.every((v) => typeof v !== "object" || v === null)) return value.join(", ") || "—";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** A number as the reader writes numbers; anything else as it came. */
function displayNumber(value: unknown, locale: string): string {
  return typeof value === "number" && Number.isFinite(value) ? formatNumber(value, locale) : display(value);
}

/** The details of one logged action, fetched when its row is expanded. */
export function ActivityDetails({
  id,
  occurredAt,
  timeZone,
  query,
}: {
  id: number;
  occurredAt: string;
  timeZone: string;
  /** The current view: "show only" links keep it and add one filter. */
  query?: ActivityLogQuery;
}) {
  const [state, setState] = useState<LoadState>({ kind: "loading" });
  const t = useTranslations("activityLog.details");
  const labels = asCatalog(useTranslations());
  const locale = useLocale();

  useEffect(() => {
    const controller = new AbortController();
    fetch(`/api/activity-log/records/${id}?at=${encodeURIComponent(occurredAt)}`, {
      signal: controller.signal,
      headers: { accept: "application/json" },
    })
      .then(async (response) => {
        const body = await response.json().catch(() => null);
        if (!response.ok) {
          throw new DetailsLoadError({
            status: response.status,
            code: typeof body?.error?.code === "string" ? body.error.code : null,
          });
        }
        setState({
          kind: "loaded",
          record: body.record as RecordDetails,
          related: Array.isArray(body.related) ? (body.related as RelatedRecordView[]) : [],
          relatedMore: body.relatedMore === true,
          outcome: isJsonObject(body.outcome) ? (body.outcome as unknown as OutcomeView) : null,
        });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setState({
          kind: "error",
          failure: error instanceof DetailsLoadError ? error.failure : { status: null, code: null },
        });
      });
    return () => controller.abort();
  }, [id, occurredAt]);

  if (state.kind === "loading") {
    return (
      <p role="status" className="text-sm text-gray-600">
        {t("loading")}
      </p>
    );
  }
  if (state.kind === "error") {
    const { failure } = state;
    const message =
      failure.status === null
        ? t("loadFailedNetwork")
        : failure.code === "not_found"
          ? t("notFound")
          : failure.code === "forbidden"
            ? t("forbidden")
            : failure.code === "unauthorized"
              ? t("unauthorized")
              : t("loadFailed", { status: String(failure.status) });
    return (
      <p role="alert" className="text-sm text-red-800">
        {message}
      </p>
    );
  }
  const { record } = state;
  const lineItems =
    isJsonObject(record.resourceNewValue) && Array.isArray(record.resourceNewValue.lineItems)
      ? (record.resourceNewValue.lineItems as JsonObject[])
      : null;
  const action = translatedActionLabel(labels, record.operationType);
  const failure =
    isJsonObject(record.customizedData) && typeof record.customizedData.errorCode === "string"
      ? record.customizedData
      : null;
  const partnerCenter = isKeyValueList(record.customizedData) ? splitCustomizedData(record.customizedData) : null;
  const imported = isJsonObject(record.sourceRecord);
  const newValue = isJsonObject(record.resourceNewValue) ? record.resourceNewValue : null;
  const idOf = (key: string) => (typeof newValue?.[key] === "string" ? (newValue[key] as string) : null);
  const subscriptionId = idOf("subscriptionId");
  const orderId = idOf("orderId");
  const attemptedName = !record.customerId && record.operationType === "add_customer" ? idOf("companyName") : null;
  const knownType = isKnownOperationType(labels, record.operationType);
  const logAccess =
    (record.operationType === "view_activity_log" || record.operationType === "export_activity_log") &&
    isJsonObject(record.customizedData) &&
    isJsonObject(record.customizedData.range)
      ? record.customizedData
      : null;

  return (
    <section aria-label={t("sectionLabel", { action })} className="space-y-4" data-testid="activity-details">
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-2 lg:grid-cols-3">
        <Field label={t("action")} value={action}>
          {query && (
            <FilterLink href={filterHref(query, { action: record.operationType })} label={t("filterBy.action")} />
          )}
        </Field>
        <Field label={t("operationType")} value={record.operationType} mono>
          {!knownType && (
            <span className="mt-1 block font-sans text-xs text-amber-900" data-testid="unknown-operation">
              {t("plain.unknownOperation", { type: record.operationType })}
            </span>
          )}
        </Field>
        <Field
          label={t("resourceType")}
          value={t("resourceTypeValue", {
            label: translatedResourceLabel(labels, record.resourceType),
            type: record.resourceType,
          })}
        />
        <div>
          <dt className="font-medium text-gray-600">{t("status")}</dt>
          <dd>
            <StatusBadge
              status={record.operationStatus}
              label={translatedStatusLabel(labels, record.operationStatus)}
            />
            {query && (
              <FilterLink href={filterHref(query, { status: record.operationStatus })} label={t("filterBy.status")} />
            )}
          </dd>
        </div>
        <Field
          label={t("dateTime")}
          value={t("dateTimeValue", {
            time: formatDateTime(new Date(record.occurredAt), timeZone, locale),
            zone: timeZone,
          })}
        />
        <Field label={t("partnerUser")} value={record.userPrincipalName}>
          {query && (
            <FilterLink href={filterHref(query, { user: record.userPrincipalName })} label={t("filterBy.user")} />
          )}
        </Field>
        <Field label={t("application")} value={record.applicationId} />
        <Field label={t("correlationId")} value={record.correlationId} mono copy />
        <Field label={t("customerId")} value={record.customerId ?? "—"} mono copy={record.customerId !== null} />
        {attemptedName && <Field label={t("attemptedCustomer")} value={attemptedName} />}
        {subscriptionId && <Field label={t("subscriptionId")} value={subscriptionId} mono copy />}
        {orderId && <Field label={t("orderId")} value={orderId} mono copy />}
        {imported && <Field label={t("source.label")} value={t("source.partnerCenter")} />}
      </dl>

      {state.outcome && <LaterOutcomeNote outcome={state.outcome} timeZone={timeZone} />}

      <RelatedRecords
        correlationId={record.correlationId}
        self={record}
        records={state.related}
        more={state.relatedMore}
        timeZone={timeZone}
      />

      {failure && (
        <div className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-900" data-testid="failure">
          <h2 className="font-semibold">{t("plain.failureHeading")}</h2>
          <p className="mt-1">{errorCodeMessage(labels, String(failure.errorCode), failure.errorMessage)}</p>
          <p className="mt-1 text-xs">
            {t("plain.failureCode", { code: String(failure.errorCode) })}
            {/* The producer's own words too, when the sentence above is not already them. */}
            {typeof failure.errorMessage === "string" &&
              failure.errorMessage !== errorCodeMessage(labels, String(failure.errorCode), failure.errorMessage) && (
                <span className="text-red-800">: {failure.errorMessage}</span>
              )}
          </p>
        </div>
      )}

      {logAccess && <LogAccessSummary data={logAccess} />}

      {partnerCenter && partnerCenter.lines.length > 0 && <PartnerCenterLineItems lines={partnerCenter.lines} />}

      {lineItems ? (
        <LineItems items={lineItems} />
      ) : logAccess ? null : (
        <Changes
          oldValue={withoutLineItems(record.resourceOldValue, partnerCenter)}
          // Records with no resource values (e.g. a view of the log) keep what they are about here.
          newValue={
            withoutLineItems(record.resourceNewValue, partnerCenter) ??
            (failure || partnerCenter ? null : record.customizedData)
          }
        />
      )}

      {partnerCenter && partnerCenter.other.length > 0 && <KeyValues pairs={partnerCenter.other} />}

      <RawJson record={record} />
    </section>
  );
}

function Field({
  label,
  value,
  mono,
  copy,
  children,
}: {
  label: string;
  value: string;
  mono?: boolean;
  copy?: boolean;
  children?: ReactNode;
}) {
  return (
    <div>
      <dt className="font-medium text-gray-600">{label}</dt>
      <dd className={`break-all ${mono ? "font-mono text-xs" : ""}`}>
        {value}
        {copy && <CopyButton value={value} label={label} />}
        {children}
      </dd>
    </div>
  );
}

const filterHref = (query: ActivityLogQuery, filter: ActivityLogOverrides) =>
  `${ROUTES.activityLog}?${toSearchParams(query, filter)}`;

/** "Show only this …": the current view with one more filter, from the record's own value. */
function FilterLink({ href, label }: { href: string; label: string }) {
  return (
    <Link
      href={href}
      data-testid="filter-by"
      className="ml-2 whitespace-nowrap text-xs text-brand underline-offset-2 hover:underline"
    >
      {label}
    </Link>
  );
}

const LINE_ITEM_COLUMNS = ["number", "offer", "quantity", "term", "billingCycle", "subscription"] as const;

type LineItemColumn =
  "number" | "offer" | "name" | "quantity" | "term" | "billingCycle" | "subscription" | "partnerOfRecord";

/** An order's line items: a scrollable table with a sticky header, so 60 products stay readable. */
function LineItemsFrame({
  count,
  columns,
  total,
  children,
}: {
  count: number;
  columns: readonly LineItemColumn[];
  /** The quantities added up: how many seats the order is for. */
  total: number;
  children: ReactNode;
}) {
  const t = useTranslations("activityLog.details.lineItems");
  const plain = useTranslations("activityLog.details.plain");
  return (
    <div>
      <h2 className="mb-1 text-sm font-semibold">
        {t.rich("heading", {
          count,
          muted: (chunks) => <span className="font-normal text-gray-600">{chunks}</span>,
        })}{" "}
        <span className="font-normal text-gray-700" data-testid="total-quantity">
          · {plain("totalQuantity", { total })}
        </span>
      </h2>
      <div
        className="max-h-96 overflow-auto rounded border border-gray-200 bg-white"
        tabIndex={0}
        role="region"
        aria-label={t("region")}
      >
        <table className="min-w-full text-sm">
          <thead className="sticky top-0 bg-gray-100">
            <tr>
              {columns.map((h) => (
                <th key={h} scope="col" className="px-3 py-1.5 text-left font-semibold whitespace-nowrap">
                  {t(h)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-gray-100">{children}</tbody>
        </table>
      </div>
    </div>
  );
}

/** The log's own order line items (resourceNewValue.lineItems). */
function LineItems({ items }: { items: JsonObject[] }) {
  const labels = asCatalog(useTranslations());
  const locale = useLocale();
  const total = items.reduce((sum, item) => sum + (typeof item.quantity === "number" ? item.quantity : 0), 0);
  return (
    <LineItemsFrame count={items.length} columns={LINE_ITEM_COLUMNS} total={total}>
      {items.map((item, i) => (
        <tr key={i} data-testid="line-item">
          <td className="px-3 py-1 tabular-nums">{displayNumber(item.lineItemNumber ?? i + 1, locale)}</td>
          <td className="px-3 py-1">{display(item.offerName)}</td>
          <td className="px-3 py-1 tabular-nums">{displayNumber(item.quantity, locale)}</td>
          <td className="px-3 py-1 whitespace-nowrap">
            {(typeof item.termDuration === "string" && formatDuration(labels, item.termDuration)) ||
              display(item.termDuration)}
          </td>
          <td className="px-3 py-1 whitespace-nowrap">
            {/* Known cycles in the reader's words; anything else exactly as recorded. */}
            {(typeof item.billingCycle === "string" && catalogLabel(labels, "billingCycles", item.billingCycle)) ||
              display(item.billingCycle)}
          </td>
          <td className="px-3 py-1 font-mono text-xs">{display(item.subscriptionId)}</td>
        </tr>
      ))}
    </LineItemsFrame>
  );
}

const PC_LINE_COLUMNS = ["number", "offer", "name", "quantity", "subscription", "partnerOfRecord"] as const;

/** A Partner Center order's line items, from its index-suffixed customizedData keys. */
function PartnerCenterLineItems({ lines }: { lines: PartnerCenterLine[] }) {
  const locale = useLocale();
  const total = lines.reduce((sum, line) => sum + (/^\d+$/.test(line.Quantity ?? "") ? Number(line.Quantity) : 0), 0);
  return (
    <LineItemsFrame count={lines.length} columns={PC_LINE_COLUMNS} total={total}>
      {lines.map((line, i) => (
        <tr key={i} data-testid="line-item">
          <td className="px-3 py-1 tabular-nums">{formatNumber(i + 1, locale)}</td>
          <td className="break-all px-3 py-1 font-mono text-xs">{display(line.OfferId)}</td>
          <td className="px-3 py-1">{display(line.SubscriptionName)}</td>
          <td className="px-3 py-1 tabular-nums">
            {/^\d+$/.test(line.Quantity ?? "") ? formatNumber(Number(line.Quantity), locale) : display(line.Quantity)}
          </td>
          <td className="break-all px-3 py-1 font-mono text-xs">{display(line.SubscriptionId)}</td>
          <td className="px-3 py-1">{display(line.PartnerOnRecord)}</td>
        </tr>
      ))}
    </LineItemsFrame>
  );
}

/** customizedData pairs that are not line items, as they came. */
function KeyValues({ pairs }: { pairs: KeyValue[] }) {
  const t = useTranslations("activityLog.details.customData");
  return (
    <div>
      <h2 className="mb-1 text-sm font-semibold">{t("heading")}</h2>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-1 rounded border border-gray-200 bg-white p-3 text-sm sm:grid-cols-[max-content_1fr]">
        {pairs.map((pair, i) => (
          <div key={i} className="contents" data-testid="custom-data">
            <dt className="font-medium text-gray-600">{pair.key}</dt>
            <dd className="break-all">{display(pair.value)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/**
 * Old -> new, field by field, in the reader's words: by default only the fields that changed
 * (numbers with their difference), all of them on request; a record of values alone lists them.
 */
function Changes({ oldValue, newValue }: { oldValue: unknown; newValue: unknown }) {
  const t = useTranslations("activityLog.details.changes");
  const plain = useTranslations("activityLog.details.plain");
  const labels = asCatalog(useTranslations());
  const locale = useLocale();
  const [showAll, setShowAll] = useState(false);
  const fields = fieldChanges(oldValue, newValue);
  if (fields.length === 0) return null;
  const hasOld = isJsonObject(oldValue);
  const changedCount = fields.filter((f) => f.changed).length;
  if (hasOld && isJsonObject(newValue) && changedCount === 0) {
    return (
      <p className="text-sm text-gray-700" data-testid="no-changes">
        {t("noChanges")}
      </p>
    );
  }
  const shown = hasOld && !showAll ? fields.filter((f) => f.changed) : fields;
  return (
    <div>
      <div className="mb-1 flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-sm font-semibold">
          {hasOld ? t("changesHeading") : t("valuesHeading")}
          {hasOld && (
            <span className="ml-2 font-normal text-gray-600">
              {plain("changedCount", { changed: changedCount, total: fields.length })}
            </span>
          )}
        </h2>
        {hasOld && changedCount < fields.length && (
          <button
            type="button"
            aria-pressed={showAll}
            onClick={() => setShowAll((a) => !a)}
            className={buttonClass("secondary", "sm")}
            data-testid="show-all-fields"
          >
            {showAll ? plain("onlyChanged") : plain("allFields")}
          </button>
        )}
      </div>
      <div className="overflow-x-auto rounded border border-gray-200 bg-white">
        <table className="min-w-full text-sm">
          <thead className="bg-gray-100">
            <tr>
              <th scope="col" className="px-3 py-1.5 text-left font-semibold">
                {t("field")}
              </th>
              {hasOld && (
                <th scope="col" className="px-3 py-1.5 text-left font-semibold">
                  {t("oldValue")}
                </th>
              )}
              <th scope="col" className="px-3 py-1.5 text-left font-semibold">
                {hasOld ? t("newValue") : t("value")}
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-gray-100">
            {shown.map(({ field, before, after, changed }) => {
              const delta = changed ? numericDelta(before, after, locale) : null;
              return (
                <tr key={field} className={changed ? "bg-yellow-50" : undefined} data-testid="change-row">
                  <th scope="row" className="px-3 py-1 text-left font-medium" title={field}>
                    {fieldLabel(labels, field)}
                    {changed && showAll && (
                      <span className="ml-2 text-xs font-normal text-amber-800">{t("changed")}</span>
                    )}
                  </th>
                  {hasOld && (
                    <td className="px-3 py-1 break-words">{formatFieldValue(labels, field, before, locale)}</td>
                  )}
                  <td className="px-3 py-1 break-words">
                    {formatFieldValue(labels, field, after, locale)}
                    {delta && (
                      <span className="ml-2 text-xs font-medium text-gray-700 tabular-nums" data-testid="delta">
                        ({delta})
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** A view or an export of the log: the period and the filters it was for, and what it matched. */
function LogAccessSummary({ data }: { data: JsonObject }) {
  const t = useTranslations("activityLog.details.plain.logAccess");
  const labels = asCatalog(useTranslations());
  const locale = useLocale();
  const range = isJsonObject(data.range) ? data.range : {};
  const filters = isJsonObject(data.filters) ? data.filters : {};
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  // One value (records written before several could be chosen) or a list of them.
  const values = (v: unknown) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : text(v) ? [text(v)] : [];
  const filterText: string[] = [];
  const add = (label: string, value: string) => filterText.push(`${label}: ${value}`);
  const addAll = (label: string, list: string[], word: (v: string) => string = (v) => v) => {
    if (list.length > 0) add(label, list.map(word).join(", "));
  };
  if (text(filters.search)) add(t("search"), text(filters.search));
  if (text(filters.customer)) add(t("customer"), text(filters.customer));
  addAll(filters.excludeActions === true ? t("excludedActions") : t("action"), values(filters.action), (a) =>
    translatedActionLabel(labels, a),
  );
  addAll(t("user"), values(filters.user));
  addAll(t("status"), values(filters.status), (s) => translatedStatusLabel(labels, s as OperationStatus));
  if (text(filters.correlation)) add(t("correlation"), text(filters.correlation));
  if (filters.includeLogAccess === true) filterText.push(t("includeLogAccess"));
  const count = typeof data.rowCount === "number" ? data.rowCount : null;
  // An export in another format than CSV says which; a line-item export counted lines, not records.
  const format = data.format === "ndjson" || data.format === "line-items" ? data.format : null;
  return (
    <div data-testid="log-access">
      <h2 className="mb-1 text-sm font-semibold">{t("heading")}</h2>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-1 rounded border border-gray-200 bg-white p-3 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="font-medium text-gray-600">{t("range")}</dt>
        <dd>
          {t("rangeValue", {
            from: formatDay(text(range.from), locale),
            to: formatDay(text(range.to), locale),
            zone: text(range.timeZone) || "UTC",
          })}
        </dd>
        <dt className="font-medium text-gray-600">{t("filters")}</dt>
        <dd>
          {filterText.length === 0 ? (
            t("noFilters")
          ) : (
            <ul>
              {filterText.map((f) => (
                <li key={f}>{f}</li>
              ))}
            </ul>
          )}
        </dd>
        {format && (
          <>
            <dt className="font-medium text-gray-600">{t("format")}</dt>
            <dd>{t(format === "ndjson" ? "formatNdjson" : "formatLineItems")}</dd>
          </>
        )}
        {count !== null && (
          <>
            <dt className="font-medium text-gray-600">{t(format === "line-items" ? "lineCount" : "rowCount")}</dt>
            <dd className="tabular-nums">
              {data.rowCountIsLowerBound === true ? t("rowCountAtLeast", { count }) : formatNumber(count, locale)}
            </dd>
          </>
        )}
        {typeof data.pageSize === "number" && (
          <>
            <dt className="font-medium text-gray-600">{t("pageSize")}</dt>
            <dd className="tabular-nums">{formatNumber(data.pageSize, locale)}</dd>
          </>
        )}
      </dl>
    </div>
  );
}

/** The whole record as JSON: what it is, who did it, when, to whom, and its payload. Imported ones as they came. */
function RawJson({ record }: { record: RecordDetails }) {
  const t = useTranslations("activityLog.details.raw");
  const [copied, setCopied] = useState(false);
  const imported = isJsonObject(record.sourceRecord);
  // "Copied" is a moment's confirmation, not a state: it goes after a little while.
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  const json = JSON.stringify(
    imported
      ? record.sourceRecord
      : {
          id: record.id,
          occurredAt: record.occurredAt,
          userPrincipalName: record.userPrincipalName,
          applicationId: record.applicationId,
          operationType: record.operationType,
          resourceType: record.resourceType,
          operationStatus: record.operationStatus,
          customerId: record.customerId,
          customerName: record.customerName,
          correlationId: record.correlationId,
          resourceOldValue: record.resourceOldValue,
          resourceNewValue: record.resourceNewValue,
          customizedData: record.customizedData,
        },
    null,
    2,
  );
  return (
    <details className="rounded border border-gray-200 bg-white">
      <summary className="cursor-pointer px-3 py-2 text-sm font-semibold">
        {imported ? t("sourceSummary") : t("summary")}
      </summary>
      <div className="border-t border-gray-200 p-3">
        <button
          type="button"
          onClick={() =>
            navigator.clipboard
              ?.writeText(json)
              .then(() => setCopied(true))
              .catch(() => setCopied(false))
          }
          aria-live="polite"
          className="mb-2 rounded border border-gray-300 px-2 py-1 text-xs hover:bg-gray-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand"
        >
          {copied ? t("copied") : t("copy")}
        </button>
        <pre
          className="max-h-96 overflow-auto whitespace-pre-wrap break-all text-xs"
          tabIndex={0}
          aria-label={imported ? t("sourceLabel") : t("label")}
        >
          {json}
        </pre>
      </div>
    </details>
  );
}
