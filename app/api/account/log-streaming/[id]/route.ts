import { deleteStreamDestination, getStreamDestination, updateStreamDestination } from "@/lib/handlers/log-streaming";
import { withTenantRoute } from "@/lib/http/tenant-route";

export const dynamic = "force-dynamic";

export const GET = withTenantRoute("manage_log_streaming", getStreamDestination);
export const PUT = withTenantRoute("manage_log_streaming", updateStreamDestination);
export const DELETE = withTenantRoute("manage_log_streaming", deleteStreamDestination);
