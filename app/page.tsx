import { getTranslations } from "next-intl/server";
import { getPageContext } from "@/lib/auth/page-context";
import { can } from "@/lib/auth/permissions";
import { ROUTES } from "@/lib/routes";
import { LinkButton } from "@/components/ui/button";

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
            <LinkButton href={ROUTES.activityLog} size="lg">
              {t("home.openActivityLog")}
            </LinkButton>
          </li>
        )}
        <li>
          <LinkButton href={ROUTES.customers} variant="outline" size="lg">
            {t("home.customers")}
          </LinkButton>
        </li>
      </ul>
    </section>
  );
}
