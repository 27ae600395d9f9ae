import Link from "next/link";
import { auth, signOut } from "@/auth";
import { can, getTenantContext } from "@/lib/auth/tenant-context";
import { CLOUD_LABELS, servedClouds } from "@/lib/clouds";
import { AccountSettingsMenu } from "./account-settings-menu";
import { CloudBadge } from "./cloud-badge";

/** The portal's header: product name, the cloud badge, the signed-in partner and Account settings. */
export async function SiteHeader() {
  const session = await auth();
  const clouds = servedClouds();
  // The header never fails a page: a stale or foreign session just shows as signed out.
  const ctx = session?.tenantId ? await getTenantContext().catch(() => undefined) : undefined;
  const signedIn = !!ctx;
  const badgeCloud = signedIn ? session!.cloud : clouds.length === 1 ? clouds[0] : undefined;

  return (
    <header className="bg-brand-dark text-white">
      <div className="mx-auto flex h-14 max-w-7xl items-center gap-4 px-4 sm:px-6">
        <Link href="/" className="text-lg font-semibold tracking-tight">
          Partner Activity Log
        </Link>
        {badgeCloud && <CloudBadge label={CLOUD_LABELS[badgeCloud]} />}
        <div className="ml-auto flex items-center gap-4" data-testid="header-actions">
          {signedIn && (
            <>
              <div className="hidden text-right text-sm leading-tight sm:block">
                <div className="font-medium" data-testid="header-tenant">{session!.tenantName}</div>
                <div className="text-white/80">{session!.user.name ?? session!.user.userPrincipalName}</div>
              </div>
              <AccountSettingsMenu canViewActivityLog={can(ctx!.role, "view_activity_log")} canVerifyLog={can(ctx!.role, "verify_log")} />
              <form
                action={async () => {
                  "use server";
                  await signOut({ redirectTo: "/signin" });
                }}
              >
                <button type="submit" className="rounded px-2 py-1 text-sm underline-offset-2 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-white">
                  Sign out
                </button>
              </form>
            </>
          )}
        </div>
      </div>
    </header>
  );
}
