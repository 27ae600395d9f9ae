import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import { getPageContext } from "@/lib/auth/page-context";
import { formatDateTime, formatNumber } from "@/lib/format";
import { verifySeals } from "@/db/seals/verify-seals";
import { DEFAULT_SEAL_GRACE_MS, SEAL_PERIOD_MS } from "@/db/seals/seal-log";
import { Cell, HeaderCell, Row, Table, TableBody, TableHead } from "@/components/ui/table";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("logIntegrity");
  return { title: t("title") };
}

/**
 * The admin view of tamper evidence: recomputes this tenant's seals now (as `npm run verify-log`
 * does) and shows the first period whose rows no longer match what was sealed.
 */
export default async function LogIntegrityPage() {
  const ctx = await getPageContext({ permission: "verify_log" });
  const [result, t, locale] = await Promise.all([
    verifySeals({ tenantId: ctx.tenantId, cloud: ctx.cloud }),
    getTranslations("logIntegrity"),
    getLocale(),
  ]);
  const recent = [...result.periods].reverse().slice(0, 50);
  const time = (date: Date) => formatDateTime(date, "UTC", locale);
  const number = (n: number) => formatNumber(n, locale);
  // Nothing sealed yet is not "intact": there is nothing to compare with. It says so, and when the
  // oldest unsealed record's hour will be sealed (its end, plus the sealer's grace).
  const nothingSealed = result.ok && result.sealCount === 0;
  const firstSealAt = result.unsealed.since
    ? new Date(
        Math.floor(result.unsealed.since.getTime() / SEAL_PERIOD_MS) * SEAL_PERIOD_MS +
          SEAL_PERIOD_MS +
          DEFAULT_SEAL_GRACE_MS,
      )
    : null;
  const sealedUntil = result.periods.at(-1)?.periodEnd ?? null;
  const tone = nothingSealed
    ? "border-gray-300 bg-gray-50 text-gray-900"
    : result.ok
      ? "border-green-300 bg-green-50 text-green-950"
      : "border-red-300 bg-red-50 text-red-950";

  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <p className="max-w-3xl text-sm text-gray-700">{t("intro")}</p>
      <div
        role="status"
        data-testid="integrity-status"
        data-state={nothingSealed ? "unsealed" : result.ok ? "intact" : "changed"}
        className={`rounded border p-4 ${tone}`}
      >
        <p className="font-semibold">{nothingSealed ? t("nothingSealed") : result.ok ? t("intact") : t("changed")}</p>
        <p className="mt-1 text-sm">
          {nothingSealed
            ? firstSealAt
              ? t("firstSealAt", { time: time(firstSealAt) })
              : t("nothingToSeal")
            : t("summary", {
                seals: result.sealCount,
                rows: number(result.rowsChecked),
                time: time(result.checkedAt),
              })}{" "}
          {sealedUntil && t("sealedUntil", { time: time(sealedUntil) })}{" "}
          {result.unsealed.rows > 0 &&
            (result.unsealed.since
              ? t("unsealedSince", { rows: number(result.unsealed.rows), time: time(result.unsealed.since) })
              : t("unsealed", { rows: number(result.unsealed.rows) }))}
        </p>
        {result.firstFailure && (
          <p className="mt-2 text-sm" data-testid="first-failure">
            {t("firstFailure", {
              start: time(result.firstFailure.periodStart),
              end: time(result.firstFailure.periodEnd),
              status: t(`statuses.${result.firstFailure.status}`),
            })}{" "}
            {/* The verifier's own findings, word for word as `npm run verify-log` prints them. */}
            <span lang="en">{result.firstFailure.problems.join(" ")}</span>
          </p>
        )}
      </div>
      {recent.length > 0 && (
        <Table caption={t("caption")}>
          <TableHead>
            <HeaderCell>{t("period")}</HeaderCell>
            <HeaderCell align="right">{t("sealedRows")}</HeaderCell>
            <HeaderCell align="right">{t("actualRows")}</HeaderCell>
            <HeaderCell>{t("status")}</HeaderCell>
          </TableHead>
          <TableBody>
            {recent.map((p) => (
              <Row key={p.seq} className={p.status === "ok" ? "" : "bg-red-50"}>
                <Cell numeric>
                  {time(p.periodStart)} – {time(p.periodEnd)}
                </Cell>
                <Cell align="right" numeric>
                  {number(p.sealedRows)}
                </Cell>
                <Cell align="right" numeric>
                  {number(p.actualRows)}
                </Cell>
                <Cell>{t(`statuses.${p.status}`)}</Cell>
              </Row>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
