import { AsyncLocalStorage } from "node:async_hooks";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { logExportSettled } from "@/lib/observability/export-log";
import { formatLogLine, levelEnabled, redactPath, writeLog, type LogEntry } from "@/lib/observability/log";
import {
  annotate,
  currentRequest,
  installRequestStorage,
  type RequestState,
} from "@/lib/observability/request-context";
import { openRequest, requestIdFrom, requestLogEntry } from "@/lib/observability/request-log";
import {
  createRouteMatcher,
  isStaticAsset,
  requestPathname,
  type RoutesManifest,
} from "@/lib/observability/route-pattern";
import { at } from "../support/present";

const USER = "1089ee7b-c180-564f-a2ea-8803b47a77d3";
const TENANT = "3f5c2a8e-7b1d-4c6a-9e2f-1a2b3c4d5e01";
const CUSTOMER = "0b7f6a2c-4d1e-4f3a-9b8c-7d6e5f4a3b2c";
const REQUEST = "5860cb87-347a-48ba-a8ac-9eade0b05f19";
const NOW = new Date("2026-11-25T09:30:00.000Z");

// The shape of the real routes-manifest.json of this app (page and regex are what we read).
const MANIFEST: RoutesManifest = {
  staticRoutes: [
    { page: "/", regex: "^/(?:/)?$" },
    { page: "/account/activity-log", regex: "^/account/activity\\-log(?:/)?$" },
    { page: "/api/activity-log/export", regex: "^/api/activity\\-log/export(?:/)?$" },
    { page: "/customers/new", regex: "^/customers/new(?:/)?$" },
  ],
  dynamicRoutes: [
    { page: "/api/activity-log/records/[id]", regex: "^/api/activity\\-log/records/([^/]+?)(?:/)?$" },
    { page: "/api/auth/[...nextauth]", regex: "^/api/auth/(.+?)(?:/)?$" },
    { page: "/customers/[customerId]/subscriptions", regex: "^/customers/([^/]+?)/subscriptions(?:/)?$" },
  ],
};

const parse = (line: string) => JSON.parse(line) as Record<string, unknown>;

const STORAGE_KEY = Symbol.for("partner-activity-log.request-context");
beforeEach(() => {
  // The lines go to stdout too; the tests read them from REQUEST_LOG_FILE.
  vi.spyOn(process.stdout, "write").mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
  delete (globalThis as Record<symbol, unknown>)[STORAGE_KEY];
  delete process.env.REQUEST_LOG_FILE;
});

