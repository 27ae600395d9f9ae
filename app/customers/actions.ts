"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { addCustomer, purchaseSubscription, type ValidationIssueCode } from "@/db/mutations/customers";
import { can } from "@/lib/auth/permissions";
import { getTenantContext } from "@/lib/auth/tenant-context";
import { formatNumber } from "@/lib/format";
import { formValues, toFormState, type FormProblem, type FormState } from "@/lib/form-state";
import { ROUTES } from "@/lib/routes";

/*
 * The portal's own actions. Each writes its business row and its activity record in one
 * transaction (db/mutations), so the log can never miss or invent one. Server actions check the
 * request's Origin against the host, which is their CSRF protection.
 */

/** A refused submit, in the reader's language: validation codes and error codes from the catalogs. */
async function refused(error: unknown, form: FormData): Promise<FormState> {
  const t = await getTranslations("forms");
  const describe = (problem: FormProblem): string => {
    if (problem.kind === "field") return t(`validation.${problem.code as ValidationIssueCode}`, problem.values);
    switch (problem.code) {
      case "bad_request":
        return t("errors.invalid");
      case "not_found":
      case "forbidden":
      case "unauthorized":
      case "unavailable":
      case "internal":
        return t(`errors.${problem.code}`);
      default:
        return t("errors.failed");
    }
  };
  return { ...toFormState(error, describe), values: formValues(form) };
}

export async function addCustomerAction(_previous: FormState, form: FormData): Promise<FormState> {
  let customerId: string;
  let recordId: number;
  try {
    const ctx = await getTenantContext({ permission: "manage_customers" });
    const { customer, record } = await addCustomer({
      ctx,
      companyName: form.get("companyName"),
      domain: form.get("domain"),
    });
    customerId = customer.id;
    recordId = record.id;
  } catch (error) {
    return refused(error, form);
  }
  revalidatePath(ROUTES.customers);
  redirect(
    `${ROUTES.customerSubscriptions(customerId)}?${new URLSearchParams({ added: "1", record: String(recordId) })}`,
  );
}

/** A purchase's outcome; `recordId` is its record in the log, for a reader who may open it. */
export interface PurchaseState extends FormState {
  recordId?: number;
}

export async function purchaseSubscriptionAction(
  customerId: string,
  _previous: PurchaseState,
  form: FormData,
): Promise<PurchaseState> {
  try {
    const ctx = await getTenantContext({ permission: "manage_customers" });
    const { subscription, record } = await purchaseSubscription({
      ctx,
      customerId,
      offerName: form.get("offerName"),
      quantity: form.get("quantity"),
      billingCycle: form.get("billingCycle"),
    });
    revalidatePath(ROUTES.customerSubscriptions(customerId));
    const [t, locale] = await Promise.all([getTranslations("subscriptions.purchase"), getLocale()]);
    return {
      ok: true,
      message: t("purchased", { quantity: formatNumber(subscription.quantity, locale), offer: subscription.offerName }),
      values: formValues(form),
      ...(can(ctx.role, "view_activity_log") ? { recordId: record.id } : {}),
    };
  } catch (error) {
    return refused(error, form);
  }
}
