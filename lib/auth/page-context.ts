import { forbidden, redirect } from "next/navigation";
import type { TenantContext } from "@/db/with-tenant";
import { AppError } from "@/lib/errors";
import { getTenantContext, type Permission } from "./tenant-context";

/**
 * getTenantContext for pages: a missing or foreign session goes to sign-in (the proxy normally
 * catches that first), a role without the permission gets the 403 page.
 */
export async function getPageContext(options: { permission?: Permission } = {}): Promise<TenantContext> {
  try {
    return await getTenantContext(options);
  } catch (error) {
    if (error instanceof AppError && error.code === "unauthorized") redirect("/signin?error=SessionCloud");
    if (error instanceof AppError && error.code === "forbidden") forbidden();
    throw error;
  }
}
