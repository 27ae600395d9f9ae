import type { ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { runMigrations } from "@/db/migrate";
import { DEMO_TENANTS } from "@/db/seed/demo-data";
import { seedDemo } from "@/db/seed/seed-demo";
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from "@/lib/embedded-db";
import { readRssBytes, signIn, startApp, type AppServer, type CookieJar } from "@/scripts/harness/app-server";
import { collectGarbage, memoryUsage } from "./inspector-gc";
import { at, required } from "./present";

/*
 * The real app (`npm start`'s own launcher, from the bench) against a PostgreSQL cluster of its
 * own, which the fault tests stop and start again under it: same port, same data folder, so the
 * app's pools must find the database again by themselves. Serves the build in NEXT_DIST_DIR
 * (default .next), which `npm test` builds before Vitest runs.
 */

export const CONTOSO = required(DEMO_TENANTS[0], "the first demo tenant (Contoso)");

/** The pools' name in pg_stat_activity (db/client.ts); exports run as `<this>:export`. */
export const APP_NAME_PATTERN = "partner-activity-log%";

export interface FaultHarness {
  app: AppServer;
  jar: CookieJar;
  /** A signed-in request to the app, never following redirects. */
  request(pathAndQuery: string, init?: RequestInit): Promise<Response>;
  /** The cluster's superuser URL for this database (open a connection only while it is up). */
  adminUrl: string;
  /**
   * Stops PostgreSQL under the app. "fast" is `pg_ctl -m fast` (SIGINT: sessions get a FATAL
   * admin_shutdown); "immediate" is `-m immediate` (SIGQUIT: the server quits at once, sockets drop,
   * and the next start runs crash recovery).
   */
  stopDatabase(mode: "fast" | "immediate"): Promise<void>;
  /** Starts it again on the same port and data folder. */
  startDatabase(): Promise<void>;
  /** The serving process's resident memory after a full garbage collection in it, in bytes. */
  settledRss(): Promise<number>;
  /** The app's recent output (its log lines and errors), for failure messages. */
  output(): string;
  /** The serving process's own view of its memory (process.memoryUsage(): the JS heap and more). */
  memoryUsage(): Promise<NodeJS.MemoryUsage>;
  close(): Promise<void>;
}

export interface FaultHarnessOptions {
  /** Activity records seeded for Contoso (the only tenant loaded). */
  records: number;
  log?: (line: string) => void;
  /** Extra environment for the app (e.g. pool sizes). */
  env?: Record<string, string>;
}

export async function startFaultHarness(options: FaultHarnessOptions): Promise<FaultHarness> {
  const log = options.log ?? (() => {});
  const dir = mkdtempSync(path.join(os.tmpdir(), "activity-log-faults-"));
  chmodSync(dir, 0o755); // the postgres OS user must reach it
  const dataDir = path.join(dir, "pg");
  const port = await freePort();
  let cluster: EmbeddedDatabase | undefined = await startEmbeddedPostgres({ dataDir, port });
  // Where the app's inspector opens when settledRss() asks for a collection (see inspector-gc.ts).
  const inspectPort = await freePort();
  const url = cluster.url;
  let app: AppServer | undefined;

  const stopDatabase = async (mode: "fast" | "immediate") => {
    if (!cluster) return;
    const running = cluster;
    cluster = undefined;
    if (mode === "immediate") {
      // The postmaster's pid is the first line of postmaster.pid; the data folder belongs to the
      // postgres OS user when the tests run as root, but root may signal it.
      const pid = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
      process.kill(pid, "SIGQUIT");
    }
    // Waits for the postmaster to exit (a second signal to a server already quitting changes nothing).
    await running.stop();
  };

  const startDatabase = async () => {
    if (cluster) return;
    cluster = await startEmbeddedPostgres({ dataDir, port });
  };

  const lines: string[] = [];
  const keepOutput = (child: ChildProcess) => {
    const keep = (chunk: Buffer) => {
      lines.push(
        ...chunk
          .toString("utf8")
          .split("\n")
          .filter((line) => line.trim()),
      );
      if (lines.length > 400) lines.splice(0, lines.length - 400);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
  };

  const close = async () => {
    await app?.stop();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await runMigrations(url);
    const started = Date.now();
    await seedDemo(url, { tenants: [CONTOSO], recordsPerTenant: options.records });
    log(`seeded ${options.records} records in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // startApp hands its environment to the app: pass ours through process.env for the spawn only.
    const saved: Record<string, string | undefined> = {};
    const env = {
      /*
       * glibc's threshold for serving an allocation with its own mmap, pinned at its default of
       * 128 KiB. Left dynamic, glibc raises it after the first large free and serves later ~1 MB
       * buffers from the main heap, which it cannot give back once fragmented: measured, the heap
       * of the app grew by 61 MiB over the first hundred aborted exports (ten at a time) and then
       * stayed flat, with the JS heap unchanged. Pinned, RSS follows what the app holds.
       */
      MALLOC_MMAP_THRESHOLD_: "131072",
      ...options.env,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --inspect-port=127.0.0.1:${inspectPort}`.trim(),
    };
    for (const [k, v] of Object.entries(env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    try {
      app = await startApp({ databaseUrl: url, log, build: false, onProcess: (child) => keepOutput(child) });
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    const jar = await signIn(app.baseUrl, at(CONTOSO.users, 0, "a Contoso demo user").userPrincipalName);
    const baseUrl = app.baseUrl;
    const request = (pathAndQuery: string, init: RequestInit = {}) =>
      fetch(baseUrl + pathAndQuery, {
        ...init,
        redirect: "manual",
        headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
      });
    const serverPid = app.serverPid;
    const settledRss = async () => {
      await collectGarbage(serverPid, inspectPort);
      // Sweeping finishes and freed pages go back to the OS shortly after the collection.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const rss = readRssBytes(serverPid);
      if (rss === null) throw new Error(`the app's server process ${serverPid} is gone`);
      return rss;
    };
    return {
      app,
      jar,
      request,
      adminUrl: url,
      stopDatabase,
      startDatabase,
      settledRss,
      memoryUsage: () => memoryUsage(serverPid, inspectPort),
      output: () => lines.join("\n"),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The app's connections in pg_stat_activity, by state (a fresh connection each time: the cluster restarts). */
export async function appConnections(
  adminUrl: string,
): Promise<
  Array<{ pid: number; state: string | null; wait_event_type: string | null; application_name: string; query: string }>
> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    return await sql`
      select pid, state, wait_event_type, application_name, query from pg_stat_activity
      where datname = current_database() and application_name like ${APP_NAME_PATTERN} and pid <> pg_backend_pid()`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
