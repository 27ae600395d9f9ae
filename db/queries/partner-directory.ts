import { and, eq, sql } from "drizzle-orm";
import { partnerTenants, partnerUsers } from "../schema";
import { withTenant } from "../with-tenant";
import type { Database } from "../client";
import { isUuid } from "@/lib/uuid";
import type { Cloud, PartnerRole } from "@/lib/domain";

export interface DirectoryUser {
  tenantId: string;
  tenantName: string;
  cloud: Cloud;
  userId: string;
  userPrincipalName: string;
  displayName: string;
  role: PartnerRole;
}

export type DirectoryLookup =
  { ok: true; user: DirectoryUser } | { ok: false; reason: "unknown_tenant" | "unknown_user" };

/**
 * Resolves a signed-in identity to a partner user. Runs scoped to the tenant the token claims and
 * the cloud of the provider that signed it, so a tenant of the other cloud is simply not there.
 */
export async function findDirectoryUser(
  {
    tenantId,
    cloud,
    userPrincipalName,
    userId,
  }: { tenantId: string; cloud: Cloud; userPrincipalName?: string; userId?: string },
  db?: Database,
): Promise<DirectoryLookup> {
  if (!isUuid(tenantId)) return { ok: false, reason: "unknown_tenant" };
  if (userId !== undefined && !isUuid(userId)) return { ok: false, reason: "unknown_user" };
  return withTenant(
    { tenantId, cloud },
    async (tx) => {
      const [tenant] = await tx
        .select({ id: partnerTenants.id, name: partnerTenants.name, cloud: partnerTenants.cloud })
        .from(partnerTenants)
        .where(and(eq(partnerTenants.id, tenantId), eq(partnerTenants.cloud, cloud)));
      if (!tenant) return { ok: false, reason: "unknown_tenant" } as const;
      const [user] = await tx
        .select()
        .from(partnerUsers)
        .where(
          and(
            eq(partnerUsers.tenantId, tenantId),
            userId !== undefined
              ? eq(partnerUsers.id, userId)
              : sql`lower(${partnerUsers.userPrincipalName}) = lower(${userPrincipalName ?? ""})`,
          ),
        );
      if (!user) return { ok: false, reason: "unknown_user" } as const;
      return {
        ok: true,
        user: {
          tenantId,
          tenantName: tenant.name,
          cloud: tenant.cloud,
          userId: user.id,
          userPrincipalName: user.userPrincipalName,
          displayName: user.displayName,
          role: user.role,
        },
      } as const;
    },
    db,
  );
}
