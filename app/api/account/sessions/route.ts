import { listSessions } from "@/lib/handlers/sessions";
import { withTenantRoute } from "@/lib/http/tenant-route";

export const dynamic = "force-dynamic";

export const GET = withTenantRoute(null, listSessions);
