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

export default defineConfig({
  testDir: "./tests/e2e",
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
      args: ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: {
    command: "npx tsx scripts/start.ts",
    url: `${baseURL}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(port),
      EMBEDDED_PG_DATA: path.join(process.env.E2E_DATA_DIR, "pg"),
      EMBEDDED_PG_PORT: String(process.env.E2E_PG_PORT ?? 54331),
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
