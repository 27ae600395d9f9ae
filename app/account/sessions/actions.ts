"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { signOut } from "@/auth";
import { endAllOwnSessions, endUserSession } from "@/db/mutations/user-sessions";
import { getTenantContext } from "@/lib/auth/tenant-context";
import { AppError } from "@/lib/errors";
import { ROUTES } from "@/lib/routes";

/*
 * Ending sessions from the Sessions page. Server actions check the request's Origin against the
 * host (their CSRF protection); each ending is a record in the log, written with it.
 */

const PAGE = ROUTES.sessions;

/** A global admin ends one of the tenant's sessions: its user is signed out on their next request. */
export async function endSessionAction(form: FormData): Promise<void> {
  const ctx = await getTenantContext({ permission: "manage_sessions" });
  try {
    await endUserSession({ ctx, sessionId: String(form.get("sessionId") ?? "") });
  } catch (error) {
    // Ended meanwhile (by its user, a timeout or another admin): say so rather than fail.
    if (error instanceof AppError && error.code === "not_found") redirect(`${PAGE}?notice=gone`);
    throw error;
  }
  revalidatePath(PAGE);
  redirect(`${PAGE}?notice=ended`);
}

/** Ends every session of the signed-in user, on every device, this one included. */
export async function signOutEverywhereAction(): Promise<void> {
  const ctx = await getTenantContext();
  await endAllOwnSessions({ ctx });
  await signOut({ redirectTo: `${ROUTES.signIn}?error=SignedOutEverywhere` });
}
