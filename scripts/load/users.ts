import http from "node:http";
import zlib from "node:zlib";
import type { CookieJar } from "../harness/app-server";
import { sleep } from "../harness/util";
import { checkboxValues, customerLinks, hasTestId, nextPageHref, rowRefs, type CustomerRef, type RowRef } from "./html";
import type { PageKind, Phase, Recorder } from "./stats";
import { OPERATION_STATUSES } from "@/lib/domain";

/*
 * The virtual users. A browser loops over what a partner admin does on the Activity log, with a
 * think time before each step:
 *   the log's first page (default range: the most recent month) -> a filtered page (status, action,
 *   customer, or status + action, in turn) -> the next page through the "Older" link of the first
 *   page -> one row's details (the API an expanded row calls) -> Customers -> one customer's
 *   Subscriptions page.
 * A user whose role may not view the log (sales, helpdesk) browses Customers and Subscriptions only.
 * An exporter loops "Export log" over a range of a few hundred thousand rows, reading every byte.
 *
 * Every request has an expected answer; anything else is an error: another status (a redirect to
 * sign-in included), a network error or timeout, a page without the content it must have (a log
 * page showing its "could not load" alert, a page that ended before its results streamed in), an
 * export with another status or fewer or more rows than the range holds (a truncated download).
 */

const PAGE_TIMEOUT_MS = 30_000;
const EXPORT_TIMEOUT_MS = 10 * 60_000;
const LOG_PATH = "/account/activity-log";

/** Where traffic currently goes: which phase and segment its samples belong to, and whether it is open. */
export interface Window {
  phase: Phase | "warmup";
  segment: number;
  open: boolean;
  /** Resolves when the window closes: sleeping users wake at once. */
  closed: Promise<void>;
}

export function openWindow(phase: Window["phase"], segment: number): Window & { close(): void } {
  let close!: () => void;
  const closed = new Promise<void>((resolve) => (close = resolve));
  const window = {
    phase,
    segment,
    open: true,
    closed,
    close() {
      window.open = false;
      close();
    },
  };
  return window;
}

export interface Session {
  /** Which virtual user this is (1-based) and as whom it signed in. */
  index: number;
  email: string;
  canViewLog: boolean;
  jar: CookieJar;
}

class StepError extends Error {}

const pick = <T>(items: readonly T[]): T => {
  const item = items[Math.floor(Math.random() * items.length)];
  if (item === undefined) throw new Error("Cannot pick from an empty list.");
  return item;
};

interface Answer {
  status: number;
  body: string;
  ms: number;
}

export class Browser {
  private customers: CustomerRef[] = [];
  private actions: string[] = [];
  private filterTurn: number;

  constructor(
    readonly session: Session,
    private readonly baseUrl: string,
    private readonly recorder: Recorder,
    private readonly thinkMs: { min: number; max: number },
  ) {
    this.filterTurn = session.index;
  }

  /** Loops until the window closes; the request in flight then completes (and is counted). */
  async run(window: Window): Promise<void> {
    // A random start, so that the users do not arrive in lockstep.
    await this.think(window, 0, this.thinkMs.max);
    while (window.open) {
      if (this.session.canViewLog) await this.logLoop(window);
      else await this.customerLoop(window);
    }
  }

  private async think(window: Window, min = this.thinkMs.min, max = this.thinkMs.max): Promise<boolean> {
    const ms = min + Math.random() * (max - min);
    await Promise.race([sleep(ms), window.closed]);
    return window.open;
  }

  private async logLoop(window: Window): Promise<void> {
    const first = await this.step(window, "log.first", LOG_PATH, (a) => this.checkLogPage(a, true));
    if (!first || !(await this.think(window))) return;
    const rows = rowRefs(first.body);
    if (this.actions.length === 0) this.actions = checkboxValues(first.body, "filter-action", "action");

    await this.step(window, "log.filtered", `${LOG_PATH}?${this.filterQuery()}`, (a) => this.checkLogPage(a, false));
    if (!(await this.think(window))) return;

    let detailsOf: RowRef[] = rows;
    const next = nextPageHref(first.body);
    if (next) {
      const older = await this.step(window, "log.next", next, (a) => this.checkLogPage(a, true));
      if (older) detailsOf = rowRefs(older.body);
      if (!(await this.think(window))) return;
    }

    if (detailsOf.length > 0) {
      const row = pick(detailsOf);
      await this.step(
        window,
        "log.details",
        `/api/activity-log/records/${row.id}?at=${encodeURIComponent(row.occurredAt)}`,
        (a) => {
          if (a.status !== 200) throw new StepError(`HTTP ${a.status}`);
          const record = (JSON.parse(a.body) as { record?: { id?: unknown } }).record;
          if (Number(record?.id) !== row.id)
            throw new StepError(`the details of record ${row.id} came back as ${JSON.stringify(record?.id)}`);
        },
      );
      if (!(await this.think(window))) return;
    }

    await this.customerLoop(window);
  }

