import { randomBytes } from "node:crypto";
import { mkdtempSync, chmodSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;

// One fresh embedded database per run. Workers re-read this file with the parent's environment,
// so they see the same folder.
process.env.E2E_DATA_DIR ??= (() => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "activity-log-e2e-"));
  chmodSync(dir, 0o755);
  return dir;
})();

// Both servers share one secret, so a session cookie of one is a validly signed cookie at the other:
// the sovereign server must still refuse it because of its cloud.
process.env.E2E_AUTH_SECRET ??= randomBytes(32).toString("base64url");

process.env.E2E_SECRETS_KEY ??= randomBytes(32).toString("base64");

const sovereignPort = port + 100;

// Serves the existing build (`npm test` builds first; run `npm run build` before `npx playwright test`).
const server = (name: string, appPort: number, pgPort: number, extra: Record<string, string> = {}) => ({
  command: "npx tsx scripts/start.ts --no-build",
  url: `http://localhost:${appPort}/api/health`,
  timeout: 300_000,
  reuseExistingServer: false,
  stdout: "pipe" as const,
  stderr: "pipe" as const,
  name,
  env: {
    PORT: String(appPort),
    EMBEDDED_PG_DATA: path.join(process.env.E2E_DATA_DIR!, name, "pg"),
    EMBEDDED_PG_PORT: String(pgPort),
    AUTH_SECRET: process.env.E2E_AUTH_SECRET!,
    SECRETS_KEY: process.env.E2E_SECRETS_KEY!,
    NEXT_TELEMETRY_DISABLED: "1",
    // Each server's structured request log, also as a file (tests/e2e/request-logs.spec.ts reads it).
    REQUEST_LOG_FILE: path.join(process.env.E2E_DATA_DIR!, `${name}-requests.jsonl`),
    // The Partner Center stand-in runs, but no tenant is connected to it until a test connects one
    // (records arriving by themselves would change what other tests count); due syncs start fast.
    PARTNER_CENTER_DEMO_CONNECTIONS: "off",
    PARTNER_CENTER_POLL_SECONDS: "1",
    // The log streaming tests' receivers listen on this machine.
    STREAM_PRIVATE_NETWORKS: "allow",
    ...extra,
  },
});

export default defineConfig({
  testDir: "./tests/e2e",
  outputDir: process.env.E2E_OUTPUT_DIR ?? "test-results",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      // Without these Chromium keeps dialling Google services this closed network refuses.
      args: [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    // Signs in the accounts the specs reuse once, and saves their sessions under E2E_DATA_DIR.
    { name: "setup", testMatch: /auth\.setup\.ts$/, use: { ...devices["Desktop Chrome"], channel: undefined } },
    {
      name: "chromium",
      use: { ...devices["Desktop Chrome"], channel: undefined },
      dependencies: ["setup"],
    },
  ],
  webServer: [
    server("app", port, Number(process.env.E2E_PG_PORT ?? 15531)),
    // The sovereign deployment: US Government only.
    server("sovereign", sovereignPort, Number(process.env.E2E_PG_PORT ?? 15531) + 1, { PARTNER_CLOUDS: "usgov" }),
  ],
});
