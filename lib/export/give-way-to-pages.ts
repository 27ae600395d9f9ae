/*
 * Exports give way to pages. One Node process serves both, and an export is CPU all the way down
 * (parsing batches from Postgres, formatting CSV, compressing): five exports at full speed left
 * pages a sixth of the process and multiplied their p99 by 4-9 (npm run test:load): a page's
 * render crosses the event loop dozens of times and queued behind export batches at each. So
 * while any other request is in flight, exports together may work at most EXPORT_SHARE of the
 * time: after a batch that cost c ms, the next batch of any export waits until c x (1 - share) /
 * share ms have passed. With no page in flight they run flat out (the benchmark's export numbers
 * are unaffected).
 *
 * The count of requests in flight is kept by the server (scripts/serve.ts), on globalThis under a
 * Symbol.for key because the server and Next's bundle load separate copies of modules. Without
 * that server (tests, scripts) the count is 0 and nothing waits.
 */

const IN_FLIGHT_KEY = Symbol.for("partner-activity-log.requests-in-flight");

type WithCounter = typeof globalThis & { [IN_FLIGHT_KEY]?: { count: number } };

/** The server's counter of requests in flight other than exports and static files. */
export function requestsInFlightCounter(): { count: number } {
  const g = globalThis as WithCounter;
  return (g[IN_FLIGHT_KEY] ??= { count: 0 });
}

/**
 * The share of the process exports may take while pages wait. A fifth was too much once the page
 * itself kept the event loop three quarters busy: near saturation every extra share of work
 * multiplies the queueing (docs/load-test.md, "Stability").
 */
export const EXPORT_SHARE = 1 / 10;

/*
 * What a batch costs the process, per millisecond of formatting (the part timed): parsing the
 * FETCH result and compressing the chunk cost about twice as much again (the server's CPU per
 * exported row, measured with npm run test:load, over the formatting time per row).
 */
export const BATCH_COST_PER_FORMATTING_MS = 3;

/** Longest single wait, so an export re-checks soon after the pages are done. */
const MAX_WAIT_MS = 25;

let nextTurnAt = 0;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves when an export may do its next batch of work. */
export async function exportTurn(now: () => number = performance.now.bind(performance)): Promise<void> {
  const counter = requestsInFlightCounter();
  for (let t = now(); counter.count > 0 && t < nextTurnAt; t = now()) {
    await sleep(Math.min(nextTurnAt - t, MAX_WAIT_MS));
  }
}

/*
 * How far ahead the account may run. Work is booked even while no page is in flight (a page that
 * arrives then still finds the event loop full of export batches queued before it), but only
 * this much of it holds exports back once pages arrive, so a long quiet stretch of exporting never
 * turns into a long stall.
 */
export const MAX_HOLD_MS = 400;

/** Books a batch that took `ms` to format against the share. */
export function exportWorked(ms: number, now: number = performance.now()): void {
  const cost = ms * BATCH_COST_PER_FORMATTING_MS;
  nextTurnAt = Math.min(Math.max(nextTurnAt, now) + (cost * (1 - EXPORT_SHARE)) / EXPORT_SHARE, now + MAX_HOLD_MS);
}
