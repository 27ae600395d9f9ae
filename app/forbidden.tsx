import Link from "next/link";
import { getTranslations } from "next-intl/server";

export default async function Forbidden() {
  const t = await getTranslations();
  return (
    <section className="mx-auto mt-10 max-w-xl rounded border border-amber-300 bg-amber-50 p-6">
      <h1 className="text-xl font-semibold">{t("forbidden.title")}</h1>
      <p className="mt-2 text-gray-800">{t("forbidden.body")}</p>
      <Link href="/" className="mt-4 inline-block text-brand underline">
        {t("common.backHome")}
      </Link>
    </section>
  );
}
