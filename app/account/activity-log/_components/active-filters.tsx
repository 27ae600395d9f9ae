import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { PartnerUserOption } from "@/db/queries/customers";
import { asCatalog, translatedActionLabel, translatedStatusLabel } from "@/lib/activity-labels";
import { toSearchParams, type ActivityLogOverrides, type ActivityLogQuery } from "@/lib/activity-log-params";
import { ROUTES } from "@/lib/routes";

/*
 * The filters in force, above the results, each a link that removes it (the rest of the view
 * stays), and one that removes them all but the period and zone. Plain links: no JavaScript needed.
 * The correlation filter has its own banner in the form.
 */
export async function ActiveFilters({ query, users }: { query: ActivityLogQuery; users: PartnerUserOption[] }) {
  const t = await getTranslations("activityLog.chips");
  const labels = asCatalog(await getTranslations());
  const userName = (upn: string) =>
    users.find((u) => u.userPrincipalName.toLowerCase() === upn.toLowerCase())?.displayName ?? upn;
  const chips: { key: string; kind?: string; text: string; without: ActivityLogOverrides }[] = [];
  if (query.q) chips.push({ key: "q", text: t("search", { value: query.q }), without: { q: null } });
  if (query.customer)
    chips.push({ key: "customer", text: t("customer", { value: query.customer }), without: { customer: null } });
  // One chip per value: removing one status keeps the others.
  for (const action of query.action)
    chips.push({
      key: `action-${action}`,
      kind: "action",
      text: t(query.excludeActions ? "actionExcluded" : "action", { value: translatedActionLabel(labels, action) }),
      without: { action: query.action.filter((a) => a !== action) },
    });
  for (const user of query.user)
    chips.push({
      key: `user-${user}`,
      kind: "user",
      text: t("user", { value: userName(user) }),
      without: { user: query.user.filter((u) => u !== user) },
    });
  for (const status of query.status)
    chips.push({
      key: `status-${status}`,
      kind: "status",
      text: t("status", { value: translatedStatusLabel(labels, status) }),
      without: { status: query.status.filter((s) => s !== status) },
    });
  if (query.includeLogAccess) chips.push({ key: "access", text: t("access"), without: { includeLogAccess: false } });
  if (chips.length === 0) return null;
  const href = (without: ActivityLogOverrides) => `${ROUTES.activityLog}?${toSearchParams(query, without)}`;
  const none: ActivityLogOverrides = {
    q: null,
    customer: null,
    action: null,
    excludeActions: false,
    user: null,
    status: null,
    includeLogAccess: false,
  };
  return (
    <nav aria-label={t("label")} data-testid="active-filters">
      <ul className="flex flex-wrap items-center gap-2 text-sm">
        {chips.map((chip) => (
          <li key={chip.key}>
            <Link
              href={href(chip.without)}
              aria-label={t("remove", { name: chip.text })}
              data-testid={`chip-${chip.kind ?? chip.key}`}
              className="inline-flex items-center gap-1 rounded-full border border-brand bg-blue-50 px-3 py-0.5 text-brand hover:bg-blue-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand"
            >
              <span>{chip.text}</span>
              <span aria-hidden="true">×</span>
            </Link>
          </li>
        ))}
        {chips.length > 1 && (
          <li>
            <Link href={href(none)} className="text-brand underline-offset-2 hover:underline">
              {t("clearAll")}
            </Link>
          </li>
        )}
      </ul>
    </nav>
  );
}
