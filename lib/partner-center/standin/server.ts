import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { PARTNER_CENTER_SCOPE } from "../sync/remote";
import {
  dayNumber,
  generatedCustomers,
  recordsOfDay,
  type AuditRecordJson,
  type GeneratorOptions,
  type StandinCustomer,
} from "./records";
import type { Cloud } from "@/lib/domain";

/*
 * A local stand-in for Partner Center, as the local OIDC server stands in for Entra ID: the token
 * endpoints of both clouds' authorities (client credentials and refresh tokens) and GET
 * /v1/auditrecords with its documented contract: the Collection envelope, seek paging by an
 * MS-ContinuationToken, 429 with Retry-After, 400 for a startDate older than 90 days, and tokens
 * checked per cloud (an authority knows only its own cloud's partners). Tests and the demo can
 * queue faults, add late records and read which endpoints were called.
 */

const MAX_PAGE_SIZE = 500;
const RETENTION_DAYS = 90;
const DAY_MS = 86_400_000;

export interface StandinPartner {
  tenantId: string;
  cloud: Cloud;
  clientId: string;
  clientSecret: string;
  /** For the app + user flow; rotated on every use, as Entra ID does. */
  refreshToken?: string;
  recordsPerDay: number;
  customers?: StandinCustomer[];
  users?: string[];
}

export type StandinFault =
  | { kind: "429"; retryAfterSeconds?: number }
  | { kind: "500" | "503" }
  | { kind: "timeout" }
  | { kind: "reset" }
  /** A 200 whose body stops half-way: the connection cut, or left hanging until the client gives up. */
  | { kind: "cut-body" | "stall-body" }
  | { kind: "expired-token" }
  | { kind: "foreign-record"; partnerId: string };

export interface StandinRequest {
  /** "api", or the authority ("commercial" / "usgov") a token was asked of. */
  endpoint: "api" | Cloud;
  tenantId: string | null;
  status: number;
  /** The query of an API call. */
  query?: string;
}

export interface PartnerCenterStandin {
  url: string;
  /** The authority base of a cloud: token requests go to `{authority}/{tenant}/oauth2/v2.0/token`. */
  authorityFor(cloud: Cloud): string;
  /** Faults for the next API requests (or token requests, with `target: "token"`), one each, in order. */
  injectFaults(faults: StandinFault[], target?: "api" | "token"): void;
  /** Drops the faults not yet served. */
  clearFaults(): void;
  /** Records that Partner Center delivers late: served from now on, in their day. */
  addLateRecords(tenantId: string, records: AuditRecordJson[]): void;
  /** Makes every access token issued so far expire now. */
  expireTokens(): void;
  /** The refresh token a partner holds now (rotated on use). */
  refreshTokenOf(tenantId: string): string | undefined;
  requests: StandinRequest[];
  /** Every record a partner has in [start, end), as the API would serve them. */
  recordsBetween(tenantId: string, start: Date, end: Date): AuditRecordJson[];
  close(): Promise<void>;
}

interface IssuedToken {
  tenantId: string;
  cloud: Cloud;
  expiresAt: number;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
};

const apiError = (res: ServerResponse, status: number, description: string, headers: Record<string, string> = {}) =>
  json(res, status, { code: status, description, errorName: "Error", isRetryable: status >= 500 }, headers);

