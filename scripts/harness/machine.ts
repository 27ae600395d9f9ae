import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";

/* What the numbers were measured on: they mean little without it. */

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  os: string;
  kernel: string;
  node: string;
  postgres: string;
  psql: string;
  next: string;
  gitCommit: string;
  loadAverageAtStart: number[];
}

function firstLine(file: string, pattern: RegExp): string | null {
  try {
    const [, value] = pattern.exec(readFileSync(file, "utf8")) ?? [];
    return value === undefined ? null : value.trim();
  } catch {
    return null;
  }
}

function command(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "unknown";
  }
}

export function packageVersion(name: string): string {
  const file = path.join(process.cwd(), "node_modules", name, "package.json");
  return existsSync(file) ? String(JSON.parse(readFileSync(file, "utf8")).version) : "unknown";
}

export async function machineInfo(databaseUrl: string | null): Promise<MachineInfo> {
  let pg = "unknown";
  if (databaseUrl) {
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const [{ version }] = await sql<[{ version: string }]>`select version()`;
      pg = version;
    } finally {
      await sql.end({ timeout: 5 });
    }
  }
  const status = command("git", ["status", "--porcelain"]);
  return {
    cpuModel: firstLine("/proc/cpuinfo", /^model name\s*:\s*(.+)$/m) ?? os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memoryBytes: os.totalmem(),
    os: firstLine("/etc/os-release", /^PRETTY_NAME="?([^"\n]+)"?$/m) ?? os.type(),
    kernel: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres: pg,
    psql: command(process.env.PSQL ?? "/usr/bin/psql", ["--version"]),
    next: packageVersion("next"),
    gitCommit: `${command("git", ["rev-parse", "--short", "HEAD"])}${status && status !== "unknown" ? " (with uncommitted changes)" : ""}`,
    loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}
