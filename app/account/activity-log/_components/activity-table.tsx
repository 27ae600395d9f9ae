"use client";

import { Fragment, useMemo, useState } from "react";
import { useTranslations } from "next-intl";
import { useTable, type ExpandedState } from "@tanstack/react-table";
import type { ActivityRowView } from "./activity-row";
import { activityTableFeatures, getActivityColumns } from "./activity-table-columns";
import { ActivityDetails } from "./activity-details";
import { toSearchParams, type ActivityLogQuery } from "@/lib/activity-log-params";
import { ROUTES } from "@/lib/routes";

/*
 * Where each cell sits on a phone's card: the button at the left of every line, time and status
 * on the first, then customer, action and user one a line. From md the cells are a table's again.
 */
const CARD_CELL: Record<string, string> = {
  expand: "row-span-4 md:row-span-1",
  occurredAt: "col-start-2 text-xs text-gray-700 md:text-sm md:text-inherit",
  status: "col-start-3 row-start-1 justify-self-end md:justify-self-auto",
  customer: "col-span-2 col-start-2 font-medium md:font-normal",
  action: "col-span-2 col-start-2",
  user: "col-span-2 col-start-2 text-xs text-gray-700 md:hidden lg:table-cell lg:text-sm",
};

/*
 * The page of rows the server chose (paging, filtering and ordering are the server's: manual).
 * Expanding a row mounts its details panel, which loads the record's large part only then.
 */
export function ActivityTable({
  rows,
  timeZoneLabel,
  timeZone,
  query,
}: {
  rows: ActivityRowView[];
  timeZoneLabel: string;
  timeZone: string;
  /** The current view, for the details' "show only" links. */
  query: ActivityLogQuery;
}) {
  const t = useTranslations("activityLog.table");
  const columns = useMemo(
    () => getActivityColumns(timeZoneLabel, t, (filter) => `${ROUTES.activityLog}?${toSearchParams(query, filter)}`),
    [timeZoneLabel, t, query],
  );
  // A permalink's record opens expanded.
  const [expanded, setExpanded] = useState<ExpandedState>(query.record ? { [String(query.record)]: true } : {});
  const table = useTable({
    features: activityTableFeatures,
    columns,
    data: rows,
    getRowId: (row) => String(row.id),
    getRowCanExpand: () => true,
    manualExpanding: true,
    state: { expanded },
    onExpandedChange: setExpanded,
  });
  const columnCount = table.getAllLeafColumns().length;

  return (
    // Below md each row is a card (the table's parts laid out as blocks, each cell naming its
    // column); from md the table, with the partner user folded into the details until lg. From lg
    // up the table fits, so the wrapper stops being a scroll box and the header can stick.
    <div className="rounded border border-gray-200 bg-white md:overflow-x-auto lg:overflow-x-visible">
      <table className="block w-full text-sm md:table md:min-w-full md:divide-y md:divide-gray-200">
        <caption className="sr-only">{t("caption")}</caption>
        <thead
          className="hidden bg-gray-50 md:table-header-group lg:sticky lg:top-0 lg:z-10 lg:shadow-sm"
          data-testid="table-head"
        >
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th
                  key={header.id}
                  scope="col"
                  aria-sort={header.column.id === "occurredAt" ? "descending" : undefined}
                  className={`px-3 py-2 text-left font-semibold text-gray-700 ${header.column.id === "expand" ? "w-10" : ""} ${header.column.id === "user" ? "hidden lg:table-cell" : ""}`}
                >
                  {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody className="block divide-y divide-gray-200 md:table-row-group md:divide-gray-100">
          {table.getRowModel().rows.map((row) => (
            <Fragment key={row.id}>
              <tr
                className={`grid grid-cols-[auto_minmax(0,1fr)_auto] gap-x-2 gap-y-0.5 px-2 py-2 md:table-row md:p-0 ${row.getIsExpanded() ? "bg-blue-50/50" : "hover:bg-gray-50"}`}
                data-testid="activity-row"
              >
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} className={`min-w-0 align-top md:px-3 md:py-2 ${CARD_CELL[cell.column.id] ?? ""}`}>
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
              {row.getIsExpanded() && (
                <tr id={`details-${row.id}`} className="block bg-blue-50/30 md:table-row">
                  <td colSpan={columnCount} className="block min-w-0 px-2 py-3 md:table-cell md:px-3">
                    <ActivityDetails
                      id={row.original.id}
                      occurredAt={row.original.occurredAt}
                      timeZone={timeZone}
                      query={query}
                    />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
