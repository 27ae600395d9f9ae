"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";

/**
 * On a phone the header's navigation, account, language and sign-out fold behind one "Menu"
 * button (a disclosure: aria-expanded, Escape closes it and gives the focus back); from sm up
 * they stand in the header and the button is not there. A navigation closes it.
 */
export function HeaderMenu({ children }: { children: ReactNode }) {
  const t = useTranslations("header");
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const pathname = usePathname();

  // A link followed inside the menu lands on a new page: the menu starts closed there.
  const [shownFor, setShownFor] = useState(pathname);
  if (shownFor !== pathname) {
    setShownFor(pathname);
    setOpen(false);
  }

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      // An open Account settings list inside the menu closes first, by its own Escape.
      if (event.key === "Escape" && !document.getElementById("account-settings-menu")) {
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);

  return (
    <>
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls="site-menu"
        onClick={() => setOpen((o) => !o)}
        data-testid="site-menu-button"
        className="ml-auto flex items-center gap-1 rounded px-2 py-1 text-sm font-medium hover:bg-white/10 focus-visible:outline focus-visible:outline-2 focus-visible:outline-white sm:hidden"
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" className="h-5 w-5 fill-current">
          {open ? (
            <path d="M5.3 5.3a1 1 0 0 1 1.4 0L10 8.6l3.3-3.3a1 1 0 1 1 1.4 1.4L11.4 10l3.3 3.3a1 1 0 0 1-1.4 1.4L10 11.4l-3.3 3.3a1 1 0 0 1-1.4-1.4L8.6 10 5.3 6.7a1 1 0 0 1 0-1.4z" />
          ) : (
            <path d="M3 5a1 1 0 0 1 1-1h12a1 1 0 1 1 0 2H4a1 1 0 0 1-1-1zm0 5a1 1 0 0 1 1-1h12a1 1 0 1 1 0 2H4a1 1 0 0 1-1-1zm1 4a1 1 0 1 0 0 2h12a1 1 0 1 0 0-2H4z" />
          )}
        </svg>
        {t("menu")}
      </button>
      <div
        id="site-menu"
        data-testid="header-actions"
        className={`${open ? "flex" : "hidden"} w-full flex-col items-start gap-3 border-t border-white/20 pt-3 pb-1 sm:ml-auto sm:flex sm:w-auto sm:flex-1 sm:flex-row sm:flex-wrap sm:items-center sm:justify-end sm:gap-x-4 sm:gap-y-1 sm:border-0 sm:p-0 [&_a]:whitespace-nowrap [&_button]:whitespace-nowrap`}
      >
        {children}
      </div>
    </>
  );
}
