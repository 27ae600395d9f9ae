const MAX_LENGTH = 2000;
const BASE = "http://callback.invalid";

/** Only same-site paths: a crafted callbackUrl must never send a user to another site. */
export function safeCallbackUrl(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\"))
    return "/";
  if (value.startsWith("/signin") || value.startsWith("/api/auth")) return "/";
  // URL parsers drop tabs and newlines anywhere, so "/\t/evil.example" is "//evil.example", another
  // site: no control characters at all, and whatever is left must still resolve to this origin.
  if (/[\u0000-\u001f\u007f]/.test(value) || !URL.canParse(value, BASE) || new URL(value, BASE).origin !== BASE)
    return "/";
  // Too long to be one of our links; cutting it could also split a character in two.
  if (value.length > MAX_LENGTH || !value.isWellFormed()) return "/";
  return value;
}
