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
  setDefaultViewFor,
  type SavedViewIssueCode,
} from "@/lib/saved-views";

/*
 * The Activity log's saved views, from its page: save the current filters under a name, make a
 * view the default, delete one. Each works without JavaScript (a plain form post); the log's own
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
    if (error instanceof AppError && error.code === "conflict") {
      const message = t("validation.name_taken");
      return { ok: false, message, fieldErrors: { name: message }, values };
    }
    const describe = (problem: FormProblem) =>
      problem.kind === "field"
        ? problem.field.startsWith("filters.")
          ? t("validation.filter_param")
          : t(`validation.${problem.code as SavedViewIssueCode}`, problem.values)
        : problem.message;
    return { ...toFormState(error, describe), values };
  }
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
