"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";

/**
 * Copies an id to the clipboard. Its accessible name says what it copies ("Copy correlation ID"),
 * and after a copy a polite live region says it was copied, so a screen reader hears it too.
 */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const t = useTranslations("activityLog.details.copy");
  const [copied, setCopied] = useState(false);
  return (
    <>
      <button
        type="button"
        aria-label={t("copy", { label })}
        title={t("copy", { label })}
        data-testid="copy-id"
        onClick={() =>
          navigator.clipboard
            ?.writeText(value)
            .then(() => setCopied(true))
            .catch(() => setCopied(false))
        }
        className="ml-1 inline-flex rounded p-0.5 align-middle text-gray-600 hover:bg-gray-100 hover:text-gray-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand"
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4 fill-current">
          <path d="M7 2a2 2 0 0 0-2 2v1H4a2 2 0 0 0-2 2v9a2 2 0 0 0 2 2h7a2 2 0 0 0 2-2v-1h1a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2H7zm6 13v1H4V7h1v6a2 2 0 0 0 2 2h6zM7 4h7v9H7V4z" />
        </svg>
      </button>
      <span aria-live="polite" className="ml-1 text-xs text-green-800">
        {copied ? t("copied", { label }) : ""}
      </span>
    </>
  );
}
