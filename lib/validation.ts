import type { z } from "zod";
import { AppError } from "./errors";

/*
 * Input validation's one vocabulary. A problem names its field and carries a code (with the values
 * its sentence needs): the API returns the English sentence, and forms word the code from the
 * message catalogs in the reader's language. Nothing compares sentences.
 */

export type IssueValues = Record<string, number | string>;

/** The English sentence of each code, and the values it names. */
export type IssueCatalog<Code extends string> = Record<Code, { message: string; values?: IssueValues }>;

export interface FieldIssue {
  field: string;
  code: string;
  message: string;
  values?: IssueValues;
}

/** A 400 listing every problem; its message is the first one's sentence. */
export function invalidInput(issues: FieldIssue[]): AppError {
  return new AppError("bad_request", issues[0]?.message ?? "The input is invalid.", { errors: issues });
}

/** One problem of `catalog`, as a FieldIssue. */
export function issue<Code extends string>(catalog: IssueCatalog<Code>, field: string, code: Code): FieldIssue {
  const { message, values } = catalog[code];
  return { field, code, message, ...(values ? { values } : {}) };
}

/**
 * Zod's issues as FieldIssues, for schemas whose custom messages are codes of `catalog`; an issue
 * without one (a schema's own default) becomes `fallback`.
 */
export function zodIssues<Code extends string>(
  error: z.ZodError,
  catalog: IssueCatalog<Code>,
  fallback: Code,
  fieldOf: (path: PropertyKey[]) => string = (path) => path.map(String).join(".") || "body",
): FieldIssue[] {
  return error.issues.map((i) => {
    const code = (Object.hasOwn(catalog, i.message) ? i.message : fallback) as Code;
    return issue(catalog, fieldOf(i.path), code);
  });
}

/** The field problems an error carries (empty for any other error). */
export function fieldIssuesOf(error: unknown): FieldIssue[] {
  if (!(error instanceof AppError) || error.code !== "bad_request") return [];
  const errors = (error.details as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors) ? (errors as FieldIssue[]) : [];
}
