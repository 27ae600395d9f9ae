"use client";

import { useState, useSyncExternalStore, type ReactNode } from "react";

const noSubscription = () => () => {};

/*
 * On a phone (414 px wide or less) the filters fold behind one "Filters (n)" button, so the
 * results are on the first screen. Folded only once JavaScript runs: without it the button could
 * not unfold them, so the form stays open. Wider windows always show the filters.
 */
export function FilterFold({ label, children }: { label: string; children: ReactNode }) {
  const hydrated = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  const [open, setOpen] = useState(false);
  const folded = hydrated && !open;
  return (
    <div>
      <button
        type="button"
        aria-expanded={!folded}
        aria-controls="filters-fold"
        onClick={() => setOpen(folded)}
        hidden={!hydrated}
        className="mb-2 hidden w-full items-center justify-between rounded border border-gray-300 bg-white px-3 py-2 text-sm font-medium max-[414px]:flex focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand"
        data-testid="filters-toggle"
      >
        <span>{label}</span>
        <span aria-hidden="true">{folded ? "▾" : "▴"}</span>
      </button>
      <div id="filters-fold" className={folded ? "max-[414px]:hidden" : undefined}>
        {children}
      </div>
    </div>
  );
}
