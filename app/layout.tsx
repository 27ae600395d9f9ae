import type { Metadata } from "next";
import type { ReactNode } from "react";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getTranslations } from "next-intl/server";
import { SiteHeader } from "@/components/site-header";
import { servedClouds } from "@/lib/clouds";
import "./globals.css";

/** A single-cloud (sovereign) deployment says which cloud it is in every title. */
export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations();
  const [cloud, ...otherClouds] = servedClouds();
  const product =
    cloud !== undefined && otherClouds.length === 0
      ? t("common.productForCloud", { cloud: t(`clouds.${cloud}`) })
      : t("common.product");
  return {
    title: { default: product, template: `%s · ${product}` },
    description: t("common.description"),
  };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const [locale, t] = await Promise.all([getLocale(), getTranslations("common")]);
  return (
    <html lang={locale}>
      <body className="min-h-screen font-sans">
        {/* Messages, locale and time zone come from i18n/request.ts for the client components. */}
        <NextIntlClientProvider>
          <a
            href="#main"
            className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:bg-white focus:p-2"
          >
            {t("skipToContent")}
          </a>
          <SiteHeader />
          <main id="main" className="mx-auto max-w-7xl px-4 py-6 sm:px-6">
            {children}
          </main>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
