import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { listCustomers } from "@/db/queries/customers";
import { getPageContext } from "@/lib/auth/page-context";
import { can } from "@/lib/auth/permissions";
import { AddCustomerForm } from "./_components/add-customer-form";
import { formatDate } from "@/lib/format";
import { ROUTES } from "@/lib/routes";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("customers");
  return { title: t("title") };
}

export default async function CustomersPage() {
  const ctx = await getPageContext();
  const [customers, t, locale] = await Promise.all([listCustomers({ ctx }), getTranslations("customers"), getLocale()]);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      {can(ctx.role, "manage_customers") && <AddCustomerForm />}
      <div
        className="overflow-x-auto rounded border border-gray-200 bg-white"
        tabIndex={0}
        role="region"
        aria-label={t("title")}
      >
        <table className="min-w-full divide-y divide-gray-200 text-sm">
          <thead className="bg-gray-50">
            <tr>
              <th scope="col" className="px-3 py-2 text-left font-semibold">
                {t("companyName")}
              </th>
              <th scope="col" className="px-3 py-2 text-left font-semibold">
                {t("domain")}
              </th>
              <th scope="col" className="px-3 py-2 text-left font-semibold">
                {t("customerSince")}
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-gray-100">
            {customers.map((c) => (
              <tr key={c.id}>
                <td className="px-3 py-2">
                  <Link
                    href={ROUTES.customerSubscriptions(c.id)}
                    className="text-brand underline-offset-2 hover:underline"
                  >
                    {c.companyName}
                  </Link>
                </td>
                <td className="px-3 py-2 break-all">{c.domain}</td>
                <td className="px-3 py-2 tabular-nums">
                  <time dateTime={c.createdAt.toISOString()}>{formatDate(c.createdAt, "UTC", locale)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
