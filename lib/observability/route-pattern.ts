import { isPathId, redactPath } from "./log";
import { beforeFirst } from "@/lib/before-first";

/*
 * The route a request hit, as a pattern: /customers/[customerId]/subscriptions rather than the
 * customer's id in the path, so lines group by route and a path never carries data. Production
 * builds list every route in <distDir>/routes-manifest.json (`page` and `regex` per route, the
 * stable part of that file); a path no route matches (a 404, Next's own /_next/ files, or dev
 * mode with no manifest) is logged redacted instead (lib/observability/log.ts, redactPath).
 */

interface ManifestRoute {
  page: string;
  regex: string;
}

export interface RoutesManifest {
  staticRoutes?: ManifestRoute[];
  dynamicRoutes?: ManifestRoute[];
}

export interface RouteMatch {
  route: string;
  /** The dynamic segments that hold ids (a UUID or an integer), by name. */
  params?: Record<string, string>;
}

/** [customerId] -> customerId, [...nextauth] -> nextauth, [[...slug]] -> slug. */
const paramName = (segment: string) => /^\[{1,2}(?:\.\.\.)?([^\]]+)\]{1,2}$/.exec(segment)?.[1];

export function createRouteMatcher(manifest?: RoutesManifest | null): (pathname: string) => RouteMatch {
  const compile = (route: ManifestRoute) => {
    try {
      return {
        page: route.page,
        regex: new RegExp(route.regex),
        names: route.page
          .split("/")
          .map(paramName)
          .filter((n): n is string => !!n),
      };
    } catch {
      return null;
    }
  };
  // Static routes first: /customers/new must not be read as a [customerId].
  const routes = [...(manifest?.staticRoutes ?? []), ...(manifest?.dynamicRoutes ?? [])]
    .map(compile)
    .filter((r) => r !== null);

  return (pathname) => {
    for (const { page, regex, names } of routes) {
      const match = regex.exec(pathname);
      if (!match) continue;
      const params: Record<string, string> = {};
      names.forEach((name, i) => {
        const value = match[i + 1];
        if (isPathId(value)) params[name] = value;
      });
      return Object.keys(params).length > 0 ? { route: page, params } : { route: page };
    }
    return { route: redactPath(pathname) };
  };
}

/** The pathname of a request target: no query string, no fragment; an absolute-form URL reduced to its path. */
export function requestPathname(url: string | undefined): string {
  const target = url ?? "/";
  if (target.startsWith("/")) return beforeFirst(target, /[?#]/);
  try {
    return new URL(target).pathname;
  } catch {
    return "/[redacted]";
  }
}

const ICONS = new Set(["/favicon.ico", "/icon.svg"]);

/** Next's build output and icons: served from disk, no app code, many per page view. */
export function isStaticAsset(pathname: string): boolean {
  return pathname.startsWith("/_next/static/") || pathname.startsWith("/_next/image") || ICONS.has(pathname);
}
