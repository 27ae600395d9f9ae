import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { countCustomerSubscriptions, getCustomer, getCustomerSubscriptions } from "@/db/queries/customers";
import { getPageContext } from "@/lib/auth/page-context";
import { can } from "@/lib/auth/permissions";
import { PurchaseSubscriptionForm } from "../../_components/purchase-subscription-form";
import { formatDateTime, formatNumber } from "@/lib/format";
import { asCatalog, translatedBillingCycle, translatedSubscriptionStatus } from "@/lib/activity-labels";
import { ROUTES } from "@/lib/routes";
import { defaultRange, EMPTY_FILTERS, toSearchParams } from "@/lib/activity-log-params";
import { Cell, HeaderCell, Row, Table, TableBody, TableHead } from "@/components/ui/table";

/** The log searched for the customer's id: its records over the default period. */
const activitySearchFor = (customerId: string) =>
  toSearchParams({
    ...defaultRange("UTC"),
    fromTime: null,
    toTime: null,
    tz: "UTC",
    ...EMPTY_FILTERS,
    q: customerId,
    size: 25,
    record: null,
    cursor: null,
    dir: "next",
  });

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("subscriptions");
  return { title: t("title") };
}

/** The newest this many; a customer with more says how many there are in all. */
const SHOWN = 100;

/** A customer's subscriptions: where each Activity log entry's customer link leads. */
export default async function SubscriptionsPage({
  params,
  searchParams,
}: {
  params: Promise<{ customerId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await getPageContext();
  const { customerId } = await params;
  const customer = await getCustomer({ ctx, customerId });
  // Another tenant's customer is indistinguishable from one that does not exist.
  if (!customer) notFound();
  const [subscriptions, total, t, root, locale] = await Promise.all([
    getCustomerSubscriptions({ ctx, customerId, limit: SHOWN }),
    countCustomerSubscriptions({ ctx, customerId }),
    getTranslations("subscriptions"),
    getTranslations(),
    getLocale(),
  ]);
  const labels = asCatalog(root);
  const { added, record } = await searchParams;

  return (
    <div className="space-y-4">
      <nav aria-label={t("breadcrumb")} className="text-sm">
        <Link href={ROUTES.customers} className="text-brand underline-offset-2 hover:underline">
          {t("customers")}
        </Link>
        <span aria-hidden="true"> / </span>
        <span>{customer.companyName}</span>
      </nav>
      <h1 className="text-2xl font-semibold">
        {t("title")} <span className="text-gray-500">·</span>{" "}
        <span data-testid="customer-name">{customer.companyName}</span>
      </h1>
      <p className="flex flex-wrap items-center gap-3 text-sm text-gray-600">
        <span>{customer.domain}</span>
        {can(ctx.role, "view_activity_log") && (
          <Link
            href={`${ROUTES.activityLog}?${activitySearchFor(customer.id)}`}
            className="text-brand underline-offset-2 hover:underline"
            data-testid="customer-activity"
          >
            {t("activity")}
          </Link>
        )}
      </p>
      {added === "1" && (
        <p role="status" className="rounded bg-green-50 p-2 text-sm text-green-900">
          {t("added")}{" "}
          {typeof record === "string" && /^[1-9][0-9]{0,15}$/.test(record) && (
            <Link
              href={ROUTES.activityRecord(record)}
              className="font-medium underline underline-offset-2"
              data-testid="added-record"
            >
              {t("viewRecord")}
            </Link>
          )}
        </p>
      )}
      {can(ctx.role, "manage_customers") && <PurchaseSubscriptionForm customerId={customer.id} />}
      {subscriptions.length === 0 ? (
        <p className="rounded border border-dashed border-gray-300 bg-white p-6 text-center text-gray-700">
          {t("empty")}
        </p>
      ) : (
        <>
          <p className="text-sm text-gray-700" data-testid="subscription-count">
            {total > subscriptions.length
              ? t("countNewest", { shown: subscriptions.length, total })
              : t("count", { total })}
          </p>
          <Table
            label={t("caption", { customer: customer.companyName })}
            caption={t("caption", { customer: customer.companyName })}
          >
            <TableHead>
              <HeaderCell>{t("offer")}</HeaderCell>
              <HeaderCell align="right">{t("quantity")}</HeaderCell>
              <HeaderCell nowrap>{t("status")}</HeaderCell>
              <HeaderCell nowrap>{t("billingCycle")}</HeaderCell>
              <HeaderCell>{t("created")}</HeaderCell>
            </TableHead>
            <TableBody>
              {subscriptions.map((s) => (
                <Row key={s.id} data-testid="subscription-row">
                  <Cell>{s.offerName}</Cell>
                  <Cell align="right" numeric>
                    {formatNumber(s.quantity, locale)}
                  </Cell>
                  <Cell nowrap>{translatedSubscriptionStatus(labels, s.status)}</Cell>
                  <Cell nowrap>{translatedBillingCycle(labels, s.billingCycle)}</Cell>
                  <Cell numeric>
                    <time dateTime={s.createdAt.toISOString()}>{formatDateTime(s.createdAt, "UTC", locale)}</time>
                  </Cell>
                </Row>
              ))}
            </TableBody>
          </Table>
        </>
      )}
    </div>
  );
}
