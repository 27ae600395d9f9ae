import { endSession } from "@/lib/handlers/sessions";
import { withTenantRoute } from "@/lib/http/tenant-route";

export const dynamic = "force-dynamic";

export const DELETE = withTenantRoute("manage_sessions", endSession);
