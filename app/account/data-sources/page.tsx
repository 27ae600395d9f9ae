import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import { getConnectionStatus } from "@/db/partner-center-connection";
import { getPageContext } from "@/lib/auth/page-context";
import { formatDateTime, formatNumber, timeZoneLabel } from "@/lib/format";
import { defaultApiBase } from "@/lib/partner-center/sync/authority";
import { daysBehind, firstSyncedDay } from "@/lib/partner-center/sync/days-behind";
import { syncNowAction } from "./actions";
import { ConnectionForm } from "./_components/connection-form";
import { TestConnection } from "./_components/test-connection";
import { Button } from "@/components/ui/button";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("dataSources");
  return { title: t("title") };
}

const NOTICES = ["syncRequested", "notConfigured"] as const;

/** Where outside records come from: the tenant's Partner Center connection and its sync, for global admins. */
export default async function DataSourcesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await getPageContext({ permission: "manage_data_sources" });
  const now = new Date();
  const [status, t, tClouds, locale, params] = await Promise.all([
    getConnectionStatus({ ctx, since: firstSyncedDay(now) }),
    getTranslations("dataSources"),
    getTranslations("clouds"),
    getLocale(),
    searchParams,
  ]);
  const notice = NOTICES.find((n) => n === params.notice);
  const time = (date: Date | null, otherwise: string) =>
    date ? `${formatDateTime(date, "UTC", locale)} ${timeZoneLabel("UTC")}` : otherwise;
  const state = !status ? "notConfigured" : status.enabled ? "enabled" : "disabled";
  const next = !status?.enabled
    ? t("status.notScheduled")
    : !status.nextRunAt || status.nextRunAt <= now
      ? t("status.soon")
      : time(status.nextRunAt, t("status.notScheduled"));
  const rows: Array<{ key: string; label: string; value: string; alert?: boolean }> = status
    ? [
        { key: "lastSuccess", label: t("status.lastSuccess"), value: time(status.lastSuccessAt, t("status.never")) },
        {
          key: "daysBehind",
          label: t("status.daysBehind"),
          value: t("status.daysBehindValue", { days: daysBehind(now, status.completedDays) }),
        },
        { key: "recordsLastRun", label: t("status.recordsLastRun"), value: formatNumber(status.lastRunStored, locale) },
        { key: "recordsInAll", label: t("status.recordsInAll"), value: formatNumber(status.totalStored, locale) },
        { key: "nextRun", label: t("status.nextRun"), value: next },
        {
          key: "lastError",
          label: t("status.lastError"),
          value: status.lastError ?? t("status.none"),
          alert: !!status.lastError,
        },
      ]
    : [];

  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <p className="max-w-3xl text-sm text-gray-700">{t("intro")}</p>
      {notice && (
        <p role="status" className="max-w-3xl rounded border border-green-300 bg-green-50 p-3 text-sm text-green-950">
          {t(`notices.${notice}`)}
        </p>
      )}
      <section
        aria-labelledby="partner-center-heading"
        className="max-w-3xl rounded border border-gray-200 bg-white p-4"
        data-testid="partner-center"
      >
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="partner-center-heading" className="text-lg font-semibold">
            {t("partnerCenter")}
          </h2>
          <span
            data-testid="sync-state"
            className={`rounded px-2 py-0.5 text-xs font-medium ${state === "enabled" ? "bg-green-100 text-green-900" : "bg-gray-100 text-gray-800"}`}
          >
            {t(`state.${state}`)}
          </span>
        </div>
        <p className="mt-1 text-sm text-gray-700">{t("partnerCenterIntro", { cloud: tClouds(ctx.cloud) })}</p>
        {status && (
          <>
            <h3 className="mt-4 font-semibold">{t("status.heading")}</h3>
            <dl
              data-testid="sync-status"
              className="mt-2 grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]"
            >
              {rows.map((row) => (
                <div key={row.key} data-testid={`status-${row.key}`} className="contents">
                  <dt className="text-gray-600">{row.label}</dt>
                  <dd className={`break-words ${row.alert ? "font-medium text-red-800" : "tabular-nums"}`}>
                    {row.value}
                  </dd>
                </div>
              ))}
            </dl>
            <div className="mt-4 flex flex-wrap items-start gap-3">
              <form action={syncNowAction}>
                <Button type="submit">{t("actions.syncNow")}</Button>
              </form>
              <TestConnection />
            </div>
          </>
        )}
      </section>
      <ConnectionForm
        current={{
          configured: !!status,
          clientId: status?.clientId ?? "",
          baseUrl: status?.baseUrl ?? defaultApiBase(),
          enabled: status?.enabled ?? true,
          appAndUser: status?.hasRefreshToken ?? false,
        }}
      />
    </div>
  );
}
