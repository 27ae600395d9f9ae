/*
 * Why a sign-in was refused: a code in the URL (`/signin?error=...`), a sentence on the sign-in
 * page from the message catalogs (`signIn.errors.<code>`), in the reader's language. Auth.js's own
 * codes (Configuration, AccessDenied, ...) and anything unknown read as `Default`.
 */
export const SIGN_IN_ERRORS = [
  "UnknownTenant",
  "UnknownUser",
  "WrongIssuer",
  "CloudNotServed",
  "SessionCloud",
  "SessionIdle",
  "SessionExpired",
  "SessionEnded",
  "SignedOutEverywhere",
  "Default",
] as const;

export type SignInError = (typeof SIGN_IN_ERRORS)[number];

export function signInErrorFor(reason: "unknown_tenant" | "unknown_user"): SignInError {
  return reason === "unknown_tenant" ? "UnknownTenant" : "UnknownUser";
}

/** The catalog code for the `error` param, or undefined when the page has no error to show. */
export function signInErrorCode(code: string | undefined): SignInError | undefined {
  if (!code) return undefined;
  return (SIGN_IN_ERRORS as readonly string[]).includes(code) ? (code as SignInError) : "Default";
}
