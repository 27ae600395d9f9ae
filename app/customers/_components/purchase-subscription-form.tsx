"use client";

import { useActionState } from "react";
import { initialFormState } from "@/lib/form-state";
import { OFFERS } from "@/lib/offer-catalog";
import { purchaseSubscriptionAction } from "../actions";
import { FieldError, fieldClass, SubmitButton } from "./form-controls";

export function PurchaseSubscriptionForm({ customerId }: { customerId: string }) {
  const [state, action] = useActionState(purchaseSubscriptionAction.bind(null, customerId), initialFormState);
  const errors = state.fieldErrors ?? {};
  const values = state.values ?? {};
  return (
    // Keyed by what came back, so the fields show the submitted values after React resets the form.
    <form key={JSON.stringify(state.values ?? {})} action={action} aria-label="Purchase subscription" className="rounded border border-gray-200 bg-white p-4">
      <h2 className="text-lg font-semibold">Purchase subscription</h2>
      {state.message && (
        <p role={state.ok ? "status" : "alert"} className={`mt-2 rounded p-2 text-sm ${state.ok ? "bg-green-50 text-green-900" : "bg-red-50 text-red-900"}`}>
          {state.message}
        </p>
      )}
      <div className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-4 sm:items-end">
        <div className="text-sm">
          <label htmlFor="offerName" className="font-medium">
            Offer
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
            Quantity
          </label>
          <input id="quantity" name="quantity" type="number" min={1} step={1} defaultValue={values.quantity ?? 1} required className={fieldClass} aria-describedby="quantity-error" />
          <FieldError id="quantity-error" message={errors.quantity} />
        </div>
        <div className="text-sm">
          <label htmlFor="billingCycle" className="font-medium">
            Billing cycle
          </label>
          <select id="billingCycle" name="billingCycle" defaultValue={values.billingCycle} className={fieldClass} aria-describedby="billingCycle-error">
            <option value="monthly">Monthly</option>
            <option value="annual">Annual</option>
          </select>
          <FieldError id="billingCycle-error" message={errors.billingCycle} />
        </div>
        <div>
          <SubmitButton pendingText="Purchasing…">Purchase</SubmitButton>
        </div>
      </div>
    </form>
  );
}
