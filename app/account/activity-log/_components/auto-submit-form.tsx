"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, type ReactNode } from "react";
import { canonicalParamText } from "@/lib/day-text";

/*
 * The filter form, improved when JavaScript runs: a choice in a list or a tick in a box applies at
 * once (no separate click), the address carries only the fields that have a value, and after the
 * page comes back with the new view the control that was used has the focus again (with its list
 * open), so a keyboard user picks a second status where they picked the first. Without JavaScript
 * it is the same plain GET form, and Apply sends it.
 */

// Survives the form's remount (the page keys it by the view): what to give the focus back to.
let restore: { focusId: string | null; openId: string | null } | null = null;

/**
 * The form's fields as a query string, empty ones left out, days and times as the address writes
 * them (the fields show days as the page does), and the period too while it is the default one (so an untouched period stays "the most recent month" as days go by).
 */
export function nonEmptyQuery(form: HTMLFormElement, defaults: { from: string; to: string }): URLSearchParams {
  const out = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (typeof value === "string" && value.trim() !== "") out.append(name, canonicalParamText(name, value.trim()));
  }
  if (out.get("to") === defaults.to) {
    out.delete("to");
    if (out.get("from") === defaults.from) out.delete("from");
  }
  return out;
}

export function AutoSubmitForm({
  action,
  label,
  className,
  testId,
  defaults,
  children,
}: {
  action: string;
  /** The default period in the view's zone. */
  defaults: { from: string; to: string };
  /** Names the form as a landmark; a one-field form whose field is labelled needs none. */
  label?: string;
  className?: string;
  testId?: string;
  children: ReactNode;
}) {
  const router = useRouter();
  const ref = useRef<HTMLFormElement>(null);

  useEffect(() => {
    const form = ref.current;
    if (!form || !restore) return;
    const { focusId, openId } = restore;
    restore = null;
    if (openId) {
      const details = form.querySelector<HTMLDetailsElement>(`details#${CSS.escape(openId)}`);
      if (details) details.open = true;
    }
    if (focusId) document.getElementById(focusId)?.focus();
  }, []);

  useEffect(() => {
    const form = ref.current;
    if (!form) return;
    // A list left open closes when the reader clicks elsewhere or presses Escape, like a select.
    const onPointer = (event: PointerEvent) => {
      for (const details of form.querySelectorAll<HTMLDetailsElement>("details[open]")) {
        if (!details.contains(event.target as Node)) details.open = false;
      }
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      const details = (event.target as Element | null)?.closest?.("details[open]");
      if (details instanceof HTMLDetailsElement && form.contains(details)) {
        details.open = false;
        details.querySelector("summary")?.focus();
      }
    };
    document.addEventListener("pointerdown", onPointer);
    form.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      form.removeEventListener("keydown", onKey);
    };
  }, []);

  return (
    <form
      ref={ref}
      method="get"
      action={action}
      aria-label={label}
      className={className}
      data-testid={testId}
      data-enhanced="true"
      onChange={(event) => {
        const target = event.target as unknown as HTMLInputElement | HTMLSelectElement;
        const applies =
          target instanceof HTMLSelectElement || (target instanceof HTMLInputElement && target.type === "checkbox");
        if (!applies || target.dataset.noAutoApply !== undefined) return;
        restore = {
          focusId: target.id || null,
          openId: target.closest("details")?.id ?? null,
        };
        event.currentTarget.requestSubmit();
      }}
      onSubmit={(event) => {
        event.preventDefault();
        const query = nonEmptyQuery(event.currentTarget, defaults).toString();
        router.push(query ? `${action}?${query}` : action);
      }}
    >
      {children}
    </form>
  );
}