  private async customerLoop(window: Window): Promise<void> {
    const list = await this.step(window, "customers", "/customers", (a) => {
      if (a.status !== 200) throw new StepError(`HTTP ${a.status}`);
      if (customerLinks(a.body).length === 0) throw new StepError("the Customers page lists no customers");
    });
    if (list) this.customers = customerLinks(list.body);
    if (this.customers.length === 0 || !(await this.think(window))) return;
    const customer = pick(this.customers);
    await this.step(window, "subscriptions", `/customers/${customer.id}/subscriptions`, (a) => {
      if (a.status !== 200) throw new StepError(`HTTP ${a.status}`);
      if (!hasTestId(a.body, "customer-name")) throw new StepError("the Subscriptions page has no customer name");
    });
    await this.think(window);
  }

  /** The filters a user tries, in turn: status, action, customer (part of a name), status + action. */
  private filterQuery(): string {
    const turn = this.filterTurn++ % 4;
    const params = new URLSearchParams();
    const action = this.actions.length > 0 ? pick(this.actions) : "update_subscription";
    if (turn === 0 || turn === 3) params.set("status", pick(OPERATION_STATUSES));
    if (turn === 1 || turn === 3) params.set("action", action);
    if (turn === 2) {
      const name = this.customers.length > 0 ? pick(this.customers).name : "Contoso";
      params.set("customer", name.slice(0, Math.max(3, Math.ceil(name.length / 2))));
    }
    return params.toString();
  }

  private checkLogPage(a: Answer, mustHaveRows: boolean): void {
    if (a.status !== 200) throw new StepError(`HTTP ${a.status}`);
    if (hasTestId(a.body, "load-error")) throw new StepError("the page shows its could-not-load alert");
    if (hasTestId(a.body, "param-errors")) throw new StepError("the page rejected its parameters");
    if (!hasTestId(a.body, "result-count")) throw new StepError("the page has no results (did its stream end early?)");
    if (mustHaveRows && rowRefs(a.body).length === 0) throw new StepError("the page has no rows");
  }

  /** One request, timed to the last byte of the body, checked, recorded. Null when it failed. */
  private async step(window: Window, kind: PageKind, path: string, check: (a: Answer) => void): Promise<Answer | null> {
    const at = this.recorder.now();
    const t0 = performance.now();
    let answer: Answer | null = null;
    let failure: string | null = null;
    try {
      const response = await fetch(`${this.baseUrl}${path}`, {
        redirect: "manual",
        headers: {
          cookie: this.session.jar.header(),
          accept: kind === "log.details" ? "application/json" : "text/html",
          "accept-language": "en",
        },
        signal: AbortSignal.timeout(PAGE_TIMEOUT_MS),
      });
      const body = await response.text();
      answer = { status: response.status, body, ms: performance.now() - t0 };
      if (response.status >= 300 && response.status < 400)
        throw new StepError(`HTTP ${response.status} to ${response.headers.get("location")}`);
      check(answer);
    } catch (error) {
      failure = error instanceof StepError ? error.message : `request failed: ${describe(error)}`;
    }
    const ms = answer?.ms ?? performance.now() - t0;
    if (window.phase !== "warmup")
      this.recorder.pages.push({ kind, phase: window.phase, segment: window.segment, at, ms, ok: failure === null });
    if (failure !== null) {
      this.recorder.errors.push({
        phase: window.phase,
        segment: window.segment,
        at,
        what: `${kind} ${path} (user ${this.session.index}, ${this.session.email})`,
        message: failure,
      });
      return null;
    }
    return answer;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}

export interface ExportPlan {
  /** The query string of the export link, e.g. from=...&to=... */
  query: string;
  expectedRows: number;
}

/** "Export log" in a loop, read to the end like a browser (gzip), every file's rows counted. */
export class Exporter {
  constructor(
    readonly session: Session,
    private readonly baseUrl: string,
    private readonly recorder: Recorder,
    private readonly plans: { full: ExportPlan; short: ExportPlan },
  ) {}

