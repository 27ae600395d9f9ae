import { getActivityRecord } from "@/lib/handlers/activity-record";
import { withTenantRoute } from "@/lib/http/tenant-route";

export const dynamic = "force-dynamic";

export const GET = withTenantRoute("view_activity_log", getActivityRecord);
