// PGlite is a single-process database: two processes on one data directory both "work" and one
// of them silently loses its writes. A lock file holding the owner's pid keeps the second out.
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const LOCK_FILE = "supportdesk.lock";

export class DataDirLockedError extends Error {
  override name = "DataDirLockedError";
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `DATA_DIR ${dataDir} is in use by another SupportDesk process (pid ${pid}). ` +
        "Stop that process, or set DATA_DIR to another directory; to run several instances, use DATABASE_URL.",
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else, which still means "alive".
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readOwner(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, "utf8"), 10);
    return Number.isFinite(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export interface DataDirLock {
  release(): void;
}

export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  const mine = `${path}.${process.pid}`;
  writeFileSync(mine, String(process.pid));
  try {
    try {
      // link() fails when the target exists, so exactly one process creates the lock.
      linkSync(mine, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const owner = readOwner(path);
      // Our own pid in the file means a previous run in this container left it (pid 1 again).
      if (owner !== null && owner !== process.pid && isAlive(owner)) throw new DataDirLockedError(dataDir, owner);
      // A stale lock from a process that died: take it over, then check that no other process
      // starting at the same moment took it over after us.
      renameSync(mine, path);
      Bun.sleepSync(50);
      const now = readOwner(path);
      if (now !== process.pid) throw new DataDirLockedError(dataDir, now ?? 0);
    }
  } finally {
    try {
      unlinkSync(mine);
    } catch {}
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      if (readOwner(path) === process.pid) unlinkSync(path);
    },
  };
}
