// The machine a bench runs on: CPU accounting per process and in all, its load, what it is and
// which versions run, and client addresses from the benchmarking range.
import { readdirSync, readFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";

/** CPU seconds (user + system) a process has used so far; 0 if it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/** All processes named like `name`. */
export function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim().startsWith(name)) pids.push(Number(entry));
    } catch {}
  }
  return pids;
}

/** Busy and total jiffies of the whole machine. */
export function machineCpu(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!.split(/\s+/).slice(1).map(Number);
  const idle = line[3]! + line[4]!;
  const total = line.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** The machine's load averages over 1, 5 and 15 minutes, e.g. "1.42 2.34 2.20". */
export const loadAverages = () => loadavg().map((l) => l.toFixed(2)).join(" ");

/** Prints the bench's title, then the machine (cores, memory, load) and `versions`. */
export function printMachine(title: string, versions: string): void {
  console.log(title);
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? "unknown"}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, load ${loadAverages()}`);
  console.log(`versions: ${versions}`);
}

/** `count` addresses from the 198.18.0.0/15 benchmarking range, starting at a random place. */
export function addresses(count: number): string[] {
  const offset = Math.floor(Math.random() * 2 ** 17);
  return Array.from({ length: count }, (_, i) => {
    const v = (offset + i) % 2 ** 17;
    return `198.${18 + (v >> 16)}.${(v >> 8) & 255}.${v & 255}`;
  });
}

/**
 * Connections the kernel refused because a listen queue was full (TcpExt ListenOverflows, the
 * whole machine): each one a SYN the client resends after TCP's own backoff (1, 3, 7, 15 s...).
 */
export function listenOverflows(): number {
  const lines = readFileSync("/proc/net/netstat", "utf8").split("\n").filter((l) => l.startsWith("TcpExt:"));
  const names = lines[0]?.split(/\s+/) ?? [];
  const values = lines[1]?.split(/\s+/) ?? [];
  return Number(values[names.indexOf("ListenOverflows")] ?? 0);
}
