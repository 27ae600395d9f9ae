import { deleteSavedViewRoute, getSavedViewRoute, updateSavedViewRoute } from "@/lib/handlers/saved-views";
import { withTenantRoute } from "@/lib/http/tenant-route";

export const dynamic = "force-dynamic";

export const GET = withTenantRoute("view_activity_log", getSavedViewRoute);
export const PUT = withTenantRoute("view_activity_log", updateSavedViewRoute);
export const DELETE = withTenantRoute("view_activity_log", deleteSavedViewRoute);
