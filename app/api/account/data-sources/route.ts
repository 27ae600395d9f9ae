import { getDataSources } from "@/lib/handlers/data-sources";
import { withTenantRoute } from "@/lib/http/tenant-route";

export const dynamic = "force-dynamic";

export const GET = withTenantRoute("manage_data_sources", getDataSources);
