import { createSavedViewRoute, listSavedViewsRoute } from "@/lib/handlers/saved-views";
import { withTenantRoute } from "@/lib/http/tenant-route";

export const dynamic = "force-dynamic";

export const GET = withTenantRoute("view_activity_log", listSavedViewsRoute);
export const POST = withTenantRoute("view_activity_log", createSavedViewRoute);
