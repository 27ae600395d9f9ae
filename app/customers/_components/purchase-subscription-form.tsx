"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { KNOWN_BILLING_CYCLES } from "@/lib/activity-labels";
import { initialFormState } from "@/lib/form-state";
import { OFFERS } from "@/lib/offer-catalog";
import { purchaseSubscriptionAction } from "../actions";
import { FieldError, fieldClass, SubmitButton } from "./form-controls";

export function PurchaseSubscriptionForm({ customerId }: { customerId: string }) {
  const t = useTranslations("subscriptions.purchase");
  const cycles = useTranslations("billingCycles");
  const [state, action] = useActionState(purchaseSubscriptionAction.bind(null, customerId), initialFormState);
  const errors = state.fieldErrors ?? {};
  const values = state.values ?? {};
  return (
    // Keyed by what came back, so the fields show the submitted values after React resets the form.
    <form key={JSON.stringify(state.values ?? {})} action={action} aria-label={t("title")} className="rounded border border-gray-200 bg-white p-4">
      <h2 className="text-lg font-semibold">{t("title")}</h2>
      {state.message && (
        <p role={state.ok ? "status" : "alert"} className={`mt-2 rounded p-2 text-sm ${state.ok ? "bg-green-50 text-green-900" : "bg-red-50 text-red-900"}`}>
          {state.message}
        </p>
      )}
      <div className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-4 sm:items-end">
        <div className="text-sm">
          <label htmlFor="offerName" className="font-medium">
            {t("offer")}
          </label>
          <select id="offerName" name="offerName" defaultValue={values.offerName} className={fieldClass} aria-describedby="offerName-error">
            {OFFERS.map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
          <FieldError id="offerName-error" message={errors.offerName} />
        </div>
        <div className="text-sm">
          <label htmlFor="quantity" className="font-medium">
            {t("quantity")}
          </label>
          <input id="quantity" name="quantity" type="number" min={1} step={1} defaultValue={values.quantity ?? 1} required className={fieldClass} aria-describedby="quantity-error" />
          <FieldError id="quantity-error" message={errors.quantity} />
        </div>
        <div className="text-sm">
          <label htmlFor="billingCycle" className="font-medium">
            {t("billingCycle")}
          </label>
          <select id="billingCycle" name="billingCycle" defaultValue={values.billingCycle} className={fieldClass} aria-describedby="billingCycle-error">
            {KNOWN_BILLING_CYCLES.map((cycle) => (
              <option key={cycle} value={cycle}>
                {cycles(cycle)}
              </option>
            ))}
          </select>
          <FieldError id="billingCycle-error" message={errors.billingCycle} />
        </div>
        <div>
          <SubmitButton pendingText={t("pending")}>{t("submit")}</SubmitButton>
        </div>
      </div>
    </form>
  );
}
