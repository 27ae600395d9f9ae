"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { Field, fieldClass, FormMessage, SubmitButton } from "@/components/ui/form-controls";
import { initialFormState } from "@/lib/form-state";
import { saveViewAction } from "../actions";

/** Saves the log's current filters under a name; the view may be shared and made the default. */
export function SaveViewForm({ filters, maxLength }: { filters: string; maxLength: number }) {
  const t = useTranslations("activityLog.savedViews");
  const [state, action] = useActionState(saveViewAction, initialFormState);
  const errors = state.fieldErrors ?? {};
  const values = state.ok ? {} : (state.values ?? {});
  return (
    <form
      key={JSON.stringify([state.ok, state.values ?? {}])}
      action={action}
      aria-label={t("saveTitle")}
      className="space-y-2 border-t border-gray-200 pt-3"
      data-testid="save-view-form"
    >
      <p className="font-medium">{t("saveTitle")}</p>
      <input type="hidden" name="filters" value={filters} />
      <Field id="saved-view-name" label={t("name")} error={errors.name}>
        <input
          id="saved-view-name"
          name="name"
          defaultValue={values.name}
          required
          maxLength={maxLength}
          autoComplete="off"
          className={fieldClass}
          aria-invalid={!!errors.name}
          aria-describedby="saved-view-name-error"
        />
      </Field>
      <div className="flex items-center gap-2">
        <input
          id="saved-view-shared"
          type="checkbox"
          name="shared"
          defaultChecked={values.shared === "on"}
          className="h-4 w-4 rounded border-gray-300 text-brand focus:ring-brand"
        />
        <label htmlFor="saved-view-shared">{t("share")}</label>
      </div>
      <div className="flex items-center gap-2">
        <input
          id="saved-view-default"
          type="checkbox"
          name="default"
          defaultChecked={values.default === "on"}
          className="h-4 w-4 rounded border-gray-300 text-brand focus:ring-brand"
        />
        <label htmlFor="saved-view-default">{t("makeDefault")}</label>
      </div>
      <SubmitButton pendingText={t("saving")}>{t("save")}</SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
