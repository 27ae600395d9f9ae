"use client";

import { Fragment, useMemo, useState } from "react";
import { useTranslations } from "next-intl";
import { useTable, type ExpandedState } from "@tanstack/react-table";
import type { ActivityRowView } from "./activity-row";
import { activityTableFeatures, getActivityColumns } from "./activity-table-columns";
import { ActivityDetails } from "./activity-details";
import type { ActivityLogQuery } from "@/lib/activity-log-params";

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
  const columns = useMemo(() => getActivityColumns(timeZoneLabel, t), [timeZoneLabel, t]);
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
    // From lg up the table fits, so the wrapper stops being a scroll box and the header can stick
    // to the viewport; a narrower screen scrolls the table sideways instead.
    <div className="overflow-x-auto rounded border border-gray-200 bg-white lg:overflow-x-visible">
      <table className="min-w-full divide-y divide-gray-200 text-sm">
        <caption className="sr-only">{t("caption")}</caption>
        <thead className="bg-gray-50 lg:sticky lg:top-0 lg:z-10 lg:shadow-sm" data-testid="table-head">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th
                  key={header.id}
                  scope="col"
                  aria-sort={header.column.id === "occurredAt" ? "descending" : undefined}
                  className={`px-3 py-2 text-left font-semibold text-gray-700 ${header.column.id === "expand" ? "w-10" : ""}`}
                >
                  {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody className="divide-y divide-gray-100">
          {table.getRowModel().rows.map((row) => (
            <Fragment key={row.id}>
              <tr className={row.getIsExpanded() ? "bg-blue-50/50" : "hover:bg-gray-50"} data-testid="activity-row">
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} className="px-3 py-2 align-top">
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
              {row.getIsExpanded() && (
                <tr id={`details-${row.id}`} className="bg-blue-50/30">
                  <td colSpan={columnCount} className="px-3 py-3">
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
