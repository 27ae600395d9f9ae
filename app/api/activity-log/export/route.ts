import { exportActivityLog } from "@/lib/handlers/export-activity-log";
import { withTenantRoute } from "@/lib/http/tenant-route";

export const dynamic = "force-dynamic";

export const GET = withTenantRoute("view_activity_log", exportActivityLog);
