"use client";

import { useActionState, useEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from "react";
import { useFormStatus } from "react-dom";
import { useTranslations } from "next-intl";
import { initialFormState, type FormState } from "@/lib/form-state";
import { renameViewAction } from "../actions";

const inputClass =
  "block min-w-0 flex-1 basis-40 rounded border border-gray-300 bg-white px-2 py-1 text-sm focus:border-brand focus:outline-none focus:ring-1 focus:ring-brand";

function SaveButton({ className, label, children }: { className: string; label: string; children: string }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending} aria-label={label} className={`${className} disabled:opacity-60`}>
      {children}
    </button>
  );
}

/** Closes the disclosure; the focus goes back to its summary (shown again once closed). */
function close(details: HTMLDetailsElement | null, summary: HTMLElement | null) {
  if (details) details.open = false;
  summary?.focus();
}

/**
 * Renames one of the reader's own views in place: a disclosure (it opens without JavaScript) whose
 * form takes the row's width. With JavaScript, Cancel and Escape close it and give the focus back
 * to Rename; without, Cancel reloads the log as it was.
 */
export function RenameViewForm({
  id,
  name,
  filters,
  maxLength,
  buttonClass,
}: {
  id: string;
  name: string;
  filters: string;
  maxLength: number;
  buttonClass: string;
}) {
  const t = useTranslations("activityLog.savedViews");
  const [state, action] = useActionState(renameViewAction, initialFormState);
  // Cancel sets the last answer aside: opened again, the form starts from the view's name.
  const [dismissed, setDismissed] = useState<FormState | null>(null);
  const shown = state === dismissed ? initialFormState : state;
  const details = useRef<HTMLDetailsElement>(null);
  const summary = useRef<HTMLElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const error = shown.ok ? undefined : shown.fieldErrors?.name;
  const inputId = `rename-view-${id}`;

  // Each answer: renamed, the form closes (the status says so); refused, the name is the place to fix it.
  useEffect(() => {
    if (state === initialFormState) return;
    if (state.ok) close(details.current, summary.current);
    else input.current?.focus();
  }, [state]);

  function cancel() {
    setDismissed(state);
    form.current?.reset();
    close(details.current, summary.current);
  }

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    event.stopPropagation();
    cancel();
  };
  const onCancel = (event: MouseEvent<HTMLButtonElement>) => {
    event.preventDefault();
    cancel();
  };

  return (
    <>
      <details
        ref={details}
        // Refused without JavaScript, the page comes back with the form open on the typed name.
        open={!shown.ok && shown.message ? true : undefined}
        onToggle={(event) => {
          if (event.currentTarget.open) input.current?.select();
        }}
        className="group open:basis-full"
        data-testid="rename-view"
      >
        {/* Hidden while open: the form below takes its place, and Cancel closes it. */}
        <summary
          ref={summary}
          aria-label={t("renameOf", { name })}
          data-testid="rename-view-summary"
          className={`${buttonClass} cursor-pointer list-none group-open:hidden [&::-webkit-details-marker]:hidden`}
        >
          {t("rename")}
        </summary>
        <form
          ref={form}
          key={JSON.stringify([shown.ok, shown.values ?? {}])}
          action={action}
          aria-label={t("renameOf", { name })}
          className="space-y-1 rounded border border-gray-200 bg-gray-50 p-2"
          data-testid="rename-view-form"
        >
          <input type="hidden" name="id" value={id} />
          <input type="hidden" name="filters" value={filters} />
          <label htmlFor={inputId} className="block text-xs font-medium text-gray-800">
            {t("newName")}
          </label>
          <div className="flex flex-wrap items-center gap-2">
            <input
              ref={input}
              id={inputId}
              name="name"
              defaultValue={shown.ok ? name : (shown.values?.name ?? name)}
              required
              maxLength={maxLength}
              autoComplete="off"
              aria-label={t("newNameOf", { name })}
              aria-invalid={!!error}
              aria-describedby={error ? `${inputId}-error` : undefined}
              onKeyDown={onKeyDown}
              className={inputClass}
            />
            <span className="flex gap-1">
              <SaveButton className={buttonClass} label={t("saveNameOf", { name })}>
                {t("saveName")}
              </SaveButton>
              <button
                type="submit"
                name="intent"
                value="cancel"
                formNoValidate
                onClick={onCancel}
                aria-label={t("cancelRenameOf", { name })}
                className={buttonClass}
              >
                {t("cancel")}
              </button>
            </span>
          </div>
          {error && (
            <p id={`${inputId}-error`} role="alert" className="text-xs text-red-800">
              {error}
            </p>
          )}
          {!error && !shown.ok && shown.message && (
            <p role="alert" className="text-xs text-red-800">
              {shown.message}
            </p>
          )}
        </form>
      </details>
      {shown.ok && shown.message && (
        <p role="status" className="basis-full text-xs text-green-900">
          {shown.message}
        </p>
      )}
    </>
  );
}
