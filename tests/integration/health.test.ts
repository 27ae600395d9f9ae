import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { closeDb } from "@/db/client";
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from "@/lib/embedded-db";

// Its own cluster, because this test stops it.
describe("GET /api/health", () => {
  let dir: string;
  let cluster: EmbeddedDatabase;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "activity-log-health-"));
    chmodSync(dir, 0o755);
    cluster = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: await freePort() });
    process.env.DATABASE_URL = cluster.url;
  });

  afterAll(async () => {
    await closeDb();
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reports 200 while the database is up and 503 once it is stopped", async () => {
    const up = await GET();
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ status: "ok", database: "up" });

    await cluster.stop();
    const down = await GET();
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: "degraded", database: "down" });
  });
});
