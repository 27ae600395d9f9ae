/** Why a sign-in was refused: codes in the URL, sentences on the sign-in page. */
export const SIGN_IN_ERRORS = {
  UnknownTenant: "Your organization is not a partner tenant of this cloud. Sign in through your own cloud's provider.",
  UnknownUser: "Your account is not a partner user of this tenant. Ask your global admin to add you.",
  WrongIssuer: "The sign-in came from an authority this deployment does not trust.",
  CloudNotServed: "This deployment does not serve that cloud.",
  SessionCloud: "Your session belongs to a cloud this deployment does not serve. Sign in again.",
  Default: "Sign-in failed. Try again, or contact your administrator.",
} as const;

export type SignInError = keyof typeof SIGN_IN_ERRORS;

export function signInErrorFor(reason: "unknown_tenant" | "unknown_user"): SignInError {
  return reason === "unknown_tenant" ? "UnknownTenant" : "UnknownUser";
}

export function signInMessage(code: string | undefined): string | undefined {
  if (!code) return undefined;
  return code in SIGN_IN_ERRORS ? SIGN_IN_ERRORS[code as SignInError] : SIGN_IN_ERRORS.Default;
}
