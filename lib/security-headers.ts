/*
 * Security headers for every response the proxy sees. Scripts run only with the per-request nonce
 * (Next puts it on its own scripts when it finds it in the request's CSP), so an injected
 * <script> cannot run even if markup ever slipped through. Styles keep 'unsafe-inline': Next and
 * React set style attributes, and a style cannot run code.
 */
export interface SecurityOptions {
  nonce: string;
  https: boolean;
  dev: boolean;
  /** Origins a sign-in form may be redirected to (the OIDC authorities). */
  formTargets: string[];
}

export function contentSecurityPolicy({ nonce, https, dev, formTargets }: SecurityOptions): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self' ${formTargets.join(" ")}`.trim(),
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** Every header by name, and the policy by its own: the proxy hands that one to the page as well. */
export type SecurityHeaders = Record<string, string> & { "content-security-policy": string };

export function securityHeaders(options: SecurityOptions): SecurityHeaders {
  return {
    "content-security-policy": contentSecurityPolicy(options),
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "DENY",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
    ...(options.https ? { "strict-transport-security": "max-age=63072000; includeSubDomains" } : {}),
  };
}

/** The origins of the configured sign-in authorities (form posts end in a redirect to them). */
export function authorityOrigins(env: NodeJS.ProcessEnv = process.env): string[] {
  return ["AUTH_COMMERCIAL_ISSUER", "AUTH_USGOV_ISSUER"].flatMap((name) => {
    try {
      return env[name] ? [new URL(env[name]!).origin] : [];
    } catch {
      return [];
    }
  });
}
