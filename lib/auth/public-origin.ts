import type { NextRequest } from "next/server";

/*
 * The address the browser used, for Auth.js's own routes. Next's server builds a route handler's
 * request URL from the host it listens on, and its NextRequest rewrites 127.0.0.1 to "localhost",
 * so a sign-in started at 127.0.0.1 or behind a reverse proxy would finish at another origin: its
 * state cookie missing, the token exchange naming a redirect URI the authority never saw. Auth.js
 * reads only `url`, headers and body, so a plain Request at the browser's origin is what it gets.
 * With AUTH_URL set (real deployments), Auth.js uses that and this changes nothing.
 */
export function atPublicOrigin(
  request: NextRequest,
  env: Record<string, string | undefined> = process.env,
): NextRequest {
  if (env.AUTH_URL || env.NEXTAUTH_URL) return request;
  const origin = publicOrigin(request.headers, request.nextUrl.protocol);
  if (!origin) return request;
  const url = new URL(request.nextUrl.pathname + request.nextUrl.search, origin);
  const init: RequestInit & { duplex?: "half" } = {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
  };
  if (request.body) {
    init.body = request.body;
    init.duplex = "half";
  }
  return new Request(url, init) as NextRequest;
}

/** The origin in the request's (forwarded) host and protocol; undefined when they name none. */
export function publicOrigin(headers: Headers, fallbackProtocol: string): URL | undefined {
  const host = firstValue(headers.get("x-forwarded-host")) ?? headers.get("host");
  const proto = firstValue(headers.get("x-forwarded-proto")) ?? fallbackProtocol.replace(/:$/, "");
  if (!host || !/^https?$/.test(proto)) return undefined;
  try {
    const origin = new URL(`${proto}://${host}`);
    return origin.pathname === "/" && !origin.username && !origin.password ? origin : undefined;
  } catch {
    return undefined;
  }
}

/** A proxy chain's header lists the client-facing value first. */
function firstValue(header: string | null): string | undefined {
  const value = header?.split(",")[0]?.trim();
  return value || undefined;
}
