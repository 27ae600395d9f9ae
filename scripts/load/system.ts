import { readdirSync, readFileSync } from "node:fs";
import { readRssBytes } from "../harness/app-server";
import { beforeFirst } from "@/lib/before-first";

/*
 * Where the machine's time went during a segment, in cores: the Next server process; this run's
 * whole process tree (the load generator, the app with its OIDC authority, the embedded
 * PostgreSQL: all descendants of this process), and the load generator alone (it shares the
 * machine with the server it measures); and the whole machine. Machine minus this run is
 * what other jobs on a shared machine took: a run where that is large measured the neighbours as
 * much as the app. Plus the server's peak RSS, sampled every second.
 */

const CLOCK_TICKS = 100; // USER_HZ on Linux

function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** CPU seconds of a process and all its living descendants. */
function treeCpuSeconds(root: number): number {
  const parent = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parent.set(Number(entry), Number(fields[1]));
      cpu.set(Number(entry), (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS);
    } catch {
      // The process ended while we looked.
    }
  }
  let total = 0;
  const inTree = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = parent.get(p) ?? 0, hops++) if (p === root) return true;
    return false;
  };
  for (const [pid, seconds] of cpu) if (inTree(pid)) total += seconds;
  return total;
}

function machineCpuSeconds(): { busy: number; total: number } | null {
  try {
    const line = beforeFirst(readFileSync("/proc/stat", "utf8"), "\n");
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    const values = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = values.reduce((s, v) => s + v, 0);
    const [, , , idleTicks, iowaitTicks = 0] = values;
    if (idleTicks === undefined) throw new Error("/proc/stat has no idle time");
    const idle = idleTicks + iowaitTicks;
    return { busy: (total - idle) / CLOCK_TICKS, total: total / CLOCK_TICKS };
  } catch {
    return null;
  }
}

export interface SystemUsage {
  /** Cores the Next server process kept busy on average. */
  serverCpuCores: number | null;
  /** Cores this run's processes (load generator, app, PostgreSQL) kept busy on average. */
  runCpuCores: number | null;
  /** Of those, the load generator itself (this process: requests, gunzip, counting rows). */
  generatorCpuCores: number | null;
  /** Cores the whole machine kept busy on average. */
  machineCpuCores: number | null;
  serverRssPeakBytes: number | null;
}

export class UsageMeter {
  private readonly startServer: number | null;
  private readonly startMachine: { busy: number; total: number } | null;
  private readonly startTree: number;
  private readonly startSelf = process.cpuUsage();
  private readonly t0 = performance.now();
  private rssPeak: number | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number) {
    this.startServer = processCpuSeconds(pid);
    this.startMachine = machineCpuSeconds();
    this.startTree = treeCpuSeconds(process.pid);
    this.sample();
    this.timer = setInterval(() => this.sample(), 1_000);
  }

  private sample() {
    const rss = readRssBytes(this.pid);
    if (rss !== null) this.rssPeak = Math.max(this.rssPeak ?? 0, rss);
  }

  stop(): SystemUsage {
    clearInterval(this.timer);
    this.sample();
    const wall = (performance.now() - this.t0) / 1000;
    const server = processCpuSeconds(this.pid);
    const machine = machineCpuSeconds();
    const tree = treeCpuSeconds(process.pid);
    return {
      serverCpuCores:
        server !== null && this.startServer !== null && wall > 0 ? (server - this.startServer) / wall : null,
      runCpuCores: wall > 0 ? (tree - this.startTree) / wall : null,
      generatorCpuCores:
        wall > 0 ? (({ user, system }) => (user + system) / 1e6 / wall)(process.cpuUsage(this.startSelf)) : null,
      machineCpuCores: machine && this.startMachine && wall > 0 ? (machine.busy - this.startMachine.busy) / wall : null,
      serverRssPeakBytes: this.rssPeak,
    };
  }
}
