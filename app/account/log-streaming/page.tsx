import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import { getPageContext } from "@/lib/auth/page-context";
import { formatDateTime, formatNumber, timeZoneLabel } from "@/lib/format";
import { listFor } from "@/lib/streaming/settings";
import type { DestinationView } from "@/db/streaming/destinations";
import { DestinationForm } from "./_components/destination-form";
import { pauseAction, removeAction, replayAction, resumeAction, testAction } from "./actions";
import { buttonClass } from "@/components/ui/button";
import { DayField } from "@/components/ui/day-field";
import { TIME_INPUT_PATTERN } from "@/lib/day-text";
import { Cell, HeaderCell, Row, Table, TableBody, TableHead } from "@/components/ui/table";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("logStreaming");
  return { title: t("title") };
}

const NOTICES = ["paused", "resumed", "tested", "testFailed", "replayed", "removed", "invalid", "gone"] as const;

const button = buttonClass("secondary", "sm");

function state(d: DestinationView): "active" | "paused" | "off" | "retrying" {
  if (!d.enabled) return "off";
  if (d.pausedAt) return "paused";
  return d.consecutiveFailures > 0 ? "retrying" : "active";
}

const target = (d: DestinationView) => (d.kind === "syslog" ? `${d.tls ? "tls" : "tcp"}://${d.host}:${d.port}` : d.url);

/** Account settings → Log streaming: the tenant's destinations, their delivery status, and changes. */
export default async function LogStreamingPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await getPageContext({ permission: "manage_log_streaming" });
  const [destinations, t, locale, params] = await Promise.all([
    listFor(ctx),
    getTranslations("logStreaming"),
    getLocale(),
    searchParams,
  ]);
  const notice = NOTICES.find((n) => n === params.notice);
  const time = (date: Date | null) => (date ? `${formatDateTime(date, "UTC", locale)} ${timeZoneLabel("UTC")}` : "");

  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <p className="max-w-3xl text-sm text-gray-700">{t("intro")}</p>
      {notice && (
        <p role="status" className="rounded border border-green-300 bg-green-50 p-3 text-sm text-green-950">
          {t(`notices.${notice}`, { count: Number(params.count ?? 0) })}
        </p>
      )}
      {destinations.length === 0 ? (
        <p className="text-sm text-gray-700">{t("empty")}</p>
      ) : (
        <Table caption={t("caption")} data-testid="stream-destinations">
          <TableHead>
            {(["name", "target", "state", "delivered", "waiting", "lag", "lastError", "actions"] as const).map((h) => (
              <HeaderCell key={h}>{t(h)}</HeaderCell>
            ))}
          </TableHead>
          <TableBody>
            {destinations.map((d) => (
              <Row key={d.id} data-testid="stream-destination-row" className="align-top">
                <Cell>
                  <div className="font-medium">{d.name}</div>
                  <div className="text-gray-600">
                    {t(`kinds.${d.kind}`)} · {t(`formats.${d.format}`)}
                  </div>
                </Cell>
                <Cell className="break-all">{target(d)}</Cell>
                <Cell>
                  <div>{t(`states.${state(d)}`)}</div>
                  {d.pausedReason && <div className="text-gray-600">{d.pausedReason}</div>}
                </Cell>
                <Cell numeric>
                  <div>{formatNumber(d.deliveredCount, locale)}</div>
                  <div className="text-gray-600">{time(d.lastDeliveredAt)}</div>
                </Cell>
                <Cell numeric>{formatNumber(d.pending, locale)}</Cell>
                <Cell numeric>{t("lagSeconds", { seconds: formatNumber(Math.round(d.lagMs / 1000), locale) })}</Cell>
                <Cell>
                  {d.lastError ? (
                    <>
                      <div>{d.lastError}</div>
                      <div className="text-gray-600">{time(d.lastErrorAt)}</div>
                    </>
                  ) : (
                    t("noError")
                  )}
                </Cell>
                <Cell className="space-y-1">
                  <div className="flex flex-wrap gap-1">
                    <form action={d.pausedAt ? resumeAction : pauseAction}>
                      <input type="hidden" name="id" value={d.id} />
                      <button type="submit" className={button}>
                        {d.pausedAt ? t("resume") : t("pause")}
                      </button>
                    </form>
                    <form action={testAction}>
                      <input type="hidden" name="id" value={d.id} />
                      <button type="submit" className={button}>
                        {t("test")}
                      </button>
                    </form>
                    <form action={removeAction}>
                      <input type="hidden" name="id" value={d.id} />
                      <button type="submit" aria-label={t("removeFor", { name: d.name })} className={button}>
                        {t("remove")}
                      </button>
                    </form>
                  </div>
                  <form action={replayAction} className="flex flex-wrap items-end gap-1">
                    <input type="hidden" name="id" value={d.id} />
                    <div className="text-xs">
                      <label htmlFor={`replay-day-${d.id}`}>{t("replaySince")}</label>
                      <DayField
                        id={`replay-day-${d.id}`}
                        name="sinceDay"
                        day=""
                        locale={locale}
                        max={new Date().toISOString().slice(0, 10)}
                        required
                        pickLabel={t("replayPick", { name: d.name })}
                        className="w-28 rounded border border-gray-300 px-1 py-0.5 text-xs"
                      />
                    </div>
                    <div className="text-xs">
                      <label htmlFor={`replay-time-${d.id}`}>{t("replayTime")}</label>
                      <input
                        id={`replay-time-${d.id}`}
                        type="text"
                        inputMode="numeric"
                        name="sinceTime"
                        pattern={TIME_INPUT_PATTERN}
                        maxLength={5}
                        placeholder={t("replayTimePlaceholder")}
                        autoComplete="off"
                        className="mt-1 block w-16 rounded border border-gray-300 px-1 py-0.5 text-xs"
                      />
                    </div>
                    <button type="submit" className={button}>
                      {t("replay")}
                    </button>
                  </form>
                </Cell>
              </Row>
            ))}
          </TableBody>
        </Table>
      )}
      {destinations.map((d) => (
        <details key={d.id} className="max-w-3xl" data-testid="stream-destination-edit">
          <summary className="cursor-pointer text-sm font-medium">
            {t("change")}: {d.name}
          </summary>
          <DestinationForm
            destination={{
              id: d.id,
              name: d.name,
              kind: d.kind,
              url: d.url,
              host: d.host,
              port: d.port,
              tls: d.tls,
              tlsCa: d.tlsCa,
              format: d.format,
              batchSize: d.batchSize,
              statuses: d.statuses,
              operationTypes: d.operationTypes,
              customerIds: d.customerIds,
              enabled: d.enabled,
            }}
          />
        </details>
      ))}
      <DestinationForm />
    </div>
  );
}
