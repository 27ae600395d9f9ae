import type { AsyncLocalStorage } from "node:async_hooks";

/*
 * What the app tells the request log about the request it is serving: who (user id, tenant,
 * cloud, role), and how many rows it read or wrote. The custom server (scripts/serve.ts) opens
 * one RequestState per HTTP request and writes the log line when the response ends; pages, route
 * handlers and the export fill in the annotations as they learn them.
 *
 * The storage lives on globalThis under a Symbol.for key, not in a module variable: the server and
 * Next's server bundle each load their own copy of this module, and only the global is shared.
 * The app side never creates it, so annotate() is a no-op wherever no server installed one (unit
 * and integration tests, scripts), and this module pulls in nothing Node-specific at run time.
 */

export interface RequestAnnotations {
  userId?: string;
  tenantId?: string;
  cloud?: string;
  role?: string;
  /** Ingestion: the API key that authenticated the request (its id, never the key). */
  apiKeyId?: string;
  /** Rows the request read (a page of the log) or wrote (ingestion), or streamed (an export). */
  rows?: number;
}

export interface RequestState {
  requestId: string;
  method: string;
  /** The route pattern, e.g. /customers/[customerId]/subscriptions: never a query string. */
  route: string;
  annotations: RequestAnnotations;
}

const STORAGE_KEY = Symbol.for("partner-activity-log.request-context");

type WithStorage = typeof globalThis & { [STORAGE_KEY]?: AsyncLocalStorage<RequestState> };

/** Called once by the server, with the storage every request runs in. */
export function installRequestStorage(storage: AsyncLocalStorage<RequestState>): void {
  (globalThis as WithStorage)[STORAGE_KEY] = storage;
}

/** The request being served, when a server opened one. */
export function currentRequest(): RequestState | undefined {
  return (globalThis as WithStorage)[STORAGE_KEY]?.getStore();
}

/** Adds what the caller knows about the current request to its log line. Never throws. */
export function annotate(fields: RequestAnnotations): void {
  const state = currentRequest();
  if (state) Object.assign(state.annotations, fields);
}
