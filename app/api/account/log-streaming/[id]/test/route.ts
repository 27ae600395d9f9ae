import { testStreamDestination } from "@/lib/handlers/log-streaming";
import { withTenantRoute } from "@/lib/http/tenant-route";

export const dynamic = "force-dynamic";

export const POST = withTenantRoute("manage_log_streaming", testStreamDestination);
