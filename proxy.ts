import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";
import type { NextAuthRequest } from "next-auth";
import { auth } from "@/auth";
import { servedClouds } from "@/lib/clouds";
import { SESSION_END_MESSAGES } from "@/lib/auth/session-policy";
import { annotate } from "@/lib/observability/request-context";
import { authorityOrigins, securityHeaders } from "@/lib/security-headers";

// Reachable signed out: sign-in itself, Auth.js's endpoints, the health probe and the APIs that take
// an API key (the read API checks a session itself when no key is sent).
const PUBLIC_PATHS = [
  /^\/signin\/?$/,
  /^\/api\/auth(\/|$)/,
  /^\/api\/health\/?$/,
  /^\/api\/v1\/(activity-records|partner-center\/audit-records|auditrecords)\/?$/,
];
// Of those, the ones that never look at the session cookie here: Auth.js reads and writes it
// itself (a refresh from this proxy must never race the cookie its callback sets), and the
// probe and the API authenticate otherwise.
const SESSIONLESS_PATHS = PUBLIC_PATHS.slice(1);

/** A browser navigating (a typed URL, a clicked export link) rather than a script calling the API. */
function isNavigation(headers: Headers): boolean {
  return headers.get("sec-fetch-mode") === "navigate" || (headers.get("accept") ?? "").includes("text/html");
}

/** Every response, including redirects and 401s, carries the security headers (lib/security-headers). */
function withSecurityHeaders(request: NextRequest, respond: (requestHeaders: Headers) => Response): Response {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const headers = securityHeaders({
    nonce,
    https: request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto") === "https",
    dev: process.env.NODE_ENV === "development",
    formTargets: authorityOrigins(),
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", headers["content-security-policy"]);
  const response = respond(requestHeaders);
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

const gate = auth((request) => withSecurityHeaders(request, (requestHeaders) => decide(request, requestHeaders)));

/*
 * Signed-out users go to sign-in and come back where they were going; API clients get 401.
 * A session of a cloud this deployment does not serve counts as signed out. This is the first
 * gate only: every page and route still resolves getTenantContext().
 */
function decide(request: NextAuthRequest, requestHeaders: Headers): Response {
  const { pathname, search } = request.nextUrl;
  const pass = () => NextResponse.next({ request: { headers: requestHeaders } });
  if (PUBLIC_PATHS.some((p) => p.test(pathname))) return pass();

  const session = request.auth;
  const foreignCloud = !!session?.cloud && !servedClouds().includes(session.cloud);
  if (session?.tenantId && !foreignCloud) {
    // The request log's "who" for requests that run no app code (router prefetches); pages and
    // APIs overwrite it with the directory's answer (lib/auth/tenant-context.ts).
    annotate({ userId: session.user?.id, tenantId: session.tenantId, cloud: session.cloud });
    return pass();
  }

  // Set when the request's cookie named a session that has ended (signed out, idle, expired).
  const ended = session?.ended;
  if (pathname.startsWith("/api/") && !isNavigation(request.headers)) {
    const message = ended ? `${SESSION_END_MESSAGES[ended]} Sign in again.` : "Sign in to continue.";
    return NextResponse.json({ error: { code: "unauthorized", message } }, { status: 401 });
  }
  const signIn = new URL("/signin", request.nextUrl.origin);
  signIn.searchParams.set("callbackUrl", pathname + search);
  if (foreignCloud) signIn.searchParams.set("error", "SessionCloud");
  else if (ended) signIn.searchParams.set("error", ended);
  return NextResponse.redirect(signIn);
}

// With a lazily built config, Auth.js hands back the wrapped handler as a promise.
const handler = gate as unknown as
  Promise<(request: NextRequest, event: NextFetchEvent) => Promise<Response>> | typeof gate;

export async function proxy(request: NextRequest, event: NextFetchEvent) {
  if (SESSIONLESS_PATHS.some((p) => p.test(request.nextUrl.pathname))) {
    return withSecurityHeaders(request, (requestHeaders) =>
      NextResponse.next({ request: { headers: requestHeaders } }),
    );
  }
  const gated = await handler;
  return gated(request, event as never);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|robots.txt).*)"],
};
