import { createStreamDestination, listStreamDestinations } from "@/lib/handlers/log-streaming";
import { withTenantRoute } from "@/lib/http/tenant-route";

export const dynamic = "force-dynamic";

export const GET = withTenantRoute("manage_log_streaming", listStreamDestinations);
export const POST = withTenantRoute("manage_log_streaming", createStreamDestination);
