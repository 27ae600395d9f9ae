import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { signOut } from "@/auth";
import { closeSession } from "@/lib/auth/server-session";
import { AppError } from "@/lib/errors";
import { currentSession, currentSessionId, getTenantContext } from "@/lib/auth/tenant-context";
import { can } from "@/lib/auth/permissions";
import { servedClouds } from "@/lib/clouds";
import { AccountSettingsMenu } from "./account-settings-menu";
import { CloudBadge } from "./cloud-badge";
import { HeaderMenu } from "./header-menu";
import { LocaleSwitcher } from "./locale-switcher";
import { ROUTES } from "@/lib/routes";

/** The portal's header: product name, the cloud badge, the signed-in partner, Account settings and the language. */
export async function SiteHeader() {
  const [session, t] = await Promise.all([currentSession(), getTranslations()]);
  const clouds = servedClouds();
  // The header never fails a page: a stale or foreign session just shows as signed out.
  const ctx = session?.tenantId ? await getTenantContext().catch(() => undefined) : undefined;
  const signedIn = !!ctx;
  const badgeCloud = signedIn ? session!.cloud : clouds.length === 1 ? clouds[0] : undefined;

  const usgov = badgeCloud === "usgov";

  return (
    <header
      className={usgov ? "border-t-4 border-amber-400 bg-slate-900 text-white" : "bg-brand-dark text-white"}
      data-cloud={badgeCloud}
    >
      {usgov && (
        <p
          className="bg-amber-400 px-4 py-0.5 text-center text-xs font-semibold text-slate-950"
          data-testid="cloud-banner"
        >
          {t("header.usgovBanner")}
        </p>
      )}
      <div className="mx-auto flex min-h-14 max-w-7xl flex-wrap items-center gap-x-4 gap-y-1 px-4 py-2 sm:px-6">
        <Link
          href="/"
          className="rounded text-base font-semibold tracking-tight whitespace-nowrap sm:text-lg focus-visible:outline focus-visible:outline-2 focus-visible:outline-white"
        >
          {t("common.product")}
        </Link>
        {badgeCloud && <CloudBadge label={t(`clouds.${badgeCloud}`)} />}
        {signedIn && (
          <nav aria-label={t("header.primaryNav")} className="hidden sm:block">
            <PrimaryLinks customers={t("header.customers")} />
          </nav>
        )}
        <HeaderMenu>
          {signedIn && (
            <>
              <nav aria-label={t("header.primaryNav")} className="sm:hidden">
                <PrimaryLinks customers={t("header.customers")} />
              </nav>
              <div className="px-2 text-sm leading-tight sm:px-0 sm:text-right">
                <div className="font-medium" data-testid="header-tenant">
                  {session!.tenantName}
                </div>
                <div className="text-white/80">{session!.user.name ?? session!.user.userPrincipalName}</div>
              </div>
              <AccountSettingsMenu
                canViewActivityLog={can(ctx!.role, "view_activity_log")}
                canVerifyLog={can(ctx!.role, "verify_log")}
                canManageDataSources={can(ctx!.role, "manage_data_sources")}
                canManageLogStreaming={can(ctx!.role, "manage_log_streaming")}
              />
            </>
          )}
          <LocaleSwitcher />
          {signedIn && (
            <form
              action={async () => {
                "use server";
                // The row first, and strictly: if it cannot be deleted, sign-out fails visibly
                // rather than leaving a cookie copy alive (Auth.js's own sign-out event only logs).
                const ctx = await getTenantContext().catch((error) => {
                  if (error instanceof AppError && error.code === "unauthorized") return undefined; // already ended
                  throw error;
                });
                if (ctx) await closeSession(ctx, await currentSessionId());
                await signOut({ redirectTo: ROUTES.signIn });
              }}
            >
              <button
                type="submit"
                className="rounded px-2 py-1 text-sm underline-offset-2 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-white"
              >
                {t("header.signOut")}
              </button>
            </form>
          )}
        </HeaderMenu>
      </div>
    </header>
  );
}

/** The portal's own pages (not account settings): one at a time, so the phone menu holds them too. */
function PrimaryLinks({ customers }: { customers: string }) {
  return (
    <ul className="flex items-center gap-3 text-sm font-medium">
      <li>
        <Link
          href={ROUTES.customers}
          className="rounded px-2 py-1 underline-offset-2 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-white"
        >
          {customers}
        </Link>
      </li>
    </ul>
  );
}
