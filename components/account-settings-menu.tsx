"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { ROUTES } from "@/lib/routes";

/**
 * "Account settings" as a disclosure menu: a button with aria-expanded and a list of links,
 * closed by Escape, a click elsewhere or the focus leaving it (so the open list never covers what
 * the keyboard reaches next), usable by keyboard alone.
 */
export function AccountSettingsMenu({
  canViewActivityLog,
  canVerifyLog,
  canManageDataSources,
  canManageLogStreaming = false,
}: {
  canViewActivityLog: boolean;
  canVerifyLog: boolean;
  canManageDataSources: boolean;
  canManageLogStreaming?: boolean;
}) {
  const t = useTranslations("accountMenu");
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  return (
    <div
      ref={root}
      className="relative"
      onBlur={(event) => {
        if (!root.current?.contains(event.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls="account-settings-menu"
        onClick={() => setOpen((o) => !o)}
        className="flex items-center gap-1 rounded px-2 py-1 text-sm font-medium hover:bg-white/10 focus-visible:outline focus-visible:outline-2 focus-visible:outline-white"
      >
        {t("title")}
        <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4 fill-current">
          <path d="M5.3 7.3a1 1 0 0 1 1.4 0L10 10.6l3.3-3.3a1 1 0 1 1 1.4 1.4l-4 4a1 1 0 0 1-1.4 0l-4-4a1 1 0 0 1 0-1.4z" />
        </svg>
      </button>
      {open && (
        <ul
          id="account-settings-menu"
          aria-label={t("title")}
          className="absolute right-0 z-20 mt-1 w-48 rounded border border-gray-200 bg-white py-1 text-gray-900 shadow-lg"
        >
          {canViewActivityLog && (
            <li>
              <Link
                href={ROUTES.activityLog}
                onClick={() => setOpen(false)}
                className="block px-3 py-2 text-sm hover:bg-gray-100 focus:bg-gray-100 focus-visible:outline focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-brand"
              >
                {t("activityLog")}
              </Link>
            </li>
          )}
          {canVerifyLog && (
            <li>
              <Link
                href={ROUTES.logIntegrity}
                onClick={() => setOpen(false)}
                className="block px-3 py-2 text-sm hover:bg-gray-100 focus:bg-gray-100 focus-visible:outline focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-brand"
              >
                {t("logIntegrity")}
              </Link>
            </li>
          )}
          {canManageDataSources && (
            <li>
              <Link
                href={ROUTES.dataSources}
                onClick={() => setOpen(false)}
                className="block px-3 py-2 text-sm hover:bg-gray-100 focus:bg-gray-100 focus-visible:outline focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-brand"
              >
                {t("dataSources")}
              </Link>
            </li>
          )}
          {canManageLogStreaming && (
            <li>
              <Link
                href={ROUTES.logStreaming}
                onClick={() => setOpen(false)}
                className="block px-3 py-2 text-sm hover:bg-gray-100 focus:bg-gray-100 focus-visible:outline focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-brand"
              >
                {t("logStreaming")}
              </Link>
            </li>
          )}
          <li>
            <Link
              href={ROUTES.sessions}
              onClick={() => setOpen(false)}
              className="block px-3 py-2 text-sm hover:bg-gray-100 focus:bg-gray-100 focus-visible:outline focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-brand"
            >
              {t("sessions")}
            </Link>
          </li>
        </ul>
      )}
    </div>
  );
}
