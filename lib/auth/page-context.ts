import { forbidden, redirect } from "next/navigation";
import { AppError } from "@/lib/errors";
import { getTenantContext } from "./tenant-context";
import { type Permission } from "./permissions";
import type { TenantContext } from "@/lib/domain";

/**
 * getTenantContext for pages: a missing or foreign session goes to sign-in (the proxy normally
 * catches that first), a role without the permission gets the 403 page.
 */
export async function getPageContext(options: { permission?: Permission } = {}): Promise<TenantContext> {
  try {
    return await getTenantContext(options);
  } catch (error) {
    if (error instanceof AppError && error.code === "unauthorized") {
      // The proxy turns away most ended sessions first; this is the race where one ends mid-request.
      const reason = (error.details as { reason?: string } | undefined)?.reason ?? "SessionEnded";
      redirect(`/signin?error=${reason}`);
    }
    if (error instanceof AppError && error.code === "forbidden") forbidden();
    throw error;
  }
}
