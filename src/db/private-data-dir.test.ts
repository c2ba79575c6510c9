// Another user of the machine must not read the embedded database (every chat) or write it (make
// themselves admin): DATA_DIR is 0700 and nothing inside is open to the group or others.
import { afterEach, describe, expect, test } from "bun:test";
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../log/logger.ts";
import { MIGRATIONS_DIR } from "../paths.ts";
import { openDatabase } from "./open-database.ts";

/** Every path under `dir` whose mode lets the group or others in, with that mode. */
function openToOthers(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const mode = lstatSync(path).mode & 0o777;
    if (!entry.isSymbolicLink() && mode & 0o077) found.push(`${path.slice(dir.length)} ${mode.toString(8)}`);
    if (entry.isDirectory()) found.push(...openToOthers(path));
  }
  return found;
}

describe("the embedded database's files are private", () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });
  const newRoot = () => {
    const root = mkdtempSync(join(tmpdir(), "sd-private-"));
    roots.push(root);
    return root;
  };

  test("a new DATA_DIR is 0700 and every file PGlite writes ends up 0600", async () => {
    const dataDir = join(newRoot(), "data");
    const database = await openDatabase({ databaseUrl: null, dataDir });
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    await database.migrate(MIGRATIONS_DIR);
    await database.close();
    expect(readdirSync(join(dataDir, "pg")).length).toBeGreaterThan(5);
    expect(openToOthers(dataDir)).toEqual([]);
  }, 60_000);

  test("an existing DATA_DIR open to others is tightened, with a warning naming it", async () => {
    const dataDir = join(newRoot(), "data");
    mkdirSync(join(dataDir, "pg"), { recursive: true });
    chmodSync(dataDir, 0o777);
    chmodSync(join(dataDir, "pg"), 0o777);
    writeFileSync(join(dataDir, "notes.txt"), "left by hand", { mode: 0o666 });
    chmodSync(join(dataDir, "notes.txt"), 0o666);
    const lines: string[] = [];
    const log = createLogger({ level: "info", format: "json" }, (line) => lines.push(line));

    const database = await openDatabase({ databaseUrl: null, dataDir }, log);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(openToOthers(dataDir)).toEqual([]);
    await database.close();
    const warning = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.level === "warn");
    expect(warning).toMatchObject({ dataDir, was: "777" });
    expect(String(warning!.msg)).toContain("DATA_DIR");
  }, 60_000);
});
