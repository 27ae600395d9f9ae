/*
 * The HTTP server `npm start` runs (scripts/start.ts spawns it where it used to spawn `next start`):
 * Next's own request handler, the one `next start` uses (proxy.ts, streaming, compression and all),
 * inside a thin Node server that writes one structured log line per request
 * (lib/observability). It reads the environment `next start` would: PORT, NEXT_DIST_DIR (through
 * next.config.mjs), NODE_ENV. `--dev` serves `next dev` instead of the build.
 *
 *   node --import tsx scripts/serve.ts [--dev]
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import next from "next";
import { requestsInFlightCounter } from "@/lib/export/give-way-to-pages";
import { writeLog } from "@/lib/observability/log";
import { installRequestStorage, type RequestState } from "@/lib/observability/request-context";
import { logWhenClosed, openRequest } from "@/lib/observability/request-log";
import { createRouteMatcher, type RoutesManifest } from "@/lib/observability/route-pattern";
import { ROUTES } from "@/lib/routes";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
const dir = process.cwd();
const mode = dev ? "development" : "production";

// `ps` and the benchmark's memory sampling find the serving process by this name, as under `next start`.
process.title = "next-server (partner-activity-log)";

function loadRoutesManifest(): RoutesManifest | null {
  // Dev compiles routes on demand, so its manifest is never complete: redacted paths there.
  if (dev) return null;
  const file = path.join(dir, process.env.NEXT_DIST_DIR ?? ".next", "routes-manifest.json");
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as RoutesManifest;
  } catch {
    return null;
  }
}

async function main() {
  const storage = new AsyncLocalStorage<RequestState>();
  const inFlight = requestsInFlightCounter();
  installRequestStorage(storage);

  const server = createServer();
  const app = next({ dev, dir, port, hostname: "localhost", httpServer: server });
  const handle = app.getRequestHandler();
  await app.prepare();
  const matchRoute = createRouteMatcher(loadRoutesManifest());

  server.on("request", (req, res) => {
    const open = openRequest(req, matchRoute);
    logWhenClosed(open, res);
    // Exports give way while anything else is being served (lib/export/give-way-to-pages.ts).
    if (!open.staticAsset && open.state.route !== ROUTES.activityExport) {
      inFlight.count++;
      res.once("close", () => inFlight.count--);
    }
    // Everything Next does for this request runs inside its state, so the app can annotate it.
    storage.run(open.state, () => {
      handle(req, res).catch((error: unknown) => {
        console.error(error);
        if (!res.headersSent) res.statusCode = 500;
        res.end();
      });
    });
  });

  // Same defaults as `next start`: all interfaces.
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => resolve());
  });
  writeLog({ level: "info", msg: "server", event: "listening", port, mode });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    writeLog({ level: "info", msg: "server", event: "stopping", mode });
    // Stop accepting, let requests in flight finish; start.ts gives us 5 s before it moves on.
    const backstop = setTimeout(() => {
      server.closeAllConnections();
      process.exit(signal === "SIGINT" ? 130 : 143);
    }, 4_000);
    backstop.unref();
    server.close(() => {
      void app.close().finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => stop(signal));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
