import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { runMigrations } from "@/db/migrate";
import { freePort, startEmbeddedPostgres } from "@/lib/embedded-db";
import { TEMPLATE_DATABASE } from "./test-database";

/*
 * One real PostgreSQL cluster for the whole Vitest run, on a free port in a temp folder (/tmp, so
 * the postgres OS user can reach it). Migrations run once into a template; every test file then
 * clones the template into a database of its own in milliseconds.
 */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "activity-log-vitest-"));
  chmodSync(dataDir, 0o755); // the postgres OS user must reach it
  const cluster = await startEmbeddedPostgres({
    dataDir: path.join(dataDir, "pg"),
    port: await freePort(),
    database: TEMPLATE_DATABASE,
    settings: { max_connections: "300", fsync: "off", synchronous_commit: "off", full_page_writes: "off" },
  });
  await runMigrations(cluster.url);
  const admin = postgres(cluster.urlFor("postgres"), { max: 1, onnotice: () => {} });
  await admin.unsafe(`alter database ${TEMPLATE_DATABASE} is_template true`);
  await admin.end();

  project.provide("clusterAdminUrl", cluster.urlFor("postgres"));
  return async () => {
    await cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    clusterAdminUrl: string;
  }
}
