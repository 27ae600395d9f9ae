import type { Metadata } from "next";
import type { ReactNode } from "react";
import { SiteHeader } from "@/components/site-header";
import { CLOUD_LABELS, servedClouds } from "@/lib/clouds";
import "./globals.css";

/** A single-cloud (sovereign) deployment says which cloud it is in every title. */
export function generateMetadata(): Metadata {
  const clouds = servedClouds();
  const product = clouds.length === 1 ? `Partner Activity Log (${CLOUD_LABELS[clouds[0]]})` : "Partner Activity Log";
  return {
    title: { default: product, template: `%s · ${product}` },
    description: "Every action taken on your customers' accounts and product transactions.",
  };
}

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:bg-white focus:p-2">
          Skip to content
        </a>
        <SiteHeader />
        <main id="main" className="mx-auto max-w-7xl px-4 py-6 sm:px-6">
          {children}
        </main>
      </body>
    </html>
  );
}
