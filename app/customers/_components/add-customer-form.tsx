"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { initialFormState } from "@/lib/form-state";
import { addCustomerAction } from "../actions";
import { Field, fieldClass, FormMessage, SubmitButton } from "@/components/ui/form-controls";

export function AddCustomerForm() {
  const t = useTranslations("customers.add");
  const [state, action] = useActionState(addCustomerAction, initialFormState);
  const errors = state.fieldErrors ?? {};
  const values = state.values ?? {};
  return (
    <form
      key={JSON.stringify(state.values ?? {})}
      action={action}
      aria-label={t("title")}
      className="rounded border border-gray-200 bg-white p-4"
    >
      <h2 className="text-lg font-semibold">{t("title")}</h2>
      <FormMessage state={state} />
      <div className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-3 sm:items-end">
        <Field id="companyName" label={t("companyName")} error={errors.companyName}>
          <input
            id="companyName"
            name="companyName"
            defaultValue={values.companyName}
            required
            maxLength={200}
            className={fieldClass}
            aria-invalid={!!errors.companyName}
            aria-describedby="companyName-error"
          />
        </Field>
        <Field id="domain" label={t("domain")} error={errors.domain}>
          <input
            id="domain"
            name="domain"
            defaultValue={values.domain}
            required
            placeholder={t("domainPlaceholder")}
            className={fieldClass}
            aria-invalid={!!errors.domain}
            aria-describedby="domain-error"
          />
        </Field>
        <div>
          <SubmitButton pendingText={t("pending")}>{t("submit")}</SubmitButton>
        </div>
      </div>
    </form>
  );
}
