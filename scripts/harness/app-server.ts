import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { beforeFirst } from "@/lib/before-first";
import { freePort } from "@/lib/embedded-db";
import { DEMO_PASSWORD } from "@/db/seed/demo-data";
import { sleep, type Log } from "./util";

/*
 * The real app, as `npm start` serves it: `tsx scripts/start.ts --no-build` against the bench
 * database, on free ports, with the local OIDC authority it starts for sign-in. Two settings
 * differ from a default start, both for the measurements' sake:
 * - INGEST_RATE_PER_SECOND=0: the per-key rate limit would otherwise throttle the ingestion run;
 * - SEAL_INTERVAL_MINUTES=0: no background sealer, so no seal run lands inside an unrelated
 *   measurement; the ingestion measurement runs its seal itself, inside its timed window.
 */

const root = process.cwd();

export interface AppServer {
  baseUrl: string;
  /** The process that serves requests (next-server), for RSS sampling. */
  serverPid: number;
  distDir: string;
  buildId: string;
  /** True when the build is older than the newest source file (it was served anyway). */
  buildStale: boolean;
  stop(): Promise<void>;
}

function newestSourceTime(): number {
  let newest = 0;
  const visit = (p: string) => {
    if (!existsSync(p)) return;
    const stat = statSync(p);
    if (stat.isDirectory()) for (const entry of readdirSync(p)) visit(path.join(p, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const p of ["app", "components", "lib", "db", "proxy.ts", "auth.ts", "next.config.mjs"])
    visit(path.join(root, p));
  return newest;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"], env });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

/** The build to serve: the existing one, or a fresh `next build` when there is none. */
export async function ensureBuild(
  log: Log,
  force: boolean,
): Promise<{ distDir: string; buildId: string; stale: boolean }> {
  const distDir = process.env.NEXT_DIST_DIR ?? ".next";
  const buildIdFile = path.join(root, distDir, "BUILD_ID");
  if (force || !existsSync(buildIdFile)) {
    log(
      force
        ? "building the app (--build)"
        : `no Next build in ${distDir}/: running next build (once; later runs reuse it)`,
    );
    const code = await run(path.join(root, "node_modules", ".bin", "next"), ["build"], {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
    });
    if (code !== 0 || !existsSync(buildIdFile)) throw new Error("next build failed (see the output above)");
  }
  const stale = statSync(buildIdFile).mtimeMs < newestSourceTime();
  return { distDir, buildId: readFileSync(buildIdFile, "utf8").trim(), stale };
}

/**
 * A private copy of the build to serve (without its cache, ~20 MB): other people's `next build`
 * into the shared .next must not swap files under the running bench server. It lives under
 * bench-results/ (git-ignored, lint-ignored); symlinks are copied as resolved absolute links.
 */
async function privateBuild(distDir: string, log: Log): Promise<{ dir: string; buildId: string }> {
  const source = path.join(root, distDir);
  const dir = path.join("bench-results", `.next-serve-${process.pid}`);
  const target = path.join(root, dir);
  const idOf = (d: string) =>
    existsSync(path.join(d, "BUILD_ID")) ? readFileSync(path.join(d, "BUILD_ID"), "utf8").trim() : null;
  for (let attempt = 1; attempt <= 5; attempt++) {
    const before = idOf(source);
    rmSync(target, { recursive: true, force: true });
    cpSync(source, target, { recursive: true, filter: (src) => src !== path.join(source, "cache") });
    // A build that changed while we copied is a mix of two builds: copy again.
    if (before !== null && idOf(source) === before && idOf(target) === before) return { dir, buildId: before };
    log("the build changed while it was being copied; copying again");
    await sleep(3_000 * attempt);
  }
  rmSync(target, { recursive: true, force: true });
  throw new Error(`the build in ${distDir}/ kept changing while it was copied (someone is building): try again later`);
}

/** Parent pid of every process, from /proc. */
function processTable(): Map<number, { ppid: number; cmdline: string }> {
  const table = new Map<number, { ppid: number; cmdline: string }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ").trim();
      table.set(Number(entry), { ppid, cmdline });
    } catch {
      // The process ended while we looked.
    }
  }
  return table;
}

function descendants(pid: number): Array<{ pid: number; cmdline: string }> {
  const table = processTable();
  const out: Array<{ pid: number; cmdline: string }> = [];
  const visit = (parent: number) => {
    for (const [child, info] of table) {
      if (info.ppid === parent) {
        out.push({ pid: child, cmdline: info.cmdline });
        visit(child);
      }
    }
  };
  visit(pid);
  return out;
}

/**
 * The process serving HTTP: scripts/serve.ts (run as a bundle), which names itself `next-server` as `next start`
 * does; else one still showing its script in its command line, or a `next start` process.
 */
function findServerPid(startPid: number): number | null {
  const all = descendants(startPid);
  const named = all.filter((p) => /next-server/.test(p.cmdline)).at(-1);
  if (named) return named.pid;
  return all.filter((p) => /serve[-.][^ ]*(ts|mjs)|\bnext\b.*\bstart\b/.test(p.cmdline)).at(-1)?.pid ?? null;
}

export function readRssBytes(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Builds if asked, then serves a private copy of the build with `npm start`'s own launcher.
 * `onProcess` sees the launcher's process as soon as it exists (to read its output); `onStop`
 * receives the stop function then too, so a script's cleanup can end it while it is still starting.
 */
export async function startApp(options: {
  databaseUrl: string;
  log: Log;
  build: boolean;
  onProcess?(child: ChildProcess): void;
  onStop?(stop: () => Promise<void>): void;
  /** More settings for the app (they win over the ones above). */
  env?: Record<string, string>;
}): Promise<AppServer> {
  const { log } = options;
  const build = await ensureBuild(log, options.build);
  if (build.stale)
    log(
      `note: the build in ${build.distDir}/ is older than the sources (served as is; run npm run build for a fresh one)`,
    );
  const served = await privateBuild(build.distDir, log);
  const removeCopy = () => rmSync(path.join(root, served.dir), { recursive: true, force: true });
  const port = await freePort();
  let oidcPort = await freePort();
  while (oidcPort === port) oidcPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: options.databaseUrl,
    PORT: String(port),
    OIDC_PORT: String(oidcPort),
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    PARTNER_CLOUDS: "commercial",
    NEXT_DIST_DIR: served.dir,
    INGEST_RATE_PER_SECOND: "0",
    SEAL_INTERVAL_MINUTES: "0",
    ...options.env,
  };
  for (const name of [
    "AUTH_URL",
    "AUTH_COMMERCIAL_ISSUER",
    "AUTH_COMMERCIAL_CLIENT_ID",
    "AUTH_COMMERCIAL_CLIENT_SECRET",
  ])
    delete env[name];

  // Its own process group, so that stopping it can reach every process it started, and only those.
  const child = spawn(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/start.ts", "--no-build"], {
    cwd: root,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  options.onProcess?.(child);
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) output.push(line);
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once("exit", () => {
      exited = true;
      resolve();
    }),
  );

  const stop = async () => {
    await stopProcess();
    removeCopy();
  };
  const stopProcess = async () => {
    if (exited || child.pid === undefined) return;
    // What Ctrl-C does to `npm start`: SIGINT to its whole process group (which it handles).
    try {
      process.kill(-child.pid, "SIGINT");
    } catch {
      child.kill("SIGINT");
    }
    await Promise.race([exit, sleep(15_000)]);
    if (!exited) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
      await Promise.race([exit, sleep(5_000)]);
    }
  };
  options.onStop?.(stop);

  const baseUrl = `http://localhost:${port}`;
  const deadline = Date.now() + 180_000;
  try {
    for (;;) {
      if (exited) throw new Error(`the app exited while starting:\n${output.slice(-15).join("\n")}`);
      if (Date.now() > deadline)
        throw new Error(`the app did not answer /api/health within 3 minutes:\n${output.slice(-15).join("\n")}`);
      const ok = await fetch(`${baseUrl}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await sleep(250);
    }
    const serverPid = findServerPid(child.pid!);
    if (serverPid === null) throw new Error("could not find the Next server process to sample its memory");
    log(
      `app serving on ${baseUrl} (a copy of build ${served.buildId} from ${build.distDir}/, server pid ${serverPid})`,
    );
    return { baseUrl, serverPid, distDir: build.distDir, buildId: served.buildId, buildStale: build.stale, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/*
 * Signing in like a browser: Auth.js's CSRF token, its sign-in POST for the commercial provider,
 * the redirects to the local OIDC authority, its login form (email + the demo password), and the
 * redirects back through the app's callback, which sets the session cookie. Cookies are kept in a
 * small jar; both servers are on localhost (cookies ignore ports), and names do not collide.
 */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const pair = beforeFirst(line, ";");
      const attributes = line.split(";").slice(1);
      const eq = pair.indexOf("=");
      if (eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => {
        const attribute = a.trim();
        const k = beforeFirst(attribute, "=");
        const [, v = ""] = attribute.split("=");
        if (k.toLowerCase() === "max-age") return Number(v) <= 0;
        if (k.toLowerCase() === "expires") return new Date(v).getTime() < Date.now();
        return false;
      });
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  has(name: string): boolean {
    return this.cookies.has(name);
  }
}

const decodeHtml = (s: string) =>
  s
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">");

export async function signIn(baseUrl: string, email: string): Promise<CookieJar> {
  const jar = new CookieJar();
  const request = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
    });
    jar.store(response);
    return response;
  };
  const fail = (step: string, response: Response) =>
    new Error(`sign-in failed at ${step}: HTTP ${response.status} ${response.headers.get("location") ?? ""}`);

  const csrfResponse = await request(`${baseUrl}/api/auth/csrf`);
  if (!csrfResponse.ok) throw fail("csrf", csrfResponse);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };

  let response = await request(`${baseUrl}/api/auth/signin/commercial`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, callbackUrl: `${baseUrl}/` }).toString(),
  });
  let url = `${baseUrl}/api/auth/signin/commercial`;

  // Follows redirects until a page answers; returns its URL.
  const follow = async (step: string) => {
    for (let hops = 0; hops < 15 && response.status >= 300 && response.status < 400; hops++) {
      const location = response.headers.get("location");
      if (!location) throw fail(step, response);
      url = new URL(location, url).toString();
      await response.body?.cancel();
      if (url.startsWith(baseUrl) && jar.has("authjs.session-token")) return;
      response = await request(url);
    }
  };

  await follow("the redirect to the authority");
  if (response.status !== 200) throw fail("the authority's login page", response);
  const html = await response.text();
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error("sign-in failed: the authority's login page has no form");
  url = new URL(decodeHtml(action), url).toString();
  response = await request(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD }).toString(),
  });
  await follow("the redirect back to the app");
  if (!jar.has("authjs.session-token")) {
    const body = response.status === 200 ? (await response.text()).slice(0, 300) : "";
    throw new Error(`sign-in failed: no session cookie after the callback (HTTP ${response.status} at ${url}) ${body}`);
  }
  const session = (await (await request(`${baseUrl}/api/auth/session`)).json()) as { tenantId?: string } | null;
  if (!session?.tenantId) throw new Error("sign-in failed: the session has no tenant");
  return jar;
}
