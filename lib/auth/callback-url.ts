/** Only same-site paths: a crafted callbackUrl must never send a user to another site. */
export function safeCallbackUrl(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  if (value.startsWith("/signin") || value.startsWith("/api/auth")) return "/";
  return value.slice(0, 2000);
}
