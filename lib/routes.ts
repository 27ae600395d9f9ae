/*
 * Every path the app links to or redirects to, in one place: a renamed page changes here. Query
 * strings are built by `toSearchParams` (lib/activity-log-params.ts), never by hand.
 */
export const ROUTES = {
  home: "/",
  signIn: "/signin",
  customers: "/customers",
  customerSubscriptions: (customerId: string) => `/customers/${encodeURIComponent(customerId)}/subscriptions`,
  activityLog: "/account/activity-log",
  /** A record's permalink: opens the log at the record, expanded. */
  activityRecord: (id: number | string) => `/account/activity-log/records/${encodeURIComponent(String(id))}`,
  logIntegrity: "/account/log-integrity",
  sessions: "/account/sessions",
  dataSources: "/account/data-sources",
  logStreaming: "/account/log-streaming",
  /** "Export log": the Activity log page's own query string behind this path. */
  activityExport: "/api/activity-log/export",
} as const;
