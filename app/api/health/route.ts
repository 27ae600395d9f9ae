import { checkDatabase } from "@/db/health";

export const dynamic = "force-dynamic";

/** Liveness for load balancers and the test harness: 503 while the database is unreachable. */
export async function GET() {
  const database = await checkDatabase();
  return Response.json(
    { status: database.up ? "ok" : "degraded", database: database.up ? "up" : "down" },
    { status: database.up ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
