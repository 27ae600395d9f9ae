import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { SavedView } from "@/db/saved-views";
import type { ActivityLogQuery } from "@/lib/activity-log-params";
import { ROUTES } from "@/lib/routes";
import { filtersOf, MAX_VIEW_NAME_LENGTH } from "@/lib/saved-views";
import { clearDefaultViewAction, deleteViewAction, setDefaultViewAction } from "../actions";
import { RenameViewForm } from "./rename-view-form";
import { SaveViewForm } from "./save-view-form";

/** Opens the log with no view, even for a reader who has a default one. */
export const NO_VIEW_PARAM = "view";
export const NO_VIEW_VALUE = "none";

const smallButton =
  "rounded border border-gray-300 px-2 py-0.5 text-xs text-gray-800 hover:bg-gray-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand";

/**
 * The reader's saved views and those shared with the tenant, behind one disclosure (it opens
 * without JavaScript): each opens the log with its filters; the reader's own can be renamed and
 * deleted, and any can be the view the log opens with. Below them, the current filters can be saved.
 */
export async function SavedViews({ query, views }: { query: ActivityLogQuery; views: SavedView[] }) {
  const t = await getTranslations("activityLog.savedViews");
  const filters = filtersOf(query);
  const current = views.find((v) => v.query === filters);
  const hasDefault = views.some((v) => v.isDefault);
  const hrefOf = (v: SavedView) => (v.query ? `${ROUTES.activityLog}?${v.query}` : ROUTES.activityLog);
  return (
    // Keyed by the filters: choosing a view (or leaving one) closes the menu; a save keeps it open.
    <details key={filters} className="relative text-sm" data-testid="saved-views">
      <summary
        className="inline-flex cursor-pointer list-none items-center gap-2 rounded border border-gray-300 bg-white px-3 py-1.5 focus:border-brand focus:outline-none focus:ring-1 focus:ring-brand [&::-webkit-details-marker]:hidden"
        data-testid="saved-views-summary"
      >
        <span>{current ? t("summaryCurrent", { name: current.name }) : t("summary", { count: views.length })}</span>
        <span aria-hidden="true" className="text-gray-500">
          ▾
        </span>
      </summary>
      <div className="absolute left-0 z-30 mt-1 w-96 max-w-[90vw] space-y-3 rounded border border-gray-300 bg-white p-3 shadow-lg">
        <section aria-labelledby="saved-views-heading">
          <h2 id="saved-views-heading" className="font-medium">
            {t("heading")}
          </h2>
          {views.length === 0 ? (
            <p className="mt-1 text-gray-600">{t("none")}</p>
          ) : (
            <ul className="mt-1 space-y-2" data-testid="saved-views-list">
              {views.map((v) => (
                <li key={v.id} className="flex flex-wrap items-center gap-x-2 gap-y-1" data-testid="saved-view">
                  <Link
                    href={hrefOf(v)}
                    aria-current={v === current ? "true" : undefined}
                    className={`break-all text-brand underline-offset-2 hover:underline ${v === current ? "font-semibold" : ""}`}
                  >
                    {v.name}
                  </Link>
                  {v.isDefault && (
                    <span className="rounded bg-blue-50 px-1.5 text-xs text-blue-900">{t("defaultBadge")}</span>
                  )}
                  {v.shared && (
                    <span className="rounded bg-gray-100 px-1.5 text-xs text-gray-800">
                      {v.own ? t("sharedBadge") : t("sharedBy", { user: v.ownerPrincipalName })}
                    </span>
                  )}
                  {/*
                    The row's buttons wrap as one group. Rename comes last: opened (or once it has
                    renamed), its form and its message take a line of their own below the buttons.
                  */}
                  <span className="ml-auto flex flex-wrap justify-end gap-x-2 gap-y-1 has-[[role=status]]:basis-full has-[details[open]]:basis-full">
                    <form action={v.isDefault ? clearDefaultViewAction : setDefaultViewAction}>
                      <input type="hidden" name="id" value={v.id} />
                      <input type="hidden" name="filters" value={filters} />
                      <button
                        type="submit"
                        className={smallButton}
                        aria-label={t(v.isDefault ? "clearDefaultOf" : "setDefaultOf", { name: v.name })}
                      >
                        {t(v.isDefault ? "clearDefault" : "setDefault")}
                      </button>
                    </form>
                    {v.own && (
                      <form action={deleteViewAction}>
                        <input type="hidden" name="id" value={v.id} />
                        <input type="hidden" name="filters" value={filters} />
                        <button type="submit" className={smallButton} aria-label={t("deleteOf", { name: v.name })}>
                          {t("delete")}
                        </button>
                      </form>
                    )}
                    {v.own && (
                      <RenameViewForm
                        id={v.id}
                        name={v.name}
                        filters={filters}
                        maxLength={MAX_VIEW_NAME_LENGTH}
                        buttonClass={smallButton}
                      />
                    )}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {hasDefault && (
            <p className="mt-2">
              <Link
                href={`${ROUTES.activityLog}?${NO_VIEW_PARAM}=${NO_VIEW_VALUE}`}
                className="text-brand underline-offset-2 hover:underline"
                data-testid="no-view"
              >
                {t("noView")}
              </Link>
            </p>
          )}
        </section>
        <SaveViewForm filters={filters} maxLength={MAX_VIEW_NAME_LENGTH} />
      </div>
    </details>
  );
}