const tokenError = (res: ServerResponse, status: number, error: string, description: string) =>
  json(res, status, { error, error_description: description, error_codes: [], timestamp: new Date().toISOString() });

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** A date as Partner Center takes it: yyyy-mm-dd, MM/dd/yyyy HH:mm:ss or ISO 8601, in UTC. */
function parseDate(value: string): number {
  const invariant = /^(\d{2})\/(\d{2})\/(\d{4})(?: (\d{2}):(\d{2}):(\d{2}))?$/.exec(value);
  if (invariant) {
    const [, mm, dd, yyyy, h = "00", m = "00", s = "00"] = invariant;
    return Date.parse(`${yyyy}-${mm}-${dd}T${h}:${m}:${s}Z`);
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return Date.parse(`${value}T00:00:00Z`);
  return Date.parse(/(Z|[+-]\d{2}:\d{2})$/i.test(value) ? value : `${value}Z`);
}

export async function startPartnerCenterStandin(options: {
  port?: number;
  partners: StandinPartner[];
  tokenLifetimeSeconds?: number;
  now?: () => number;
}): Promise<PartnerCenterStandin> {
  const now = options.now ?? Date.now;
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const partners = new Map(options.partners.map((p) => [p.tenantId.toLowerCase(), { ...p }]));
  const generators = new Map<string, GeneratorOptions>();
  for (const p of partners.values()) {
    generators.set(p.tenantId, {
      partnerId: p.tenantId,
      recordsPerDay: p.recordsPerDay,
      customers: p.customers?.length ? p.customers : generatedCustomers(p.tenantId),
      users: p.users?.length ? p.users : [`admin@${p.tenantId.slice(0, 8)}.onmicrosoft.com`],
    });
  }
  const late = new Map<string, Map<number, AuditRecordJson[]>>();
  const tokens = new Map<string, IssuedToken>();
  const faults: Record<"api" | "token", StandinFault[]> = { api: [], token: [] };
  const requests: StandinRequest[] = [];
  const sockets = new Set<Socket>();

  // A day's generated records never change: generate each once (a bounded cache; pages re-read days).
  const generated = new Map<string, AuditRecordJson[]>();
  const dayOf = (generator: GeneratorOptions, day: number) => {
    const key = `${generator.partnerId}/${day}`;
    let records = generated.get(key);
    if (!records) {
      records = recordsOfDay(generator, day);
      if (generated.size >= 64) generated.delete(generated.keys().next().value!);
      generated.set(key, records);
    }
    return records;
  };

  const recordsBetween = (tenantId: string, start: number, end: number): AuditRecordJson[] => {
    const generator = generators.get(tenantId);
    if (!generator) return [];
    const out: AuditRecordJson[] = [];
    const upTo = Math.min(end, now());
    for (let day = dayNumber(start); day <= dayNumber(upTo - 1); day++) {
      const extra = late.get(tenantId)?.get(day) ?? [];
      for (const record of [...dayOf(generator, day), ...extra]) {
        const at = Date.parse(String(record.operationDate));
        if (at >= start && at < upTo) out.push(record);
      }
    }
    return out.sort((a, b) =>
      a.operationDate === b.operationDate
        ? String(a.id).localeCompare(String(b.id))
        : String(a.operationDate) < String(b.operationDate)
          ? -1
          : 1,
    );
  };

  async function token(req: IncomingMessage, res: ServerResponse, cloud: Cloud, tenantId: string) {
    const entry: StandinRequest = { endpoint: cloud, tenantId, status: 0 };
    requests.push(entry);
    const fault = faults.token.shift();
    const reply = (status: number, error: string, description: string) => {
      entry.status = status;
      tokenError(res, status, error, description);
    };
    if (fault?.kind === "500" || fault?.kind === "503")
      return reply(Number(fault.kind), "temporarily_unavailable", "AADSTS90033: A transient error has occurred.");
    const form = new URLSearchParams(await readBody(req));
    const partner = partners.get(tenantId);
    if (!partner || partner.cloud !== cloud) {
      return reply(400, "invalid_request", `AADSTS90002: Tenant '${tenantId}' not found in this cloud.`);
    }
    if (form.get("scope") !== PARTNER_CENTER_SCOPE) {
      return reply(400, "invalid_scope", `AADSTS70011: The scope '${form.get("scope")}' is not valid.`);
    }
    if (form.get("client_id") !== partner.clientId) {
      return reply(
        400,
        "unauthorized_client",
        `AADSTS700016: Application '${form.get("client_id")}' was not found in the directory.`,
      );
    }
    if (form.get("client_secret") !== partner.clientSecret) {
      return reply(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
    }
    const grant = form.get("grant_type");
    const body: Record<string, unknown> = { token_type: "Bearer", expires_in: lifetime, ext_expires_in: lifetime };
    if (grant === "refresh_token") {
      if (!partner.refreshToken || form.get("refresh_token") !== partner.refreshToken) {
        return reply(400, "invalid_grant", "AADSTS70000: The provided refresh token is invalid or has expired.");
      }
      partner.refreshToken = randomBytes(24).toString("base64url");
      body.refresh_token = partner.refreshToken;
    } else if (grant !== "client_credentials") {
      return reply(400, "unsupported_grant_type", `AADSTS70003: The grant type '${grant}' is not supported.`);
    }
    const accessToken = randomBytes(24).toString("base64url");
    tokens.set(accessToken, { tenantId, cloud, expiresAt: now() + lifetime * 1000 });
    entry.status = 200;
    json(res, 200, { ...body, access_token: accessToken });
  }

  function auditRecords(req: IncomingMessage, res: ServerResponse, url: URL) {
    const entry: StandinRequest = { endpoint: "api", tenantId: null, status: 0, query: url.search };
    requests.push(entry);
    const reply = (status: number, description: string, headers: Record<string, string> = {}) => {
      entry.status = status;
      apiError(res, status, description, headers);
    };
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const issued = bearer ? tokens.get(bearer) : undefined;
    entry.tenantId = issued?.tenantId ?? null;
    const fault = faults.api.shift();
    if (fault?.kind === "timeout") return; // never answers: the client's timeout ends it
    if (fault?.kind === "reset") return req.socket.destroy();
    if (fault?.kind === "429") {
      return reply(429, "Too many requests.", { "retry-after": String(fault.retryAfterSeconds ?? 1) });
    }
    if (fault?.kind === "500" || fault?.kind === "503") return reply(Number(fault.kind), "Internal server error.");
    if (!issued) return reply(401, "The access token is missing or invalid.");
    if (fault?.kind === "expired-token" || issued.expiresAt <= now()) {
      return reply(401, "The access token has expired.");
    }
    const partner = partners.get(issued.tenantId);
    if (!partner || partner.cloud !== issued.cloud)
      return reply(401, "The token's authority is not this partner's cloud.");

    const sizeText = url.searchParams.get("size") ?? String(MAX_PAGE_SIZE);
    const size = Number(sizeText);
    if (!/^\d+$/.test(sizeText) || size < 1 || size > MAX_PAGE_SIZE) {
      return reply(400, `size must be from 1 to ${MAX_PAGE_SIZE}.`);
    }
    const continuation = req.headers["ms-continuationtoken"];
    let start: number;
    let end: number;
    let after: { date: string; id: string } | null = null;
    if (typeof continuation === "string" && continuation) {
      try {
        const body = JSON.parse(Buffer.from(continuation, "base64url").toString("utf8")) as {
          s: number;
          e: number;
          d: string;
          i: string;
          p: string;
        };
        if (body.p !== issued.tenantId) throw new Error("another partner's token");
        ({ s: start, e: end } = body);
        after = { date: body.d, id: body.i };
      } catch {
        return reply(400, "The continuation token is invalid.");
      }
    } else {
      const startText = url.searchParams.get("startDate");
      const endText = url.searchParams.get("endDate");
      start = startText ? parseDate(startText) : now() - 30 * DAY_MS;
      end = endText ? parseDate(endText) : now();
      if (Number.isNaN(start) || Number.isNaN(end)) return reply(400, "startDate and endDate must be dates.");
      if (start < now() - RETENTION_DAYS * DAY_MS) {
        return reply(400, `startDate cannot be more than ${RETENTION_DAYS} days in the past.`);
      }
      if (start >= end) return reply(400, "startDate must be before endDate.");
    }
    let records = recordsBetween(issued.tenantId, start, end);
    if (after) {
      const a = after;
      records = records.filter(
        (r) => String(r.operationDate) > a.date || (r.operationDate === a.date && String(r.id) > a.id),
      );
    }
    const page = records.slice(0, size);
    const [head] = page;
    if (fault?.kind === "foreign-record" && head) {
      page.unshift({
        ...head,
        id: `${fault.partnerId}_${String(head.id).split("_").at(-1)}`,
        partnerId: fault.partnerId,
      });
    }
    const last = page.at(-1);
    const more = records.length > size && last;
    const uri = `/auditrecords?size=${size}&startDate=${new Date(start).toISOString()}&endDate=${new Date(end).toISOString()}`;
    const next = more
      ? Buffer.from(
          JSON.stringify({ s: start, e: end, d: last.operationDate, i: last.id, p: issued.tenantId }),
          "utf8",
        ).toString("base64url")
      : null;
    entry.status = 200;
    const body = {
      totalCount: page.length,
      items: page,
      links: {
        self: { uri, method: "GET", headers: [] },
        ...(next ? { next: { uri, method: "GET", headers: [{ key: "MS-ContinuationToken", value: next }] } } : {}),
      },
      attributes: { objectType: "Collection" },
    };
    if (fault?.kind === "cut-body" || fault?.kind === "stall-body") {
      const text = JSON.stringify(body);
      res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
      const half = text.slice(0, Math.floor(text.length / 2));
      // Cut once the half is on its way; a stalled one stays open until the client's timeout.
      res.write(half, () => {
        if (fault.kind === "cut-body") req.socket.destroy();
      });
      return;
    }
    json(res, 200, body);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://standin");
    const [, cloud, tenant] =
      /^\/(commercial|usgov)-authority\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname) ?? [];
    if (req.method === "POST" && cloud !== undefined && tenant !== undefined) {
      void token(req, res, cloud as Cloud, tenant.toLowerCase()).catch(() => {
        if (!res.headersSent) tokenError(res, 500, "server_error", "The stand-in failed.");
      });
      return;
    }
    if (req.method === "GET" && url.pathname === "/v1/auditrecords") return auditRecords(req, res, url);
    // Faults on request, for a demo or a test in another process: {"faults": [...], "target": "api" | "token"}.
    if (req.method === "POST" && url.pathname === "/_standin/faults") {
      void readBody(req).then((text) => {
        try {
          const body = JSON.parse(text) as { faults?: StandinFault[]; target?: "api" | "token" };
          if (!Array.isArray(body.faults) || (body.target && body.target !== "api" && body.target !== "token")) {
            throw new Error("faults must be an array and target api or token");
          }
          faults[body.target ?? "api"].push(...body.faults);
          json(res, 200, { queued: body.faults.length });
        } catch (error) {
          apiError(res, 400, error instanceof Error ? error.message : "bad request");
        }
      });
      return;
    }
    apiError(res, 404, "Not found.");
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    authorityFor: (cloud) => `${url}/${cloud}-authority`,
    injectFaults: (list, target = "api") => faults[target].push(...list),
    clearFaults() {
      faults.api.length = 0;
      faults.token.length = 0;
    },
    addLateRecords(tenantId, records) {
      const byDay = late.get(tenantId) ?? new Map<number, AuditRecordJson[]>();
      late.set(tenantId, byDay);
      for (const record of records) {
        const day = dayNumber(Date.parse(String(record.operationDate)));
        byDay.set(day, [...(byDay.get(day) ?? []), record]);
      }
    },
    expireTokens() {
      for (const issued of tokens.values()) issued.expiresAt = now();
    },
    refreshTokenOf: (tenantId) => partners.get(tenantId)?.refreshToken,
    requests,
    recordsBetween: (tenantId, start, end) => recordsBetween(tenantId, start.getTime(), end.getTime()),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
