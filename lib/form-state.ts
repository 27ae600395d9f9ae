import { AppError } from "./errors";

/** What a server action's form shows after a submit: a message, and errors by field. */
export interface FormState {
  ok: boolean;
  message?: string;
  fieldErrors?: Record<string, string>;
  /** What was submitted, so a refused form comes back filled in (React resets forms after an action). */
  values?: Record<string, string>;
}

export function formValues(form: FormData): Record<string, string> {
  return Object.fromEntries([...form.entries()].filter(([k, v]) => typeof v === "string" && !k.startsWith("$")) as [string, string][]);
}

export const initialFormState: FormState = { ok: false };

/** The form-side twin of toErrorResponse: typed errors become messages, anything else a generic one. */
export function toFormState(error: unknown): FormState {
  if (error instanceof AppError) {
    const details = error.details as { errors?: Array<{ field: string; message: string }> } | undefined;
    const fieldErrors = Object.fromEntries((details?.errors ?? []).map((e) => [e.field, e.message]));
    return { ok: false, message: error.message, fieldErrors };
  }
  console.error(error);
  return { ok: false, message: "Something went wrong on our side; nothing was saved. Try again." };
}
