import { toAppError, type ErrorCode } from "./errors";
import { fieldIssuesOf, type FieldIssue } from "./validation";

/** What a server action's form shows after a submit: a message, and errors by field. */
export interface FormState {
  ok: boolean;
  message?: string;
  fieldErrors?: Record<string, string>;
  /** What was submitted, so a refused form comes back filled in (React resets forms after an action). */
  values?: Record<string, string>;
}

export function formValues(form: FormData): Record<string, string> {
  return Object.fromEntries(
    [...form.entries()].filter(([k, v]) => typeof v === "string" && !k.startsWith("$")) as [string, string][],
  );
}

export const initialFormState: FormState = { ok: false };

/**
 * One problem to put into words for the reader: a field's validation issue (a code, its values and
 * the English sentence) or an error's code. `internal` is anything that is not an AppError.
 */
export type FormProblem =
  ({ kind: "field" } & FieldIssue) | { kind: "error"; code: ErrorCode | "internal"; message: string };

/** Untranslated: the English sentences the errors carry. */
const asIs = (problem: FormProblem) => problem.message;

const INTERNAL_MESSAGE = "Something went wrong on our side; nothing was saved. Try again.";

/**
 * The form-side twin of toErrorResponse, through the same classification (toAppError): typed errors
 * and a lost database become messages, anything else a generic one. `describe` words each problem
 * in the reader's language (e.g. app/customers/actions.ts).
 */
export function toFormState(error: unknown, describe: (problem: FormProblem) => string = asIs): FormState {
  const known = toAppError(error);
  if (known) {
    const fields = fieldIssuesOf(known);
    const fieldErrors = Object.fromEntries(fields.map((e) => [e.field, describe({ kind: "field", ...e })]));
    // A validation error's message is its first field's: say it in the same words as beside the field.
    const message =
      fields.length > 0
        ? fieldErrors[fields[0]!.field]
        : describe({ kind: "error", code: known.code, message: known.message });
    return { ok: false, message, fieldErrors };
  }
  console.error(error);
  return { ok: false, message: describe({ kind: "error", code: "internal", message: INTERNAL_MESSAGE }) };
}
