import { storedRecordsResponse } from "@/lib/handlers/stored-records";
import { route } from "@/lib/http/route";
import { handleImport } from "@/lib/partner-center/handle-import";

/*
 * Import of Partner Center audit records, authenticated with the tenant's API key (proxy.ts lets
 * /api/v1 through without a session). The work is in lib/partner-center.
 */
export const POST = route(async (request: Request) => storedRecordsResponse(await handleImport(request)));
