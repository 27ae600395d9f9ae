import { API_RETENTION_DAYS, dayText } from "./sync-tenant";

const DAY_MS = 86_400_000;

/** The first UTC day of Partner Center's window that the sync reads (yyyy-mm-dd). */
export const firstSyncedDay = (now: Date) =>
  dayText(Math.floor((now.getTime() - API_RETENTION_DAYS * DAY_MS) / DAY_MS) + 1);

/**
 * Days behind: from the first day of the window not yet completely stored up to today; 0 when
 * every day before today is stored. Today is never complete (records still arrive).
 */
export function daysBehind(now: Date, completedDays: readonly string[]): number {
  const done = new Set(completedDays);
  const today = Math.floor(now.getTime() / DAY_MS);
  const first = Math.floor((now.getTime() - API_RETENTION_DAYS * DAY_MS) / DAY_MS) + 1;
  for (let day = first; day < today; day++) if (!done.has(dayText(day))) return today - day;
  return 0;
}
