// The embedded database's files hold every chat and every agent's password hash: only the user
// SupportDesk runs as may read them. PGlite creates its files itself, world-writable (0666), so
// neither a umask nor the modes we create things with are enough: DATA_DIR is made 0700 (no one
// else can even reach what is inside), and after PGlite has written, every file is made 0600 too.
import { chmodSync, lstatSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../log/logger.ts";

const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;
/** Permission bits for the group and others. */
const SHARED_BITS = 0o077;

/**
 * Creates DATA_DIR as 0700, or tightens an existing one that others could read, with a warning
 * (an install made before this check, or a directory the operator created by hand).
 */
export function ensurePrivateDataDir(dataDir: string, log: Logger): void {
  mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR });
  const mode = statSync(dataDir).mode & 0o777;
  if ((mode & SHARED_BITS) === 0) return;
  chmodSync(dataDir, PRIVATE_DIR);
  log.warn("DATA_DIR was open to other users of this machine; it is now private (0700)", { dataDir, was: mode.toString(8) });
}

/**
 * Takes group and other permissions off everything under `dir`: directories 0700, files 0600.
 * Symbolic links are left alone (their target may not be ours). Returns how many it changed.
 */
export function tightenTree(dir: string): number {
  let changed = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    const mode = lstatSync(path).mode & 0o777;
    if (entry.isDirectory()) {
      if (mode & SHARED_BITS) (chmodSync(path, PRIVATE_DIR), changed++);
      changed += tightenTree(path);
    } else if (mode & SHARED_BITS) {
      chmodSync(path, PRIVATE_FILE);
      changed++;
    }
  }
  return changed;
}
