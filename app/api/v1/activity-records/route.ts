import { storedRecordsResponse } from "@/lib/handlers/stored-records";
import { route } from "@/lib/http/route";
import { handleIngest } from "@/lib/ingest/handle-request";

/*
 * The ingestion API: the portal's services send activity records here, authenticated with a
 * per-tenant API key (proxy.ts lets this path through without a session). All the work is in
 * lib/ingest.
 */
export const POST = route(async (request: Request) => storedRecordsResponse(await handleIngest(request)));
