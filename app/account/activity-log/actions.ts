"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getTenantContext } from "@/lib/auth/tenant-context";
import { AppError } from "@/lib/errors";
import { formValues, toFormState, type FormProblem, type FormState } from "@/lib/form-state";
import { ROUTES } from "@/lib/routes";
import {
  canonicalFilters,
  clearDefaultViewFor,
  createViewFor,
  deleteViewFor,
  renameViewFor,
  setDefaultViewFor,
  type SavedViewIssueCode,
} from "@/lib/saved-views";

/*
 * The Activity log's saved views, from its page: save the current filters under a name, rename
 * one, make a view the default, delete one. Each works without JavaScript (a plain form post); the log's own
 * parser checks the filters, as for the API.
 */

const context = () => getTenantContext({ permission: "view_activity_log" });

export async function saveViewAction(_previous: FormState, form: FormData): Promise<FormState> {
  const t = await getTranslations("activityLog.savedViews");
  const values = formValues(form);
  try {
    const ctx = await context();
    const view = await createViewFor(ctx, {
      name: String(form.get("name") ?? ""),
      filters: String(form.get("filters") ?? ""),
      shared: form.get("shared") === "on",
      default: form.get("default") === "on",
    });
    revalidatePath(ROUTES.activityLog);
    return { ok: true, message: t("saved", { name: view.name }) };
  } catch (error) {
    return { ...(await refusal(error)), values };
  }
}

/** A new name for one of the reader's own views; its filters and sharing stay as they are. */
export async function renameViewAction(_previous: FormState, form: FormData): Promise<FormState> {
  // Cancel, without JavaScript (with it, the form closes in place): the log as the reader had it.
  if (form.get("intent") === "cancel") back(form);
  const t = await getTranslations("activityLog.savedViews");
  const values = formValues(form);
  try {
    const ctx = await context();
    const view = await renameViewFor(ctx, String(form.get("id") ?? ""), String(form.get("name") ?? ""));
    revalidatePath(ROUTES.activityLog);
    return { ok: true, message: t("renamed", { name: view.name }) };
  } catch (error) {
    // Deleted meanwhile, or not the reader's (a forged id): gone, as for the menu's other buttons.
    // Said in the form rather than by going back to the log: the list, shown again, drops the view.
    if (error instanceof AppError && (error.code === "not_found" || error.code === "forbidden")) {
      revalidatePath(ROUTES.activityLog);
      return { ok: false, message: t("gone"), values };
    }
    return { ...(await refusal(error)), values };
  }
}

/** A refused save or rename in the reader's words: a taken name or a bad field beside the name. */
async function refusal(error: unknown): Promise<FormState> {
  const t = await getTranslations("activityLog.savedViews");
  if (error instanceof AppError && error.code === "conflict") {
    const message = t("validation.name_taken");
    return { ok: false, message, fieldErrors: { name: message } };
  }
  const describe = (problem: FormProblem) =>
    problem.kind === "field"
      ? problem.field.startsWith("filters.")
        ? t("validation.filter_param")
        : t(`validation.${problem.code as SavedViewIssueCode}`, problem.values)
      : problem.message;
  return toFormState(error, describe);
}

/** Back to the log as the reader had it (the filters the form carried), or the plain log. */
function back(form: FormData): never {
  let filters = "";
  try {
    filters = canonicalFilters(String(form.get("filters") ?? ""));
  } catch {
    filters = "";
  }
  revalidatePath(ROUTES.activityLog);
  redirect(filters ? `${ROUTES.activityLog}?${filters}` : ROUTES.activityLog);
}

async function onView(form: FormData, run: (id: string) => Promise<unknown>): Promise<never> {
  try {
    await run(String(form.get("id") ?? ""));
  } catch (error) {
    // A view deleted (or unshared) meanwhile: the menu, shown again, no longer offers it.
    if (!(error instanceof AppError && (error.code === "not_found" || error.code === "forbidden"))) throw error;
  }
  back(form);
}

export async function setDefaultViewAction(form: FormData): Promise<void> {
  const ctx = await context();
  await onView(form, (id) => setDefaultViewFor(ctx, id));
}

export async function clearDefaultViewAction(form: FormData): Promise<void> {
  const ctx = await context();
  await onView(form, (id) => clearDefaultViewFor(ctx, id));
}

export async function deleteViewAction(form: FormData): Promise<void> {
  const ctx = await context();
  await onView(form, (id) => deleteViewFor(ctx, id));
}
