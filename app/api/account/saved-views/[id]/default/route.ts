import { clearDefaultSavedViewRoute, setDefaultSavedViewRoute } from "@/lib/handlers/saved-views";
import { withTenantRoute } from "@/lib/http/tenant-route";

export const dynamic = "force-dynamic";

export const PUT = withTenantRoute("view_activity_log", setDefaultSavedViewRoute);
export const DELETE = withTenantRoute("view_activity_log", clearDefaultSavedViewRoute);
