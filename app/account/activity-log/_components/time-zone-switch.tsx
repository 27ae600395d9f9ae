import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { defaultRange, timeZoneSearchParams, type ActivityLogQuery } from "@/lib/activity-log-params";
import { ROUTES } from "@/lib/routes";
import { allTimeZones, offsetLabel } from "@/lib/time-zones";
import { AutoSubmitForm } from "./auto-submit-form";
import { BrowserZoneButton } from "./browser-zone-button";
import { Button } from "@/components/ui/button";

/*
 * Times are shown in UTC unless the reader picks a zone: any IANA zone (the customer's, not only
 * the browser's), from a list that applies when chosen, or their browser's in one click. The
 * choice lives in the URL (`tz`) like every other part of the view, so a shared link shows the
 * same times. Every link and the form's hidden fields come from toSearchParams: a new zone is a
 * new view, so the page position is dropped.
 */
export async function TimeZoneSwitch({ query, label }: { query: ActivityLogQuery; label: string }) {
  const t = await getTranslations("activityLog.timeZone");
  // The view without a zone: the picker adds the one chosen.
  const view = timeZoneSearchParams(query, "UTC");
  const zones = allTimeZones();
  if (!zones.includes(query.tz)) zones.unshift(query.tz);
  const now = new Date();

  return (
    <div className="flex flex-wrap items-center gap-2 text-sm text-gray-700" data-testid="time-zone">
      <span>{t.rich("timesIn", { zone: label, strong: (chunks) => <strong>{chunks}</strong> })}</span>
      <AutoSubmitForm
        action={ROUTES.activityLog}
        label={t("formLabel")}
        defaults={defaultRange(query.tz)}
        className="flex items-center gap-1"
        testId="time-zone-form"
      >
        {[...view].map(([name, value], i) => (
          <input key={`${name}-${i}`} type="hidden" name={name} value={value} />
        ))}
        <label htmlFor="time-zone-picker" className="sr-only">
          {t("label")}
        </label>
        <select
          id="time-zone-picker"
          name="tz"
          defaultValue={query.tz}
          className="max-w-[14rem] rounded border border-gray-300 bg-white px-2 py-1 text-sm focus:border-brand focus:outline-none focus:ring-1 focus:ring-brand"
        >
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {t("option", { zone, offset: offsetLabel(zone, now) })}
            </option>
          ))}
        </select>
        <Button type="submit" variant="secondary" size="sm">
          {t("show")}
        </Button>
      </AutoSubmitForm>
      {query.tz !== "UTC" ? (
        <Link href={`${ROUTES.activityLog}?${view}`} className="text-brand underline-offset-2 hover:underline">
          {t("showInUtc")}
        </Link>
      ) : (
        <BrowserZoneButton query={query} />
      )}
    </div>
  );
}
