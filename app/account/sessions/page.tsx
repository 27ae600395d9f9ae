import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import { getActiveSessions } from "@/db/queries/user-sessions";
import { getPageContext } from "@/lib/auth/page-context";
import { sessionPolicy } from "@/lib/auth/session-policy";
import { currentSessionId } from "@/lib/auth/tenant-context";
import { can } from "@/lib/auth/permissions";
import { formatDateTime, timeZoneLabel } from "@/lib/format";
import { browserLabel } from "@/lib/user-agent";
import { Button } from "@/components/ui/button";
import { Cell, HeaderCell, Row, Table, TableBody, TableHead } from "@/components/ui/table";
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
      <Table caption={t("caption")} stacked data-testid="sessions-table">
        <TableHead stacked>
          <HeaderCell>{t("user")}</HeaderCell>
          <HeaderCell>{t("since")}</HeaderCell>
          <HeaderCell>{t("lastSeen")}</HeaderCell>
          <HeaderCell>{t("browser")}</HeaderCell>
          <HeaderCell>
            <span className="sr-only">{t("actions")}</span>
          </HeaderCell>
        </TableHead>
        <TableBody stacked>
          {sessions.map((s) => (
            <Row key={s.id} stacked data-testid="session-row">
              <Cell stacked>
                <div className="font-medium">{s.displayName}</div>
                <div className="text-gray-600">{s.userPrincipalName}</div>
              </Cell>
              <Cell stacked numeric nowrap>
                <span className="text-gray-600 sm:hidden">{t("since")}: </span>
                {time(s.createdAt)}
              </Cell>
              <Cell stacked numeric nowrap>
                <span className="text-gray-600 sm:hidden">{t("lastSeen")}: </span>
                {time(s.lastSeenAt)}
              </Cell>
              <Cell stacked>
                <span className="text-gray-600 sm:hidden">{t("browser")}: </span>
                {browserLabel(s.userAgent) ?? t("unknownBrowser")}
              </Cell>
              <Cell stacked align="right" className="max-sm:text-left">
                {s.id === thisSession ? (
                  <span className="rounded bg-gray-100 px-2 py-1 text-xs font-medium text-gray-800">
                    {t("thisSession")}
                  </span>
                ) : (
                  admin && (
                    <form action={endSessionAction}>
                      <input type="hidden" name="sessionId" value={s.id} />
                      <Button
                        type="submit"
                        variant="danger"
                        size="md"
                        aria-label={t("endFor", { user: s.userPrincipalName })}
                      >
                        {t("end")}
                      </Button>
                    </form>
                  )
                )}
              </Cell>
            </Row>
          ))}
        </TableBody>
      </Table>
      <section className="max-w-3xl rounded border border-gray-200 bg-white p-4" aria-labelledby="everywhere-heading">
        <h2 id="everywhere-heading" className="font-semibold">
          {t("everywhereTitle")}
        </h2>
        <p className="mt-1 text-sm text-gray-700">{t("everywhereBody")}</p>
        <form action={signOutEverywhereAction} className="mt-3">
          <Button type="submit">{t("everywhere")}</Button>
        </form>
      </section>
    </div>
  );
}
