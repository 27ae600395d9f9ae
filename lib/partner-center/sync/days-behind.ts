import { dayText, syncWindowDays } from "./sync-tenant";

/** The first UTC day of Partner Center's window that the sync reads (yyyy-mm-dd). */
export const firstSyncedDay = (now: Date) => dayText(syncWindowDays(now).first);

/**
 * Days behind: from the first day of the window not yet completely stored up to today; 0 when
 * every day before today is stored. Today is never complete (records still arrive).
 */
export function daysBehind(now: Date, completedDays: readonly string[]): number {
  const done = new Set(completedDays);
  const { first, today } = syncWindowDays(now);
  for (let day = first; day < today; day++) if (!done.has(dayText(day))) return today - day;
  return 0;
}
