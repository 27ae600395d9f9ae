import { eq, sql } from "drizzle-orm";
import { writeActivity } from "./mutations/activity";
import { partnerCenterConnections, partnerCenterSyncDays } from "./schema";
import { withTenant } from "./with-tenant";
import type { Database } from "./client";
import type { TenantContext } from "@/lib/domain";

/*
 * The Data sources page's reads and writes of a tenant's Partner Center connection. Secrets
 * arrive sealed and never leave: the status says only whether one is stored. Every change is a
 * record in the log, written in the same transaction, with what changed (never a secret).
 */

export interface ConnectionStatus {
  clientId: string;
  baseUrl: string;
  enabled: boolean;
  hasRefreshToken: boolean;
  createdAt: Date;
  updatedAt: Date;
  lastRunAt: Date | null;
  lastSuccessAt: Date | null;
  lastRunStored: number;
  totalStored: number;
  lastError: string | null;
  lastErrorAt: Date | null;
  nextRunAt: Date | null;
  /** The UTC days (yyyy-mm-dd) whose every page is stored, from `since` on. */
  completedDays: string[];
}

export async function getConnectionStatus(
  { ctx, since }: { ctx: Pick<TenantContext, "tenantId" | "cloud">; since: string },
  db?: Database,
): Promise<ConnectionStatus | null> {
  return withTenant(
    ctx,
    async (tx) => {
      const [row] = await tx
        .select({
          clientId: partnerCenterConnections.clientId,
          baseUrl: partnerCenterConnections.baseUrl,
          enabled: partnerCenterConnections.enabled,
          hasRefreshToken: sql<boolean>`${partnerCenterConnections.refreshToken} is not null`,
          createdAt: partnerCenterConnections.createdAt,
          updatedAt: partnerCenterConnections.updatedAt,
          lastRunAt: partnerCenterConnections.lastRunAt,
          lastSuccessAt: partnerCenterConnections.lastSuccessAt,
          lastRunStored: partnerCenterConnections.lastRunStored,
          totalStored: partnerCenterConnections.totalStored,
          lastError: partnerCenterConnections.lastError,
          lastErrorAt: partnerCenterConnections.lastErrorAt,
          nextRunAt: partnerCenterConnections.nextRunAt,
        })
        .from(partnerCenterConnections)
        .where(eq(partnerCenterConnections.tenantId, ctx.tenantId));
      if (!row) return null;
      const days = await tx
        .select({ day: partnerCenterSyncDays.day })
        .from(partnerCenterSyncDays)
        .where(
          sql`${partnerCenterSyncDays.tenantId} = ${ctx.tenantId} and ${partnerCenterSyncDays.day} >= ${since}::date`,
        );
      return { ...row, completedDays: days.map((d) => d.day) };
    },
    db,
  );
}

export interface ConnectionChange {
  clientId: string;
  baseUrl: string;
  enabled: boolean;
  /** Sealed; undefined keeps the stored one. */
  clientSecret?: string;
  /** Sealed; undefined keeps the stored one, null removes it (back to app-only). */
  refreshToken?: string | null;
}

/** Creates or changes the connection; a new one needs a secret. Returns whether it was created. */
export async function saveConnection(
  { ctx, change }: { ctx: TenantContext; change: ConnectionChange },
  db?: Database,
): Promise<"created" | "updated" | "unchanged"> {
  return withTenant(
    ctx,
    async (tx) => {
      const [before] = await tx
        .select({
          clientId: partnerCenterConnections.clientId,
          baseUrl: partnerCenterConnections.baseUrl,
          enabled: partnerCenterConnections.enabled,
          hasRefreshToken: sql<boolean>`${partnerCenterConnections.refreshToken} is not null`,
        })
        .from(partnerCenterConnections)
        .where(eq(partnerCenterConnections.tenantId, ctx.tenantId))
        .for("update");
      const after = {
        clientId: change.clientId,
        baseUrl: change.baseUrl,
        enabled: change.enabled,
        hasRefreshToken:
          change.refreshToken === undefined ? (before?.hasRefreshToken ?? false) : change.refreshToken !== null,
      };
      const secretChanged = change.clientSecret !== undefined;
      const refreshTokenChanged =
        change.refreshToken !== undefined && (change.refreshToken !== null || !!before?.hasRefreshToken);
      if (
        before &&
        !secretChanged &&
        !refreshTokenChanged &&
        before.clientId === after.clientId &&
        before.baseUrl === after.baseUrl &&
        before.enabled === after.enabled
      ) {
        return "unchanged";
      }
      if (!before) {
        if (change.clientSecret === undefined) throw new Error("a new connection needs a client secret");
        await tx.insert(partnerCenterConnections).values({
          tenantId: ctx.tenantId,
          cloud: ctx.cloud,
          clientId: change.clientId,
          clientSecret: change.clientSecret,
          refreshToken: change.refreshToken ?? null,
          baseUrl: change.baseUrl,
          enabled: change.enabled,
        });
      } else {
        await tx
          .update(partnerCenterConnections)
          .set({
            clientId: change.clientId,
            baseUrl: change.baseUrl,
            enabled: change.enabled,
            updatedAt: new Date(),
            ...(change.clientSecret !== undefined ? { clientSecret: change.clientSecret } : {}),
            ...(change.refreshToken !== undefined ? { refreshToken: change.refreshToken } : {}),
            // A connection switched on runs at once rather than at its old schedule.
            ...(change.enabled && !before.enabled ? { nextRunAt: null } : {}),
          })
          .where(eq(partnerCenterConnections.tenantId, ctx.tenantId));
      }
      await writeActivity(tx, ctx, {
        operationType: before ? "update_partner_center_connection" : "create_partner_center_connection",
        resourceType: "data_source",
        resourceOldValue: before ?? null,
        resourceNewValue: after,
        customizedData: { source: "Partner Center", secretChanged, refreshTokenChanged },
      });
      return before ? "updated" : "created";
    },
    db,
  );
}

/** "Sync now": the connection is due at once; the scheduler picks it up on its next look. */
export async function requestSyncNow({ ctx }: { ctx: TenantContext }, db?: Database): Promise<boolean> {
  return withTenant(
    ctx,
    async (tx) => {
      const updated = await tx
        .update(partnerCenterConnections)
        .set({ nextRunAt: new Date() })
        .where(eq(partnerCenterConnections.tenantId, ctx.tenantId))
        .returning({ tenantId: partnerCenterConnections.tenantId });
      return updated.length > 0;
    },
    db,
  );
}
