import Link from "next/link";
import { getTranslations } from "next-intl/server";

export default async function NotFound() {
  const t = await getTranslations();
  return (
    <section className="mx-auto mt-10 max-w-xl rounded border border-gray-200 bg-white p-6">
      <h1 className="text-xl font-semibold">{t("notFound.title")}</h1>
      <p className="mt-2 text-gray-700">{t("notFound.body")}</p>
      <Link href="/" className="mt-4 inline-block text-brand underline">
        {t("common.backHome")}
      </Link>
    </section>
  );
}
