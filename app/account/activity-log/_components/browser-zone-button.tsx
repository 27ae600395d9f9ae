"use client";

import { useRouter } from "next/navigation";
import { useSyncExternalStore } from "react";
import { useTranslations } from "next-intl";
import { timeZoneSearchParams, type ActivityLogQuery } from "@/lib/activity-log-params";
import { ROUTES } from "@/lib/routes";

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const noSubscription = () => () => {};

/** "Use my time zone (…)": the browser's zone, known only in the browser, so shown only there. */
export function BrowserZoneButton({ query }: { query: ActivityLogQuery }) {
  const t = useTranslations("activityLog.timeZone");
  const router = useRouter();
  const local = useSyncExternalStore(noSubscription, browserZone, () => null);
  if (!local || local === query.tz) return null;
  return (
    <button
      type="button"
      onClick={() => router.push(`${ROUTES.activityLog}?${timeZoneSearchParams(query, local)}`)}
      className="text-brand underline-offset-2 hover:underline"
    >
      {t("useMine", { zone: local })}
    </button>
  );
}
