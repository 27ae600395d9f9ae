"use client";

import { useRef, useSyncExternalStore } from "react";
import { isoDay, readDay } from "@/lib/day-text";
import { formatDay } from "@/lib/format";

const noSubscription = () => () => {};

/*
 * A day typed as the page writes days ("Nov 4, 2026" / "2026. 11. 04."), not the browser's date
 * field, whose look follows the browser's language and not the page's. It is a plain text field,
 * so it works before (and without) JavaScript: the parser reads this form and YYYY-MM-DD alike.
 * With JavaScript a button beside it opens the browser's calendar and writes the chosen day back
 * in the page's form.
 */
export function DayField({
  id,
  name,
  day,
  locale,
  min,
  max,
  required,
  describedBy,
  pickLabel,
  className,
}: {
  id: string;
  name: string;
  /** YYYY-MM-DD, or "" for none. */
  day: string;
  locale: string;
  min?: string;
  max?: string;
  required?: boolean;
  describedBy?: string;
  /** The calendar button's accessible name. */
  pickLabel: string;
  className: string;
}) {
  const text = useRef<HTMLInputElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  // True once hydrated: the calendar needs script, so the server's HTML has no dead button.
  const enhanced = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );

  const open = () => {
    const field = text.current;
    const calendar = picker.current;
    if (!field || !calendar) return;
    const typed = readDay(field.value);
    calendar.value = typed ? isoDay(typed) : "";
    try {
      calendar.showPicker();
    } catch {
      // A browser without showPicker (or refusing it): the typed field still works.
      field.focus();
    }
  };

  return (
    <span className="mt-1 flex items-stretch">
      <input
        // A new language writes the day anew: an uncontrolled field would keep the old spelling.
        key={`${locale} ${day}`}
        ref={text}
        id={id}
        type="text"
        name={name}
        defaultValue={day ? formatDay(day, locale) : ""}
        required={required}
        autoComplete="off"
        spellCheck={false}
        aria-describedby={describedBy}
        className={`${className} ${enhanced ? "rounded-r-none" : ""}`}
      />
      {enhanced && (
        <>
          <button
            type="button"
            onClick={open}
            aria-label={pickLabel}
            title={pickLabel}
            data-testid={`${id}-calendar`}
            className="rounded-r border border-l-0 border-gray-300 bg-white px-2 text-gray-600 hover:bg-gray-50 focus:border-brand focus:outline-none focus:ring-1 focus:ring-brand"
          >
            <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4" fill="none" stroke="currentColor">
              <rect x="3" y="4.5" width="14" height="12.5" rx="1.5" strokeWidth="1.5" />
              <path d="M3 8.5h14M7 2.5v4M13 2.5v4" strokeWidth="1.5" strokeLinecap="round" />
            </svg>
          </button>
          <input
            ref={picker}
            id={`${id}-picker`}
            type="date"
            tabIndex={-1}
            aria-hidden="true"
            min={min}
            max={max}
            data-testid={`${id}-picker`}
            className="sr-only"
            onChange={(event) => {
              const field = text.current;
              if (!field || !event.currentTarget.value) return;
              field.value = formatDay(event.currentTarget.value, locale);
              // As if typed: the range check beside the fields listens for it.
              field.dispatchEvent(new Event("change", { bubbles: true }));
              field.focus();
            }}
          />
        </>
      )}
    </span>
  );
}
