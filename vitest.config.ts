import { randomBytes } from "node:crypto";
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname) } },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    // Each integration file gets its own database; a few files at a time is what 2 cores take.
    maxWorkers: 2,
    testTimeout: 30_000,
    // Stored connection secrets are encrypted under this key (lib/secret-box.ts); one per run.
    // The tests' receivers (webhook, HEC, rsyslog) listen on this machine.
    env: { SECRETS_KEY: randomBytes(32).toString("base64"), STREAM_PRIVATE_NETWORKS: "allow" },
    hookTimeout: 120_000,
  },
});
