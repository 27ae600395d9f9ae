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
import { formatDateTime, formatNumber } from "@/lib/format";
import { StatusBadge } from "./status-badge";
import { CopyButton } from "./copy-button";
import { LaterOutcomeNote, RelatedRecords, type OutcomeView, type RelatedRecordView } from "./related-records";
import { isJsonObject, type JsonObject } from "@/lib/json";
import type { OperationStatus } from "@/lib/domain";

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
    const m = LINE_ITEM_KEY.exec(pair.key);
    if (!m) {
      other.push(pair);
      continue;
    }
    const index = Number(m[2]);
    lines[index] = { ...lines[index], [m[1]]: pair.value };
  }
  return { lines: lines.filter(Boolean), other };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(sortedKeys(a)) === JSON.stringify(sortedKeys(b));
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (!isJsonObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortedKeys(value[k])]),
  );
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

  return (
    <section aria-label={t("sectionLabel", { action })} className="space-y-4" data-testid="activity-details">
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-2 lg:grid-cols-3">
        <Field label={t("action")} value={action}>
          {query && (
            <FilterLink href={filterHref(query, { action: record.operationType })} label={t("filterBy.action")} />
          )}
        </Field>
        <Field label={t("operationType")} value={record.operationType} mono />
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
        <p className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-900">
          <span className="font-semibold">{String(failure.errorCode)}</span>: {display(failure.errorMessage)}
        </p>
      )}

      {partnerCenter && partnerCenter.lines.length > 0 && <PartnerCenterLineItems lines={partnerCenter.lines} />}

      {lineItems ? (
        <LineItems items={lineItems} />
      ) : (
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
  children,
}: {
  count: number;
  columns: readonly LineItemColumn[];
  children: ReactNode;
}) {
  const t = useTranslations("activityLog.details.lineItems");
  return (
    <div>
      <h2 className="mb-1 text-sm font-semibold">
        {t.rich("heading", {
          count,
          muted: (chunks) => <span className="font-normal text-gray-600">{chunks}</span>,
        })}
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
                <th key={h} scope="col" className="px-3 py-1.5 text-left font-semibold">
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
  return (
    <LineItemsFrame count={items.length} columns={LINE_ITEM_COLUMNS}>
      {items.map((item, i) => (
        <tr key={i} data-testid="line-item">
          <td className="px-3 py-1 tabular-nums">{displayNumber(item.lineItemNumber ?? i + 1, locale)}</td>
          <td className="px-3 py-1">{display(item.offerName)}</td>
          <td className="px-3 py-1 tabular-nums">{displayNumber(item.quantity, locale)}</td>
          <td className="px-3 py-1">{display(item.termDuration)}</td>
          <td className="px-3 py-1">
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
  return (
    <LineItemsFrame count={lines.length} columns={PC_LINE_COLUMNS}>
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

/** Old -> new, field by field; the fields that changed are marked. */
function Changes({ oldValue, newValue }: { oldValue: unknown; newValue: unknown }) {
  const t = useTranslations("activityLog.details.changes");
  const before = isJsonObject(oldValue) ? oldValue : {};
  const after = isJsonObject(newValue) ? newValue : {};
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  if (fields.length === 0) return null;
  const hasOld = isJsonObject(oldValue);
  if (hasOld && isJsonObject(newValue) && sameJson(oldValue, newValue)) {
    return (
      <p className="text-sm text-gray-700" data-testid="no-changes">
        {t("noChanges")}
      </p>
    );
  }
  return (
    <div>
      <h2 className="mb-1 text-sm font-semibold">{hasOld ? t("changesHeading") : t("valuesHeading")}</h2>
      <table className="min-w-full rounded border border-gray-200 bg-white text-sm">
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
          {fields.map((field) => {
            const changed = hasOld && JSON.stringify(before[field]) !== JSON.stringify(after[field]);
            return (
              <tr key={field} className={changed ? "bg-yellow-50" : undefined} data-testid="change-row">
                <th scope="row" className="px-3 py-1 text-left font-medium">
                  {field}
                  {changed && <span className="ml-2 text-xs font-normal text-amber-800">{t("changed")}</span>}
                </th>
                {hasOld && <td className="break-all px-3 py-1">{display(before[field])}</td>}
                <td className="break-all px-3 py-1">{display(after[field])}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function RawJson({ record }: { record: RecordDetails }) {
  const t = useTranslations("activityLog.details.raw");
  const [copied, setCopied] = useState(false);
  const imported = isJsonObject(record.sourceRecord);
  const json = JSON.stringify(
    imported
      ? record.sourceRecord
      : {
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
          onClick={() => navigator.clipboard?.writeText(json).then(() => setCopied(true))}
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
