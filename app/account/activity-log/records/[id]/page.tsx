import { notFound, redirect } from "next/navigation";
import { getActivityDetails } from "@/db/queries/activity-records";
import { recordSearchParams } from "@/lib/activity-log-params";
import { getPageContext } from "@/lib/auth/page-context";
import { AppError } from "@/lib/errors";
import { ROUTES } from "@/lib/routes";

/*
 * A record's permalink: looked up in the signed-in tenant and cloud (another tenant's record, or
 * no such record, is not found), then the log opens at it, expanded. `tz` carries the reader's
 * zone when the link was made in one.
 */
export default async function ActivityRecordPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await getPageContext({ permission: "view_activity_log" });
  const [{ id }, { tz }] = await Promise.all([params, searchParams]);
  const record = await getActivityDetails({ ctx, id }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "bad_request") return null;
    throw error;
  });
  if (!record) notFound();
  redirect(`${ROUTES.activityLog}?${recordSearchParams(record, typeof tz === "string" ? tz : "UTC")}`);
}
