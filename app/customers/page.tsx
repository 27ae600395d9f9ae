import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { listCustomers } from "@/db/queries/customers";
import { getPageContext } from "@/lib/auth/page-context";
import { can } from "@/lib/auth/permissions";
import { AddCustomerForm } from "./_components/add-customer-form";
import { formatDate } from "@/lib/format";
import { ROUTES } from "@/lib/routes";
import { Cell, HeaderCell, Row, Table, TableBody, TableHead } from "@/components/ui/table";

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
      <Table label={t("title")}>
        <TableHead>
          <HeaderCell>{t("companyName")}</HeaderCell>
          <HeaderCell>{t("domain")}</HeaderCell>
          <HeaderCell>{t("customerSince")}</HeaderCell>
        </TableHead>
        <TableBody>
          {customers.map((c) => (
            <Row key={c.id}>
              <Cell>
                <Link
                  href={ROUTES.customerSubscriptions(c.id)}
                  className="text-brand underline-offset-2 hover:underline"
                >
                  {c.companyName}
                </Link>
              </Cell>
              <Cell className="break-all">{c.domain}</Cell>
              <Cell numeric>
                <time dateTime={c.createdAt.toISOString()}>{formatDate(c.createdAt, "UTC", locale)}</time>
              </Cell>
            </Row>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
