"use client";

import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";

/*
 * What a page shows when it cannot render, inside the portal's shell and in the reader's language.
 * Most often the database is briefly unreachable: pages resolve the user's role from it before
 * anything else (lib/auth/tenant-context.ts), so the failure surfaces here rather than in a page's
 * own error state. Next's built-in fallback was an English-only page outside the shell.
 *
 * Never the error itself: in production Next hands a boundary only a generic message and a digest
 * (the key to the server's log line, shown for support), and a query or a stack trace must not
 * reach the browser. `retry` re-renders the page on the server, so it recovers once the database
 * is back.
 */
export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  const t = useTranslations("errorPage");
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  return (
    <section
      role="alert"
      data-testid="error-page"
      className="mx-auto mt-10 max-w-xl rounded border border-red-300 bg-red-50 p-6 text-red-950"
    >
      <h1 className="text-xl font-semibold">{t("title")}</h1>
      <p className="mt-2">{t("body")}</p>
      {digest && <p className="mt-2 text-sm text-red-900">{t("reference", { digest })}</p>}
      <Button variant="danger" onClick={() => retry()} className="mt-4">
        {t("retry")}
      </Button>
    </section>
  );
}
