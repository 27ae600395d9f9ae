"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { KNOWN_BILLING_CYCLES } from "@/lib/activity-labels";
import { initialFormState } from "@/lib/form-state";
import { OFFERS } from "@/lib/offer-catalog";
import { purchaseSubscriptionAction } from "../actions";
import { Field, fieldClass, FormMessage, SubmitButton } from "@/components/ui/form-controls";

export function PurchaseSubscriptionForm({ customerId }: { customerId: string }) {
  const t = useTranslations("subscriptions.purchase");
  const cycles = useTranslations("billingCycles");
  const [state, action] = useActionState(purchaseSubscriptionAction.bind(null, customerId), initialFormState);
  const errors = state.fieldErrors ?? {};
  const values = state.values ?? {};
  return (
    // Keyed by what came back, so the fields show the submitted values after React resets the form.
    <form
      key={JSON.stringify(state.values ?? {})}
      action={action}
      aria-label={t("title")}
      className="rounded border border-gray-200 bg-white p-4"
    >
      <h2 className="text-lg font-semibold">{t("title")}</h2>
      <FormMessage state={state} />
      <div className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-4 sm:items-end">
        <Field id="offerName" label={t("offer")} error={errors.offerName}>
          <select
            id="offerName"
            name="offerName"
            defaultValue={values.offerName}
            className={fieldClass}
            aria-describedby="offerName-error"
          >
            {OFFERS.map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
        </Field>
        <Field id="quantity" label={t("quantity")} error={errors.quantity}>
          <input
            id="quantity"
            name="quantity"
            type="number"
            min={1}
            step={1}
            defaultValue={values.quantity ?? 1}
            required
            className={fieldClass}
            aria-describedby="quantity-error"
          />
        </Field>
        <Field id="billingCycle" label={t("billingCycle")} error={errors.billingCycle}>
          <select
            id="billingCycle"
            name="billingCycle"
            defaultValue={values.billingCycle}
            className={fieldClass}
            aria-describedby="billingCycle-error"
          >
            {KNOWN_BILLING_CYCLES.map((cycle) => (
              <option key={cycle} value={cycle}>
                {cycles(cycle)}
              </option>
            ))}
          </select>
        </Field>
        <div>
          <SubmitButton pendingText={t("pending")}>{t("submit")}</SubmitButton>
        </div>
      </div>
    </form>
  );
}
