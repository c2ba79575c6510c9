import { expect, test } from "bun:test";
import { join } from "node:path";
import pkg from "../package.json" with { type: "json" };

const main = join(import.meta.dir, "main.ts");
const run = (...args: string[]) => Bun.spawnSync([process.execPath, main, ...args], { stdout: "pipe", stderr: "pipe" });

test("--version prints the version and exits 0", () => {
  const proc = run("--version");
  expect(proc.exitCode).toBe(0);
  expect(proc.stdout.toString().trim()).toBe(`supportdesk ${pkg.version}`);
});

test("--help lists every configuration variable and exits 0", () => {
  const proc = run("--help");
  expect(proc.exitCode).toBe(0);
  const out = proc.stdout.toString();
  for (const name of ["PORT", "HOST", "PUBLIC_URL", "DATABASE_URL", "DATA_DIR", "REDIS_URL", "SESSION_SECRET", "ADMIN_EMAIL", "ADMIN_PASSWORD", "LOG_LEVEL", "LOG_FORMAT", "TRUST_PROXY"]) {
    expect(out).toContain(`  ${name} `);
  }
});

test("an unknown argument is refused with exit code 2", () => {
  const proc = run("--frobnicate");
  expect(proc.exitCode).toBe(2);
  expect(proc.stderr.toString()).toContain('unknown argument "--frobnicate"');
});
