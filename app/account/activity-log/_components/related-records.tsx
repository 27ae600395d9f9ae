"use client";

import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { asCatalog, translatedActionLabel, translatedStatusLabel } from "@/lib/activity-labels";
import { correlationSearchParams } from "@/lib/activity-log-params";
import { formatDateTime } from "@/lib/format";
import { ROUTES } from "@/lib/routes";
import { StatusBadge } from "./status-badge";
import type { OperationStatus } from "@/lib/domain";

export interface RelatedRecordView {
  id: number;
  occurredAt: string;
  operationType: string;
  operationStatus: OperationStatus;
  customerName: string | null;
  userPrincipalName: string;
}

export interface OutcomeView {
  status: "succeeded" | "failed";
  occurredAt: string;
}

/** How an operation in progress ended, once a later record of it says so. */
export function LaterOutcomeNote({ outcome, timeZone }: { outcome: OutcomeView; timeZone: string }) {
  const t = useTranslations("activityLog.details.related.outcome");
  const locale = useLocale();
  const time = formatDateTime(new Date(outcome.occurredAt), timeZone, locale);
  return (
    <p
      className={`rounded border p-3 text-sm ${outcome.status === "succeeded" ? "border-green-200 bg-green-50 text-green-900" : "border-red-200 bg-red-50 text-red-900"}`}
      data-testid="later-outcome"
    >
      {t(outcome.status, { time })}
    </p>
  );
}

/**
 * The other records of this record's operation (same correlation id), oldest first. Each opens
 * the log filtered by the correlation id, over the days the operation's records fall on.
 */
export function RelatedRecords({
  correlationId,
  self,
  records,
  more,
  timeZone,
}: {
  correlationId: string;
  self: { occurredAt: string };
  records: RelatedRecordView[];
  more: boolean;
  timeZone: string;
}) {
  const t = useTranslations("activityLog.details.related");
  const labels = asCatalog(useTranslations());
  const locale = useLocale();
  const instants = [self.occurredAt, ...records.map((r) => r.occurredAt)].map((at) => new Date(at));
  const href = `${ROUTES.activityLog}?${correlationSearchParams(correlationId, instants, timeZone)}`;
  return (
    <section aria-labelledby={`related-${correlationId}`} data-testid="related-records">
      <h2 id={`related-${correlationId}`} className="mb-1 text-sm font-semibold">
        {t("heading")}
      </h2>
      {records.length === 0 ? (
        <p className="text-sm text-gray-700">{t("none")}</p>
      ) : (
        <>
          <ul className="divide-y divide-gray-100 rounded border border-gray-200 bg-white text-sm">
            {records.map((record) => (
              <li
                key={record.id}
                className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-1.5"
                data-testid="related-record"
              >
                <time dateTime={record.occurredAt} className="whitespace-nowrap tabular-nums text-gray-700">
                  {formatDateTime(new Date(record.occurredAt), timeZone, locale)}
                </time>
                <Link href={href} className="text-brand underline-offset-2 hover:underline">
                  {translatedActionLabel(labels, record.operationType)}
                </Link>
                <StatusBadge
                  status={record.operationStatus}
                  label={translatedStatusLabel(labels, record.operationStatus)}
                />
                {record.customerName && <span className="text-gray-700">{record.customerName}</span>}
              </li>
            ))}
          </ul>
          {more && <p className="mt-1 text-xs text-gray-600">{t("more", { count: records.length })}</p>}
          <p className="mt-1 text-sm">
            <Link href={href} className="text-brand underline-offset-2 hover:underline" data-testid="related-open-all">
              {t("openAll")}
            </Link>
          </p>
        </>
      )}
    </section>
  );
}
