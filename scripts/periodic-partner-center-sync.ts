import postgres from "postgres";
import { syncDueTenants, syncIntervalMinutes } from "@/lib/partner-center/sync/sync-due";

/** How often `npm start` looks for due connections: a "Sync now" starts within this. */
const POLL_MS = Number(process.env.PARTNER_CENTER_POLL_SECONDS ?? 10) * 1000;

/**
 * While `npm start` serves, sync every enabled Partner Center connection when it is due: every
 * PARTNER_CENTER_SYNC_MINUTES (default 15; 0 turns it off, e.g. when cron runs
 * `npm run sync-partner-center`). Other instances doing the same skip a tenant being synced.
 */
export function startPeriodicPartnerCenterSync(
  databaseUrl: string,
  env: Record<string, string | undefined>,
): () => Promise<void> {
  const intervalMinutes = syncIntervalMinutes(env);
  if (!(intervalMinutes > 0)) return async () => {};
  const sql = postgres(databaseUrl, { max: 3, onnotice: () => {} });
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const tick = () => {
    if (busy) return;
    busy = true;
    running = syncDueTenants(sql, { env, intervalMinutes })
      .then((results) => {
        for (const { scope, result } of results) {
          if (result.stored > 0 || result.error)
            console.log(
              `[partner-center] ${scope.tenantId}: ${result.stored} new record(s)${result.error ? `; ${result.error}` : ""}`,
            );
        }
      })
      .catch((error: unknown) =>
        console.error(`[partner-center] ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => (busy = false));
  };
  tick();
  const timer = setInterval(tick, POLL_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
    await sql.end({ timeout: 5 });
  };
}
