import { spawn } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TENANTS } from "@/db/seed/demo-data";
import { seedDemo } from "@/db/seed/seed-demo";
import { auditRecord, envelope, orderRecord } from "../support/partner-center-records";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { at, firstRow } from "../support/present";

/*
 * `npm run import-partner-center` as an operator runs it: a real process reading a real file into
 * a real Postgres. Memory is the process's own high-water mark (VmHWM), compared between a file
 * ten times smaller and the large one: bounded memory means the large file costs about the same.
 */

const contoso = at(DEMO_TENANTS, 0, "the Contoso demo tenant");
const fabrikam = at(DEMO_TENANTS, 1, "the Fabrikam demo tenant");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  peakRss: number;
}

function runImport(args: string[], env: Record<string, string>, stdin?: string): Promise<Run> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/import-partner-center.ts", ...args], {
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let peakRss = 0;
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const sample = () => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
      if (hwm) peakRss = Math.max(peakRss, Number(hwm[1]) * 1024);
    } catch {
      // gone
    }
  };
  const timer = setInterval(sample, 50);
  if (stdin !== undefined) child.stdin.end(stdin);
  else child.stdin.end();
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => {
      clearInterval(timer);
      resolve({ code, stdout, stderr, peakRss });
    });
  });
}

/** A one-line envelope, as `curl ... > file` saves Partner Center's response, with a BOM. */
async function writeEnvelopeFile(file: string, count: number, idPrefix: string): Promise<number> {
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, "drain");
  };
  // Partner Center's envelope, written around the records as they are generated.
  const halves = JSON.stringify(envelope([{}], count + 7)).split("{}");
  const head = at(halves, 0, "the envelope before its records");
  const tail = at(halves, 1, "the envelope after its records");
  await write(`\uFEFF${head}`);
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const occurredAt = new Date(now - 60_000 - Math.floor((i * 20 * 86_400_000) / count));
    const record = i % 4 === 0 ? orderRecord(contoso.id, occurredAt, 3) : auditRecord(contoso.id, occurredAt);
    await write((i === 0 ? "" : ",") + JSON.stringify({ ...record, id: `${idPrefix}_${i}` }));
  }
  await write(tail);
  out.end();
  await once(out, "finish");
  return out.bytesWritten;
}

describe("npm run import-partner-center", () => {
  let db: TestDatabase;
  let dir: string;
  let env: Record<string, string>;

  const countFor = async (tenantId: string) => {
    const row = await firstRow(
      db.admin<Array<{ n: number }>>`
      select count(*)::int as n from activity_records where tenant_id = ${tenantId}`,
      `the count of tenant ${tenantId}`,
    );
    return row.n;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemo(db.url, { recordsPerTenant: 10, customersPerTenant: 2 });
    dir = mkdtempSync(path.join(os.tmpdir(), "pc-import-"));
    env = { DATABASE_URL: db.url };
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  it("imports 100,000 records in bounded memory, counts what it did, and stores nothing twice", async () => {
    const small = path.join(dir, "small.json");
    const large = path.join(dir, "large.json");
    await writeEnvelopeFile(small, 10_000, "small");
    const largeBytes = await writeEnvelopeFile(large, 100_000, "large");
    expect(largeBytes).toBeGreaterThan(100 * 2 ** 20);

    const before = await countFor(contoso.id);
    const first = await runImport(["--tenant", contoso.id, small], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("10,000 stored, 0 already present, 0 refused");

    const big = await runImport(["--tenant", contoso.id, large], env);
    expect(big.code, big.stderr).toBe(0);
    expect(big.stdout).toContain("100,000 stored, 0 already present, 0 refused");
    expect(await countFor(contoso.id)).toBe(before + 110_000);

    // Ten times the records (over 100 MiB of file) cost the process about the same memory.
    const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
    expect(big.peakRss, `peak RSS ${mib(big.peakRss)} against ${mib(first.peakRss)} for 10,000`).toBeLessThan(
      first.peakRss + 64 * 2 ** 20,
    );

    const again = await runImport(["--tenant", contoso.id, small], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("0 stored, 10,000 already present, 0 refused");
    expect(await countFor(contoso.id)).toBe(before + 110_000);
  }, 300_000);

  it("reads standard input one record per line, refuses a batch with another partner's record, and says which", async () => {
    const occurredAt = new Date(Date.now() - 120_000);
    const lines = [
      auditRecord(contoso.id, occurredAt),
      auditRecord(contoso.id, occurredAt),
      auditRecord(fabrikam.id, occurredAt),
    ].map((r) => JSON.stringify(r));
    const before = await countFor(contoso.id);
    const run = await runImport(["--tenant", contoso.id, "-"], env, `${lines.join("\n")}\n`);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("records 0-2 refused: Record 2 belongs to another partner");
    expect(run.stderr).toContain(`record 2 partnerId: is "${fabrikam.id}"`);
    expect(run.stdout).toContain("0 stored, 0 already present, 3 refused");
    expect(await countFor(contoso.id)).toBe(before);
  });

  it("explains a wrong command in one line", async () => {
    const noTenant = await runImport([path.join(dir, "missing.json")], env);
    expect(noTenant.code).not.toBe(0);
    expect(noTenant.stderr).toContain("usage: npm run import-partner-center");
    const unknown = await runImport(["--tenant", "00000000-0000-4000-8000-000000000000", "-"], env, "[]");
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("no partner tenant 00000000-0000-4000-8000-000000000000");
  });
});