  /**
   * Exports until the window closes; the export in flight is then read to its end and checked
   * (so every started export is verified), while no new one starts. In the warm-up the short
   * range is exported, so the warm-up ends soon after its window.
   */
  async run(window: Window): Promise<void> {
    const plan = window.phase === "warmup" ? this.plans.short : this.plans.full;
    await Promise.race([sleep(Math.random() * 500), window.closed]);
    while (window.open) {
      await this.exportOnce(window, plan);
      await Promise.race([sleep(100 + Math.random() * 400), window.closed]);
    }
  }

  private async exportOnce(window: Window, plan: ExportPlan): Promise<void> {
    const at = this.recorder.now();
    const t0 = performance.now();
    const counted = (rows: number) => {
      if (window.open && window.phase === "B")
        this.recorder.exportRowsInWindow.set(
          window.segment,
          (this.recorder.exportRowsInWindow.get(window.segment) ?? 0) + rows,
        );
    };
    let result: { rows: number; bytes: number };
    let failure: string | null = null;
    try {
      result = await readExport(`${this.baseUrl}/api/activity-log/export?${plan.query}`, this.session.jar, counted);
      if (result.rows !== plan.expectedRows)
        failure = `truncated or wrong export: ${result.rows} rows, expected ${plan.expectedRows}`;
    } catch (error) {
      result = { rows: 0, bytes: 0 };
      failure = describe(error);
    }
    const seconds = (performance.now() - t0) / 1000;
    this.recorder.exports.push({
      phase: window.phase,
      segment: window.segment,
      at,
      seconds,
      rows: result.rows,
      expectedRows: plan.expectedRows,
      bytes: result.bytes,
      ok: failure === null,
    });
    if (failure !== null) {
      this.recorder.errors.push({
        phase: window.phase,
        segment: window.segment,
        at,
        what: `export ${plan.query} (exporter ${this.session.index}, ${this.session.email})`,
        message: failure,
      });
    }
  }
}

const BOM_HEADER = "\uFEFFDate-Time (UTC),";

/** Reads an export to its end: data rows (lines after the header) and CSV bytes. */
function readExport(
  url: string,
  jar: CookieJar,
  onRows: (rows: number) => void,
): Promise<{ rows: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      url,
      { headers: { cookie: jar.header(), accept: "text/csv", "accept-encoding": "gzip", "accept-language": "en" } },
      (response) => {
        if (response.statusCode !== 200) {
          let body = "";
          response.setEncoding("utf8");
          response.on("data", (c: string) => (body += c.slice(0, 300)));
          response.on("end", () => reject(new Error(`HTTP ${response.statusCode}: ${body.slice(0, 200)}`)));
          response.on("error", reject);
          return;
        }
        const body = response.headers["content-encoding"] === "gzip" ? response.pipe(zlib.createGunzip()) : response;
        let bytes = 0;
        let lines = 0;
        let head = "";
        let last = 0;
        body.on("data", (chunk: Buffer) => {
          if (head.length < BOM_HEADER.length) head += chunk.toString("utf8", 0, Math.min(chunk.length, 64));
          let n = 0;
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
          // The header line is not a row.
          onRows(lines === 0 && n > 0 ? n - 1 : n);
          lines += n;
          bytes += chunk.length;
          last = chunk.at(-1) ?? last; // an empty chunk leaves the last byte as it was
        });
        response.on("aborted", () => reject(new Error("the server aborted the download")));
        response.on("error", (error) => reject(new Error(`download failed: ${error.message}`)));
        body.on("error", (error) => reject(new Error(`download failed: ${error.message}`)));
        body.on("end", () => {
          if (!head.startsWith(BOM_HEADER))
            reject(new Error(`the file does not start with the CSV header: ${JSON.stringify(head.slice(0, 40))}`));
          else if (last !== 10) reject(new Error("the file does not end with a line end (cut mid-row)"));
          else resolve({ rows: Math.max(0, lines - 1), bytes });
        });
      },
    );
    request.setTimeout(EXPORT_TIMEOUT_MS, () =>
      request.destroy(new Error(`no data for ${EXPORT_TIMEOUT_MS / 1000} s`)),
    );
    request.on("error", reject);
  });
}
