import { getConnectionStatus } from "@/db/partner-center-connection";
import type { TenantRouteCall } from "@/lib/http/route";
import { daysBehind, firstSyncedDay } from "@/lib/partner-center/sync/days-behind";

/**
 * The tenant's Partner Center connection and its sync status (GET /api/account/data-sources), as
 * the Data sources page shows it. Secrets never leave: only whether a refresh token is stored.
 */
export async function getDataSources({ ctx }: TenantRouteCall): Promise<Response> {
  const now = new Date();
  const status = await getConnectionStatus({ ctx, since: firstSyncedDay(now) });
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return Response.json(
    {
      partnerCenter: status && {
        clientId: status.clientId,
        baseUrl: status.baseUrl,
        enabled: status.enabled,
        appAndUser: status.hasRefreshToken,
        lastRunAt: iso(status.lastRunAt),
        lastSuccessAt: iso(status.lastSuccessAt),
        daysBehind: daysBehind(now, status.completedDays),
        recordsLastRun: status.lastRunStored,
        recordsInAll: status.totalStored,
        lastError: status.lastError,
        lastErrorAt: iso(status.lastErrorAt),
        nextRunAt: iso(status.nextRunAt),
      },
    },
    { headers: { "cache-control": "private, no-store" } },
  );
}
