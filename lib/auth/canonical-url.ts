import { ConfigError } from "@/lib/errors";

/*
 * The one address sign-in works at. An identity provider accepts only the redirect URIs it was
 * given, so a sign-in started at another address (http://127.0.0.1:3000 for http://localhost:3000,
 * a load balancer's internal name) would end on its "invalid redirect_uri" page. With AUTH_URL set,
 * the proxy first sends browsers to the same path at this origin.
 */
export function canonicalOrigin(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env.AUTH_URL;
  if (!raw) return undefined;
  if (!URL.canParse(raw))
    throw new ConfigError(`AUTH_URL must be an absolute URL such as https://portal.example.com, got "${raw}"`);
  const url = new URL(raw);
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError(`AUTH_URL must be an http(s) URL, got "${raw}"`);
  }
  return url.origin;
}

/** The origin the browser used, as a reverse proxy reports it (X-Forwarded-*) or as the Host header says. */
export function requestOrigin(headers: Headers, fallback: URL): string {
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host") || fallback.host;
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || fallback.protocol.replace(/:$/, "");
  return `${proto}://${host}`;
}

/** Where to send a request that arrived at another address, or undefined to serve it here. */
export function canonicalRedirect(
  request: { method: string; headers: Headers; url: string },
  canonical: string | undefined,
): URL | undefined {
  if (!canonical || (request.method !== "GET" && request.method !== "HEAD")) return undefined;
  const url = new URL(request.url);
  // Probes and API scripts are answered wherever they reach the app.
  if (/^\/api\/(health|v1)(\/|$)/.test(url.pathname)) return undefined;
  if (requestOrigin(request.headers, url) === canonical) return undefined;
  return new URL(url.pathname + url.search, canonical);
}
