import { authorityFor } from "./authority";
import { backoffMs, DEFAULT_RETRY_POLICY, retryAfterMs, sleep, type RetryPolicy } from "./retry";
import type { Cloud } from "@/lib/domain";

/*
 * The Partner Center API as the sync sees it: a token from the tenant's own cloud's authority
 * (app-only client credentials, or app + user through a refresh token), then GET /v1/auditrecords
 * page by page, following MS-ContinuationToken. Transient failures are retried here; everything
 * that ends a run is a SyncFailure whose message says in words what went wrong, for the Data
 * sources page. Secrets never go into a message.
 */

export const PARTNER_CENTER_SCOPE = "https://api.partnercenter.microsoft.com/.default";
export const AUDIT_PAGE_SIZE = 500;

export class SyncFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SyncFailure";
  }
}

export interface RemoteConnection {
  tenantId: string;
  cloud: Cloud;
  clientId: string;
  clientSecret: string;
  refreshToken: string | null;
  baseUrl: string;
}

export interface RemoteOptions {
  policy?: RetryPolicy;
  env?: Record<string, string | undefined>;
  /** Entra ID rotates refresh tokens: the new one must be kept. */
  onRefreshToken?: (token: string) => Promise<void>;
}

/** The SDK's invariant-culture form, which Partner Center documents alongside yyyy-mm-dd. */
export function partnerCenterDate(at: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(at.getUTCMonth() + 1)}/${p(at.getUTCDate())}/${at.getUTCFullYear()} ${p(at.getUTCHours())}:${p(at.getUTCMinutes())}:${p(at.getUTCSeconds())}`;
}

function networkProblem(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return "no answer in time";
  }
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** A JSON object, or null for anything else (a malformed answer is not retried: it would be the same). */
function parseJsonObject(raw: string): Record<string, unknown> | null {
  try {
    const body: unknown = JSON.parse(raw);
    return typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** An answer read to its end: the status, headers and the JSON body. */
interface Answer {
  status: number;
  ok: boolean;
  body: Record<string, unknown> | null;
}

const text = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);

export class PartnerCenterRemote {
  private accessToken: string | null = null;
  private readonly policy: RetryPolicy;
  private readonly authority: string;

  constructor(
    private connection: RemoteConnection,
    private readonly options: RemoteOptions = {},
  ) {
    this.policy = options.policy ?? DEFAULT_RETRY_POLICY;
    this.authority = authorityFor(connection.cloud, options.env);
  }

  /** The authority's host, for messages ("login.microsoftonline.us"). */
  get authorityHost(): string {
    try {
      return new URL(this.authority).host;
    } catch {
      return this.authority;
    }
  }

  /** One request, retried through throttling and transient failures. */
  /*
   * The timeout covers the body too, and the body is read inside the retry loop: a page cut off
   * or stalled half-way (a slow network, a busy machine) is retried like a connection that failed,
   * not mistaken for an answer that holds no records.
   */
  private async send(url: string, init: RequestInit, what: string): Promise<Answer> {
    for (let attempt = 1; ; attempt++) {
      let problem: string;
      let wait = backoffMs(this.policy, attempt);
      try {
        const res = await fetch(url, { ...init, signal: AbortSignal.timeout(this.policy.timeoutMs) });
        if (res.status !== 429 && res.status < 500) {
          const raw = await res.text();
          return { status: res.status, ok: res.ok, body: parseJsonObject(raw) };
        }
        await res.body?.cancel();
        problem = res.status === 429 ? "throttled (429 Too Many Requests)" : `HTTP ${res.status}`;
        if (res.status === 429) wait = retryAfterMs(res.headers.get("retry-after"), this.policy) ?? wait;
      } catch (error) {
        problem = networkProblem(error);
      }
      if (attempt >= this.policy.attempts) {
        throw new SyncFailure(`${what} failed ${attempt} times in a row; the last time: ${problem}.`);
      }
      await sleep(wait);
    }
  }

  private async token(): Promise<string> {
    if (this.accessToken) return this.accessToken;
    const c = this.connection;
    const form = new URLSearchParams({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      scope: PARTNER_CENTER_SCOPE,
    });
    if (c.refreshToken) {
      form.set("grant_type", "refresh_token");
      form.set("refresh_token", c.refreshToken);
    } else form.set("grant_type", "client_credentials");
    const url = `${this.authority}/${encodeURIComponent(c.tenantId)}/oauth2/v2.0/token`;
    const { status, ok, body } = await this.send(
      url,
      { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form },
      `Getting a token from ${this.authorityHost}`,
    );
    if (!ok || !body || !text(body.access_token)) {
      throw new SyncFailure(this.tokenProblem(status, body));
    }
    const rotated = text(body.refresh_token);
    if (rotated && c.refreshToken && rotated !== c.refreshToken) {
      this.connection = { ...c, refreshToken: rotated };
      await this.options.onRefreshToken?.(rotated);
    }
    this.accessToken = text(body.access_token);
    return this.accessToken!;
  }

  private tokenProblem(status: number, body: Record<string, unknown> | null): string {
    const error = text(body?.error);
    const said = text(body?.error_description)?.split(/\r?\n/)[0];
    const because = said ? ` (${said})` : "";
    const host = this.authorityHost;
    switch (error) {
      case "invalid_client":
        return `${host} refused the client secret${because}. Enter the app registration's current secret.`;
      case "unauthorized_client":
        return `${host} does not know the client id ${this.connection.clientId} in this tenant${because}. Check the client id.`;
      case "invalid_grant":
        return `${host} refused the refresh token${because}. Get a new one by signing in to the app again.`;
      case "invalid_request":
        return `${host} refused the token request${because}. The tenant may not exist in this cloud.`;
      default:
        return `${host} refused the token request with HTTP ${status}${error ? ` ${error}` : ""}${because}.`;
    }
  }

  /**
   * One page of the records of [start, end): the first (no continuation) or the one a
   * continuation token points at, and the token of the next, if any. A 401 gets a new token once;
   * a second 401 ends the run.
   */
  async fetchPage(
    start: Date,
    end: Date,
    {
      size = AUDIT_PAGE_SIZE,
      continuation = null,
      page = 1,
    }: { size?: number; continuation?: string | null; page?: number } = {},
  ): Promise<{ items: unknown[]; next: string | null }> {
    const query = new URLSearchParams({
      startDate: partnerCenterDate(start),
      endDate: partnerCenterDate(end),
      size: String(size),
    });
    const url = `${this.connection.baseUrl.replace(/\/+$/, "")}/v1/auditrecords?${query}`;
    let res: Answer | null = null;
    for (let tokenTry = 1; tokenTry <= 2; tokenTry++) {
      const headers: Record<string, string> = {
        authorization: `Bearer ${await this.token()}`,
        accept: "application/json",
      };
      if (continuation) headers["MS-ContinuationToken"] = continuation;
      res = await this.send(url, { headers }, `Reading page ${page} of Partner Center's audit records`);
      if (res.status !== 401) break;
      this.accessToken = null;
    }
    if (!res) throw new SyncFailure("No answer from Partner Center.");
    const { body } = res;
    if (res.status === 401) {
      throw new SyncFailure(
        `Partner Center refused a fresh access token from ${this.authorityHost} too (HTTP 401). Check that the app has Partner Center API access.`,
      );
    }
    if (!res.ok) {
      const said = text(body?.description) ?? text(body?.message);
      throw new SyncFailure(`Partner Center refused the request with HTTP ${res.status}${said ? `: ${said}` : "."}`);
    }
    if (!body || !Array.isArray(body.items)) {
      throw new SyncFailure("Partner Center's answer was not a collection of audit records.");
    }
    const links = body.links as { next?: { headers?: Array<{ key?: string; value?: string }> } } | undefined;
    const next =
      links?.next?.headers?.find((h) => h.key?.toLowerCase() === "ms-continuationtoken")?.value ??
      text(body.continuationToken);
    return { items: body.items as unknown[], next: next || null };
  }
}
