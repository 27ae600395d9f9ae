import { getTenantContext } from "@/lib/auth/tenant-context";
import { readAuditRecords } from "@/lib/handlers/audit-records";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route((request) =>
  readAuditRecords(request, () => getTenantContext({ permission: "view_activity_log" })),
);
