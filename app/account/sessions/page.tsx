import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import { getActiveSessions } from "@/db/queries/user-sessions";
import { getPageContext } from "@/lib/auth/page-context";
import { sessionPolicy } from "@/lib/auth/session-policy";
import { currentSessionId } from "@/lib/auth/tenant-context";
import { can } from "@/lib/auth/permissions";
import { formatDateTime, timeZoneLabel } from "@/lib/format";
import { browserLabel } from "@/lib/user-agent";
import { endSessionAction, signOutEverywhereAction } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("sessions");
  return { title: t("title") };
}

const NOTICES = ["ended", "gone"] as const;

/**
 * Who is signed in. A global admin sees the tenant's live sessions and can end any of them;
 * everyone sees their own and can sign out everywhere.
 */
export default async function SessionsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await getPageContext();
  const admin = can(ctx.role, "manage_sessions");
  const policy = sessionPolicy();
  const [sessions, thisSession, t, locale, params] = await Promise.all([
    getActiveSessions({ ctx, now: new Date(), idleMs: policy.idleMs, maxMs: policy.maxMs, ownOnly: !admin }),
    currentSessionId(),
    getTranslations("sessions"),
    getLocale(),
    searchParams,
  ]);
  const notice = NOTICES.find((n) => n === params.notice);
  const time = (date: Date) => `${formatDateTime(date, "UTC", locale)} ${timeZoneLabel("UTC")}`;

  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <p className="max-w-3xl text-sm text-gray-700">
        {admin ? t("introAdmin") : t("introOwn")}{" "}
        {t("policy", { minutes: policy.idleMs / 60_000, hours: policy.maxMs / 3_600_000 })}
      </p>
      {notice && (
        <p role="status" className="rounded border border-green-300 bg-green-50 p-3 text-sm text-green-950">
          {t(`notices.${notice}`)}
        </p>
      )}
      <div className="overflow-x-auto rounded border border-gray-200 bg-white">
        <table className="min-w-full divide-y divide-gray-200 text-sm max-sm:block" data-testid="sessions-table">
          <caption className="sr-only">{t("caption")}</caption>
          <thead className="bg-gray-50 max-sm:sr-only">
            <tr>
              <th scope="col" className="px-3 py-2 text-left font-semibold">
                {t("user")}
              </th>
              <th scope="col" className="px-3 py-2 text-left font-semibold">
                {t("since")}
              </th>
              <th scope="col" className="px-3 py-2 text-left font-semibold">
                {t("lastSeen")}
              </th>
              <th scope="col" className="px-3 py-2 text-left font-semibold">
                {t("browser")}
              </th>
              <th scope="col" className="px-3 py-2 text-left font-semibold">
                <span className="sr-only">{t("actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-gray-100 max-sm:block">
            {sessions.map((s) => (
              <tr key={s.id} data-testid="session-row" className="max-sm:block max-sm:py-2">
                <td className="px-3 py-2 max-sm:block max-sm:py-0.5">
                  <div className="font-medium">{s.displayName}</div>
                  <div className="text-gray-600">{s.userPrincipalName}</div>
                </td>
                <td className="px-3 py-2 whitespace-nowrap tabular-nums max-sm:block max-sm:py-0.5">
                  <span className="text-gray-600 sm:hidden">{t("since")}: </span>
                  {time(s.createdAt)}
                </td>
                <td className="px-3 py-2 whitespace-nowrap tabular-nums max-sm:block max-sm:py-0.5">
                  <span className="text-gray-600 sm:hidden">{t("lastSeen")}: </span>
                  {time(s.lastSeenAt)}
                </td>
                <td className="px-3 py-2 max-sm:block max-sm:py-0.5">
                  <span className="text-gray-600 sm:hidden">{t("browser")}: </span>
                  {browserLabel(s.userAgent) ?? t("unknownBrowser")}
                </td>
                <td className="px-3 py-2 text-right max-sm:block max-sm:py-1 max-sm:text-left">
                  {s.id === thisSession ? (
                    <span className="rounded bg-gray-100 px-2 py-1 text-xs font-medium text-gray-800">
                      {t("thisSession")}
                    </span>
                  ) : (
                    admin && (
                      <form action={endSessionAction}>
                        <input type="hidden" name="sessionId" value={s.id} />
                        <button
                          type="submit"
                          aria-label={t("endFor", { user: s.userPrincipalName })}
                          className="rounded border border-red-300 bg-white px-3 py-1 text-sm font-medium text-red-800 hover:bg-red-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-red-600 focus-visible:ring-offset-2"
                        >
                          {t("end")}
                        </button>
                      </form>
                    )
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="max-w-3xl rounded border border-gray-200 bg-white p-4" aria-labelledby="everywhere-heading">
        <h2 id="everywhere-heading" className="font-semibold">
          {t("everywhereTitle")}
        </h2>
        <p className="mt-1 text-sm text-gray-700">{t("everywhereBody")}</p>
        <form action={signOutEverywhereAction} className="mt-3">
          <button
            type="submit"
            className="rounded bg-brand px-4 py-2 text-sm font-medium text-white hover:bg-brand-dark focus:outline-none focus-visible:ring-2 focus-visible:ring-brand focus-visible:ring-offset-2"
          >
            {t("everywhere")}
          </button>
        </form>
      </section>
    </div>
  );
}
