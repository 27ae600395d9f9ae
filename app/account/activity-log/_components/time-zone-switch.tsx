"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useSyncExternalStore } from "react";
import { useTranslations } from "next-intl";

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const noSubscription = () => () => {};

/**
 * Times are shown in UTC unless the user picks their browser's zone; the choice lives in the URL
 * (`tz`) like every other part of the view, so a shared link shows the same times.
 */
export function TimeZoneSwitch({ current, label }: { current: string; label: string }) {
  const t = useTranslations("activityLog.timeZone");
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const local = useSyncExternalStore(noSubscription, browserZone, () => null);

  const switchTo = (timeZone: string) => {
    const next = new URLSearchParams(searchParams.toString());
    if (timeZone === "UTC") next.delete("tz");
    else next.set("tz", timeZone);
    // The range is a pair of days in the zone, so a page position from another zone is stale.
    next.delete("cursor");
    next.delete("dir");
    router.push(`${pathname}?${next.toString()}`);
  };

  return (
    <p className="flex flex-wrap items-center gap-2 text-sm text-gray-700" data-testid="time-zone">
      <span>{t.rich("timesIn", { zone: label, strong: (chunks) => <strong>{chunks}</strong> })}</span>
      {current !== "UTC" ? (
        <button type="button" onClick={() => switchTo("UTC")} className="text-brand underline-offset-2 hover:underline">
          {t("showInUtc")}
        </button>
      ) : (
        local &&
        local !== "UTC" && (
          <button
            type="button"
            onClick={() => switchTo(local)}
            className="text-brand underline-offset-2 hover:underline"
          >
            {t("useMine", { zone: local })}
          </button>
        )
      )}
    </p>
  );
}
