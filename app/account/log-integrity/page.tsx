import type { Metadata } from "next";
import { getPageContext } from "@/lib/auth/page-context";
import { formatDateTime, formatNumber } from "@/lib/format";
import { verifySeals } from "@/lib/seal/verify-seals";

export const metadata: Metadata = { title: "Log integrity" };

const STATUS_TEXT = {
  ok: "Intact",
  seal_altered: "Seal altered",
  chain_broken: "Chain broken",
  rows_missing: "Rows removed",
  rows_added: "Rows inserted after sealing",
  rows_changed: "Rows changed",
} as const;

/**
 * The admin view of tamper evidence: recomputes this tenant's seals now (as `npm run verify-log`
 * does) and shows the first period whose rows no longer match what was sealed.
 */
export default async function LogIntegrityPage() {
  const ctx = await getPageContext({ permission: "verify_log" });
  const result = await verifySeals({ tenantId: ctx.tenantId, cloud: ctx.cloud });
  const recent = [...result.periods].reverse().slice(0, 50);

  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Log integrity</h1>
      <p className="max-w-3xl text-sm text-gray-700">
        Every hour of stored activity is sealed with a hash over its records, chained to the previous seal. This page
        recomputes the seals now: any record changed, removed or inserted after sealing breaks the period it belongs to.
      </p>
      <div
        role="status"
        data-testid="integrity-status"
        className={`rounded border p-4 ${result.ok ? "border-green-300 bg-green-50 text-green-950" : "border-red-300 bg-red-50 text-red-950"}`}
      >
        <p className="font-semibold">{result.ok ? "The log is intact." : "The log was changed after sealing."}</p>
        <p className="mt-1 text-sm">
          {formatNumber(result.sealCount)} seals, {formatNumber(result.rowsChecked)} records checked at {formatDateTime(result.checkedAt, "UTC")} UTC.{" "}
          {result.unsealed.rows > 0 &&
            `${formatNumber(result.unsealed.rows)} newer records are not sealed yet${result.unsealed.since ? ` (since ${formatDateTime(result.unsealed.since, "UTC")} UTC)` : ""}.`}
        </p>
        {result.firstFailure && (
          <p className="mt-2 text-sm" data-testid="first-failure">
            First failing period: {formatDateTime(result.firstFailure.periodStart, "UTC")} – {formatDateTime(result.firstFailure.periodEnd, "UTC")} UTC:{" "}
            {result.firstFailure.problems.join(" ")}
          </p>
        )}
      </div>
      {recent.length > 0 && (
        <div className="overflow-x-auto rounded border border-gray-200 bg-white">
          <table className="min-w-full divide-y divide-gray-200 text-sm">
            <caption className="sr-only">Most recent sealed periods</caption>
            <thead className="bg-gray-50">
              <tr>
                <th scope="col" className="px-3 py-2 text-left font-semibold">Period (UTC)</th>
                <th scope="col" className="px-3 py-2 text-right font-semibold">Sealed records</th>
                <th scope="col" className="px-3 py-2 text-right font-semibold">Records now</th>
                <th scope="col" className="px-3 py-2 text-left font-semibold">Status</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-gray-100">
              {recent.map((p) => (
                <tr key={p.seq} className={p.status === "ok" ? undefined : "bg-red-50"}>
                  <td className="px-3 py-2 tabular-nums">
                    {formatDateTime(p.periodStart, "UTC")} – {formatDateTime(p.periodEnd, "UTC")}
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatNumber(p.sealedRows)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatNumber(p.actualRows)}</td>
                  <td className="px-3 py-2">{STATUS_TEXT[p.status]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