describe("formatLogLine", () => {
  it("writes one JSON object with ts first and every well-formed field", () => {
    const entry: LogEntry = {
      level: "info",
      msg: "request",
      requestId: REQUEST,
      method: "GET",
      route: "/customers/[customerId]/subscriptions",
      params: { customerId: CUSTOMER },
      status: 200,
      durationMs: 12.345,
      userId: USER,
      tenantId: TENANT,
      cloud: "commercial",
      role: "global_admin",
      rows: 25,
    };
    const line = formatLogLine(entry, NOW);
    expect(line).not.toContain("\n");
    expect(parse(line)).toEqual({ ts: NOW.toISOString(), ...entry, durationMs: 12.3 });
    expect(Object.keys(parse(line)).slice(0, 3)).toEqual(["ts", "level", "msg"]);
  });

  it("drops a value that does not have its field's shape, and every field it does not know", () => {
    const line = parse(
      formatLogLine(
        {
          level: "info",
          msg: "request",
          requestId: "not-an-id",
          method: "get /x",
          route: "/account/activity-log?customer=Müller%20%26%20Söhne&user=admin@contoso.example",
          params: { customerId: "admin@contoso.example", id: "12345", "bad name": CUSTOMER },
          userId: "admin@contoso.example",
          tenantId: "Contoso Partners",
          cloud: "azure",
          role: "Global Admin <script>",
          rows: -1,
          status: 42,
          durationMs: Number.NaN,
          errorName: "Error: duplicate key value (email)=(admin@contoso.example)",
          // Not LogEntry fields: they never reach the line, whatever they hold.
          email: "admin@contoso.example",
          cookie: "authjs.session-token=abc",
          query: "?customer=Contoso",
        } as LogEntry,
        NOW,
      ),
    );
    expect(line).toEqual({
      ts: NOW.toISOString(),
      level: "info",
      msg: "request",
      method: "OTHER",
      route: "/account/activity-log",
      params: { id: "12345" },
    });
  });

  it("never lets an email, a query string or free text through, whatever the fields hold", () => {
    const anything = fc.oneof(
      fc.string(),
      fc.constantFrom(
        "admin@contoso.example",
        "?customer=Contoso",
        "Müller & Söhne GmbH",
        "/a/b@c.d?e",
        "주식회사 한빛소프트",
      ),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.dictionary(fc.string(), fc.string()),
    );
    const fields = [
      "level",
      "msg",
      "event",
      "requestId",
      "method",
      "route",
      "params",
      "status",
      "durationMs",
      "userId",
      "tenantId",
      "cloud",
      "role",
    ];
    const more = ["apiKeyId", "rows", "outcome", "aborted", "prefetch", "errorName", "errorCode", "port", "mode"];
    fc.assert(
      fc.property(fc.record(Object.fromEntries([...fields, ...more].map((f) => [f, anything]))), (entry) => {
        const line = formatLogLine(entry as unknown as LogEntry, NOW);
        const parsed = parse(line);
        // Plain characters only: ids, enums, numbers, route patterns, the timestamp.
        expect(line).toMatch(/^[\w{}":,.+\-/[\]~]*$/);
        expect(Object.keys(parsed).slice(0, 2)).toEqual(["ts", "level"]);
        expect(line).not.toContain("@");
        expect(line).not.toContain("?");
        expect(parsed.ts).toBe(NOW.toISOString());
        expect(["debug", "info", "warn", "error"]).toContain(parsed.level);
      }),
      { numRuns: 500 },
    );
  });
});

describe("redactPath", () => {
  it("keeps plain segments and route placeholders, turns ids into [id] and anything else into [redacted]", () => {
    expect(redactPath("/")).toBe("/");
    expect(redactPath("/account/activity-log")).toBe("/account/activity-log");
    expect(redactPath("/api/auth/[...nextauth]")).toBe("/api/auth/[...nextauth]");
    expect(redactPath(`/customers/${CUSTOMER}/subscriptions`)).toBe("/customers/[id]/subscriptions");
    expect(redactPath("/api/activity-log/records/123456")).toBe("/api/activity-log/records/[id]");
    expect(redactPath("/u/admin@contoso.example/x")).toBe("/u/[redacted]/x");
    expect(redactPath("/c/M%C3%BCller%20GmbH")).toBe("/c/[redacted]");
    expect(redactPath("/c/주식회사")).toBe("/c/[redacted]");
    expect(redactPath("/search?q=admin@contoso.example#top")).toBe("/search");
    expect(redactPath("no-slash")).toBe("[redacted]");
    expect(redactPath("/" + "a/".repeat(20))).toBe("/" + "a/".repeat(12).slice(0, -1) + "/...");
  });
});

describe("createRouteMatcher", () => {
  const match = createRouteMatcher(MANIFEST);

  it("names the route pattern a path matched, static routes before dynamic ones", () => {
    expect(match("/account/activity-log")).toEqual({ route: "/account/activity-log" });
    expect(match("/customers/new")).toEqual({ route: "/customers/new" });
    expect(match("/api/auth/callback/commercial")).toEqual({ route: "/api/auth/[...nextauth]" });
  });

  it("keeps the ids of dynamic segments as params, and nothing else", () => {
    expect(match(`/customers/${CUSTOMER}/subscriptions`)).toEqual({
      route: "/customers/[customerId]/subscriptions",
      params: { customerId: CUSTOMER },
    });
    expect(match("/api/activity-log/records/987")).toEqual({
      route: "/api/activity-log/records/[id]",
      params: { id: "987" },
    });
    expect(match("/customers/admin@contoso.example/subscriptions")).toEqual({
      route: "/customers/[customerId]/subscriptions",
    });
  });

  it("redacts a path no route matches, and works without a manifest (dev)", () => {
    expect(match("/wp-admin/admin@contoso.example")).toEqual({ route: "/wp-admin/[redacted]" });
    expect(createRouteMatcher(null)(`/customers/${CUSTOMER}/subscriptions`)).toEqual({
      route: "/customers/[id]/subscriptions",
    });
  });
});

describe("the request line", () => {
  it("takes the pathname of the request target only", () => {
    expect(requestPathname("/account/activity-log?customer=Contoso&user=a@b.c")).toBe("/account/activity-log");
    expect(requestPathname("http://localhost:3000/api/health?x=1")).toBe("/api/health");
    expect(requestPathname(undefined)).toBe("/");
    expect(isStaticAsset("/_next/static/chunks/app.js")).toBe(true);
    expect(isStaticAsset("/account/activity-log")).toBe(false);
    expect(isStaticAsset("/icon.svg")).toBe(true);
  });

  it("honours a caller's request id only when it is a UUID", () => {
    expect(requestIdFrom(REQUEST.toUpperCase())).toBe(REQUEST);
    const generated = requestIdFrom("admin@contoso.example");
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated).not.toBe(requestIdFrom(undefined));
  });

  it("carries the app's annotations, the status, the duration and whether the client stayed", () => {
    const open = openRequest(
      { method: "GET", url: `/customers/${CUSTOMER}/subscriptions?tab=all`, headers: {} },
      createRouteMatcher(MANIFEST),
      1_000,
    );
    open.state.annotations = { userId: USER, tenantId: TENANT, cloud: "usgov", role: "admin_agent", rows: 3 };
    const entry = requestLogEntry(open, { status: 200, finished: true, now: 1_042.5 });
    expect(entry).toMatchObject({
      level: "info",
      msg: "request",
      method: "GET",
      route: "/customers/[customerId]/subscriptions",
      params: { customerId: CUSTOMER },
      status: 200,
      durationMs: 42.5,
      userId: USER,
      tenantId: TENANT,
      cloud: "usgov",
      role: "admin_agent",
      rows: 3,
    });
    expect(entry.aborted).toBeUndefined();
    expect(requestLogEntry(open, { status: 200, finished: false }).aborted).toBe(true);
    expect(requestLogEntry(open, { status: 503, finished: true }).level).toBe("error");
    const asset = openRequest(
      { method: "GET", url: "/_next/static/chunks/x.js", headers: {} },
      createRouteMatcher(MANIFEST),
    );
    expect(requestLogEntry(asset, { status: 200, finished: true }).level).toBe("debug");
    expect(entry.prefetch).toBeUndefined();
    const prefetch = openRequest(
      { method: "GET", url: "/customers", headers: { "next-router-prefetch": "1" } },
      createRouteMatcher(MANIFEST),
    );
    expect(requestLogEntry(prefetch, { status: 200, finished: true }).prefetch).toBe(true);
  });

  it("is written at info and above unless LOG_LEVEL says otherwise", () => {
    expect(levelEnabled("debug", undefined)).toBe(false);
    expect(levelEnabled("info", undefined)).toBe(true);
    expect(levelEnabled("debug", "debug")).toBe(true);
    expect(levelEnabled("info", "warn")).toBe(false);
    expect(levelEnabled("info", "nonsense")).toBe(true);
  });
});

describe("annotate", () => {
  it("does nothing where no server opened a request", () => {
    expect(() => annotate({ userId: USER })).not.toThrow();
    expect(currentRequest()).toBeUndefined();
  });

  it("adds to the request the code runs in, across awaits, and to no other", async () => {
    const storage = new AsyncLocalStorage<RequestState>();
    installRequestStorage(storage);
    const a: RequestState = { requestId: REQUEST, method: "GET", route: "/a", annotations: {} };
    const b: RequestState = { requestId: CUSTOMER, method: "GET", route: "/b", annotations: {} };
    await Promise.all([
      storage.run(a, async () => {
        annotate({ userId: USER });
        await new Promise((resolve) => setTimeout(resolve, 5));
        annotate({ rows: 7 });
      }),
      storage.run(b, async () => {
        await new Promise((resolve) => setImmediate(resolve));
        annotate({ tenantId: TENANT });
      }),
    ]);
    annotate({ rows: 99 });
    expect(a.annotations).toEqual({ userId: USER, rows: 7 });
    expect(b.annotations).toEqual({ tenantId: TENANT });
  });
});

describe("the export line", () => {
  it("says who exported how many rows, how long it took and how it ended; the request line gets the rows", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "request-log-"));
    try {
      process.env.REQUEST_LOG_FILE = path.join(dir, "log.jsonl");
      const storage = new AsyncLocalStorage<RequestState>();
      installRequestStorage(storage);
      const state: RequestState = {
        requestId: REQUEST,
        method: "GET",
        route: "/api/activity-log/export",
        annotations: { userId: USER, tenantId: TENANT, cloud: "commercial", role: "global_admin" },
      };
      const failure = Object.assign(new Error("duplicate key (user)=(admin@contoso.example)"), {
        name: "PostgresError",
        code: "57014",
      });
      storage.run(state, () => {
        logExportSettled({ rows: 19_466, durationMs: 971.24, aborted: false });
        logExportSettled({
          rows: 1_000,
          durationMs: 59.5,
          aborted: true,
          error: new DOMException("gone", "AbortError"),
        });
        logExportSettled({ rows: 2_000, durationMs: 80, aborted: false, error: failure });
      });
      const text = readFileSync(process.env.REQUEST_LOG_FILE, "utf8");
      const lines = text.trimEnd().split("\n").map(parse);
      expect(lines.map((l) => [l.msg, l.outcome, l.rows, l.level])).toEqual([
        ["export", "complete", 19_466, "info"],
        ["export", "aborted", 1_000, "info"],
        ["export", "failed", 2_000, "error"],
      ]);
      expect(lines[0]).toMatchObject({
        requestId: REQUEST,
        route: "/api/activity-log/export",
        userId: USER,
        tenantId: TENANT,
        cloud: "commercial",
        durationMs: 971.2,
      });
      expect(lines[2]).toMatchObject({ errorName: "PostgresError", errorCode: "57014" });
      expect(text).not.toContain("@");
      expect(state.annotations.rows).toBe(2_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("still writes a line outside a request (no server), without the request's fields", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "request-log-"));
    try {
      process.env.REQUEST_LOG_FILE = path.join(dir, "log.jsonl");
      writeLog({ level: "info", msg: "server", event: "listening", port: 3000, mode: "production" });
      logExportSettled({ rows: 0, durationMs: 1, aborted: false });
      const lines = readFileSync(process.env.REQUEST_LOG_FILE, "utf8").trimEnd().split("\n").map(parse);
      expect(lines[0]).toMatchObject({ msg: "server", event: "listening", port: 3000, mode: "production" });
      expect(lines[1]).toMatchObject({ msg: "export", rows: 0, outcome: "complete" });
      expect(at(lines, 1, "the export's line").userId).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
