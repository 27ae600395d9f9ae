"use client";

import Link from "next/link";
import { useActionState, useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { KNOWN_BILLING_CYCLES } from "@/lib/activity-labels";
import { initialFormState } from "@/lib/form-state";
import { OFFERS } from "@/lib/offer-catalog";
import { ROUTES } from "@/lib/routes";
import { purchaseSubscriptionAction, type PurchaseState } from "../actions";
import { Field, fieldClass, FormMessage, SubmitButton } from "@/components/ui/form-controls";
import { buttonClass } from "@/components/ui/button";

/** A quantity from which the purchase asks to be confirmed (a typo of a few zeros is expensive). */
export const LARGE_QUANTITY = 1000;

export function PurchaseSubscriptionForm({ customerId }: { customerId: string }) {
  const t = useTranslations("subscriptions.purchase");
  const cycles = useTranslations("billingCycles");
  const subscriptions = useTranslations("subscriptions");
  const [state, action] = useActionState<PurchaseState, FormData>(
    purchaseSubscriptionAction.bind(null, customerId),
    initialFormState,
  );
  // One purchase per click: a second submit while one is on its way is dropped, and a large
  // quantity waits for its confirmation.
  const inFlight = useRef(false);
  const confirmed = useRef(false);
  const [confirming, setConfirming] = useState<number | null>(null);
  useEffect(() => {
    inFlight.current = false;
    confirmed.current = false;
  }, [state]);
  const errors = state.fieldErrors ?? {};
  const values = state.values ?? {};
  return (
    // Keyed by what came back, so the fields show the submitted values after React resets the form.
    <form
      key={JSON.stringify(state.values ?? {})}
      action={action}
      onSubmit={(event) => {
        if (inFlight.current) {
          event.preventDefault();
          return;
        }
        const quantity = Number(new FormData(event.currentTarget).get("quantity"));
        if (quantity >= LARGE_QUANTITY && !confirmed.current) {
          event.preventDefault();
          setConfirming(quantity);
          return;
        }
        setConfirming(null);
        inFlight.current = true;
      }}
      aria-label={t("title")}
      className="rounded border border-gray-200 bg-white p-4"
    >
      <h2 className="text-lg font-semibold">{t("title")}</h2>
      {state.ok && state.recordId ? (
        // The purchase is recorded in the log: the message leads to that record.
        <p role="status" className="mt-2 rounded bg-green-50 p-2 text-sm text-green-900">
          {state.message}{" "}
          <Link
            href={ROUTES.activityRecord(state.recordId)}
            className="font-medium underline underline-offset-2"
            data-testid="purchased-record"
          >
            {subscriptions("viewRecord")}
          </Link>
        </p>
      ) : (
        <FormMessage state={state} />
      )}
      {confirming !== null && (
        <div
          role="alertdialog"
          aria-labelledby="confirm-large"
          className="mt-2 rounded border border-amber-300 bg-amber-50 p-3 text-sm"
          data-testid="confirm-large"
        >
          <p id="confirm-large">{t("confirmLarge", { quantity: confirming })}</p>
          <div className="mt-2 flex gap-2">
            <button
              type="button"
              autoFocus
              onClick={(event) => {
                confirmed.current = true;
                event.currentTarget.form?.requestSubmit();
              }}
              className={buttonClass("primary", "md")}
            >
              {t("confirmBuy", { quantity: confirming })}
            </button>
            <button
              type="button"
              onClick={() => {
                setConfirming(null);
                document.getElementById("quantity")?.focus();
              }}
              className={buttonClass("secondary", "md")}
            >
              {t("confirmChange")}
            </button>
          </div>
        </div>
      )}
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
