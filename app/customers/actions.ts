"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { addCustomer, purchaseSubscription } from "@/db/mutations/customers";
import { getTenantContext } from "@/lib/auth/tenant-context";
import { formValues, toFormState, type FormState } from "@/lib/form-state";

/*
 * The portal's own actions. Each writes its business row and its activity record in one
 * transaction (db/mutations), so the log can never miss or invent one. Server actions check the
 * request's Origin against the host, which is their CSRF protection.
 */

export async function addCustomerAction(_previous: FormState, form: FormData): Promise<FormState> {
  let customerId: string;
  try {
    const ctx = await getTenantContext({ permission: "manage_customers" });
    const { customer } = await addCustomer({ ctx, companyName: form.get("companyName"), domain: form.get("domain") });
    customerId = customer.id;
  } catch (error) {
    return { ...toFormState(error), values: formValues(form) };
  }
  revalidatePath("/customers");
  redirect(`/customers/${customerId}/subscriptions?added=1`);
}

export async function purchaseSubscriptionAction(customerId: string, _previous: FormState, form: FormData): Promise<FormState> {
  try {
    const ctx = await getTenantContext({ permission: "manage_customers" });
    const { subscription } = await purchaseSubscription({
      ctx,
      customerId,
      offerName: form.get("offerName"),
      quantity: form.get("quantity"),
      billingCycle: form.get("billingCycle"),
    });
    revalidatePath(`/customers/${customerId}/subscriptions`);
    return { ok: true, message: `Purchased ${subscription.quantity} × ${subscription.offerName}.`, values: formValues(form) };
  } catch (error) {
    return { ...toFormState(error), values: formValues(form) };
  }
}
