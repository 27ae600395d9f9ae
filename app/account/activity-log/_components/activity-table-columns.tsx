"use client";

import Link from "next/link";
import type { useTranslations } from "next-intl";
import { createColumnHelper, rowExpandingFeature, tableFeatures } from "@tanstack/react-table";
import type { ActivityRowView } from "./activity-row";
import { StatusBadge } from "./status-badge";
import { ROUTES } from "@/lib/routes";
import type { ActivityLogOverrides } from "@/lib/activity-log-params";

export const activityTableFeatures = tableFeatures({ rowExpandingFeature });

const column = createColumnHelper<typeof activityTableFeatures, ActivityRowView>();

type TableTranslator = ReturnType<typeof useTranslations<"activityLog.table">>;

const filterLinkClass =
  "rounded underline-offset-2 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand";

/**
 * The log's columns; the Date-Time header names the zone every time in it is shown in. A row's
 * action, partner user and status are links to the current view filtered by that value.
 */
export function getActivityColumns(
  timeZoneLabel: string,
  t: TableTranslator,
  filterHref: (filter: ActivityLogOverrides) => string,
) {
  return column.columns([
    column.display({
      id: "expand",
      header: () => <span className="sr-only">{t("detailsColumn")}</span>,
      cell: ({ row }) => {
        const expanded = row.getIsExpanded();
        return (
          <button
            type="button"
            aria-label={t("showDetails")}
            aria-expanded={expanded}
            aria-controls={expanded ? `details-${row.id}` : undefined}
            onClick={() => row.toggleExpanded()}
            className="rounded p-1 text-gray-600 hover:bg-gray-100 hover:text-gray-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand"
          >
            <svg
              aria-hidden="true"
              viewBox="0 0 20 20"
              className={`h-5 w-5 fill-current transition-transform ${expanded ? "rotate-180" : ""}`}
            >
              <path d="M5.3 7.3a1 1 0 0 1 1.4 0L10 10.6l3.3-3.3a1 1 0 1 1 1.4 1.4l-4 4a1 1 0 0 1-1.4 0l-4-4a1 1 0 0 1 0-1.4z" />
            </svg>
          </button>
        );
      },
    }),
    column.accessor("occurredAtText", {
      id: "occurredAt",
      header: () => t("dateTime", { zone: timeZoneLabel }),
      cell: ({ row }) => (
        <time dateTime={row.original.occurredAt} className="whitespace-nowrap tabular-nums">
          {row.original.occurredAtText}
        </time>
      ),
    }),
    column.accessor("customerName", {
      id: "customer",
      header: () => t("customer"),
      cell: ({ row }) => {
        const { customerId, customerName, attemptedCustomerName } = row.original;
        if (!customerId && attemptedCustomerName) {
          return (
            <span data-testid="attempted-customer">
              {attemptedCustomerName}{" "}
              <span className="whitespace-nowrap rounded bg-gray-100 px-1.5 py-0.5 text-xs text-gray-700">
                {t("notCreated")}
              </span>
            </span>
          );
        }
        if (!customerId) {
          return (
            <span>
              <span aria-hidden="true">—</span>
              <span className="sr-only">{t("noCustomer")}</span>
            </span>
          );
        }
        return (
          <Link
            href={ROUTES.customerSubscriptions(customerId)}
            className="text-brand underline-offset-2 hover:underline"
          >
            {customerName ?? customerId}
          </Link>
        );
      },
    }),
    column.accessor("actionLabel", {
      id: "action",
      header: () => t("action"),
      cell: ({ row }) => (
        <Link
          href={filterHref({ action: row.original.operationType })}
          prefetch={false}
          title={t("filterByAction")}
          className={filterLinkClass}
          data-testid="row-filter-action"
        >
          {row.original.actionLabel}
        </Link>
      ),
    }),
    column.accessor("userPrincipalName", {
      id: "user",
      header: () => t("partnerUser"),
      // The person first, as the portal names them; the UPN beside it says which account exactly.
      cell: ({ row }) => {
        const { userDisplayName, userPrincipalName } = row.original;
        return (
          <Link
            href={filterHref({ user: userPrincipalName })}
            prefetch={false}
            title={t("filterByUser")}
            className={`${filterLinkClass} ${userDisplayName ? "flex flex-col" : "break-all"}`}
            data-testid="row-filter-user"
          >
            {userDisplayName ? (
              <>
                <span>{userDisplayName}</span>
                <span className="break-all text-xs text-gray-600">{userPrincipalName}</span>
              </>
            ) : (
              userPrincipalName
            )}
          </Link>
        );
      },
    }),
    column.accessor("statusLabel", {
      id: "status",
      header: () => t("status"),
      cell: ({ row }) => {
        const { laterOutcome } = row.original;
        return (
          <span className="flex flex-col items-start gap-1">
            <Link
              href={filterHref({ status: row.original.status })}
              prefetch={false}
              title={t("filterByStatus")}
              className={filterLinkClass}
              data-testid="row-filter-status"
            >
              <StatusBadge status={row.original.status} label={row.original.statusLabel} />
            </Link>
            {laterOutcome && (
              <span className="text-xs text-gray-700" data-testid="row-later-outcome">
                {t(`laterOutcome.${laterOutcome.status}`)}{" "}
                <time dateTime={laterOutcome.occurredAt} className="tabular-nums">
                  {laterOutcome.occurredAtText}
                </time>
              </span>
            )}
          </span>
        );
      },
    }),
  ]);
}
