import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { getPageContext } from "@/lib/auth/page-context";
import { can } from "@/lib/auth/permissions";
import { ROUTES } from "@/lib/routes";

export default async function HomePage() {
  const ctx = await getPageContext();
  const t = await getTranslations();
  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold">{t("common.product")}</h1>
      <p className="max-w-2xl text-gray-700">{t("home.intro")}</p>
      <ul className="flex flex-wrap gap-3">
        {can(ctx.role, "view_activity_log") && (
          <li>
            <Link
              href={ROUTES.activityLog}
              className="inline-block rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark"
            >
              {t("home.openActivityLog")}
            </Link>
          </li>
        )}
        <li>
          <Link
            href={ROUTES.customers}
            className="inline-block rounded border border-brand px-4 py-2 font-medium text-brand hover:bg-blue-50"
          >
            {t("home.customers")}
          </Link>
        </li>
      </ul>
    </section>
  );
}
