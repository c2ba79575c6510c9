import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataDirLockedError, LOCK_FILE, lockDataDir } from "./data-dir-lock.ts";

const dirs: string[] = [];
function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), "sd-lock-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Another process that holds the lock until it is killed. */
async function holdLockInChild(dir: string) {
  const child = Bun.spawn(
    [process.execPath, "-e", `const { lockDataDir } = await import(${JSON.stringify(join(import.meta.dir, "data-dir-lock.ts"))}); lockDataDir(${JSON.stringify(dir)}); console.log("locked"); setInterval(() => {}, 1000);`],
    { stdout: "pipe" },
  );
  const reader = child.stdout.getReader();
  const { value } = await reader.read();
  expect(new TextDecoder().decode(value)).toContain("locked");
  return child;
}

describe("data directory lock", () => {
  test("a second process is refused while the first holds the lock", async () => {
    const dir = tempDir();
    const child = await holdLockInChild(dir);
    try {
      expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
      expect(() => lockDataDir(dir)).toThrow(`is in use by another SupportDesk process (pid ${child.pid})`);
    } finally {
      child.kill();
      await child.exited;
    }
  });

  test("a lock left by a process that died is taken over", async () => {
    const dir = tempDir();
    const child = await holdLockInChild(dir);
    child.kill("SIGKILL");
    await child.exited;
    const lock = lockDataDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), "utf8")).toBe(String(process.pid));
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  test("a lock file with our own pid (a container restarted as pid 1) is taken over", () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), String(process.pid));
    lockDataDir(dir).release();
  });

  test("releasing leaves someone else's lock alone", () => {
    const dir = tempDir();
    const lock = lockDataDir(dir);
    writeFileSync(join(dir, LOCK_FILE), "1");
    lock.release();
    expect(readFileSync(join(dir, LOCK_FILE), "utf8")).toBe("1");
  });

  test("a second SupportDesk on the same DATA_DIR stops with a clear message", async () => {
    const dir = tempDir();
    const child = await holdLockInChild(dir);
    try {
      const proc = Bun.spawnSync([process.execPath, join(import.meta.dir, "../main.ts")], {
        env: { PATH: process.env.PATH ?? "", DATA_DIR: dir, PORT: "0" },
        stdout: "pipe",
        stderr: "pipe",
      });
      expect(proc.exitCode).toBe(1);
      expect(proc.stderr.toString().trim()).toBe(
        `supportdesk: DATA_DIR ${dir} is in use by another SupportDesk process (pid ${child.pid}). ` +
          "Stop that process, or set DATA_DIR to another directory; to run several instances, use DATABASE_URL.",
      );
      // The refused process must not have touched the database files.
      expect(existsSync(join(dir, "pg"))).toBe(false);
    } finally {
      child.kill();
      await child.exited;
    }
  });
});
