// Builds dist/supportdesk: one executable with the views compiled in and public/, the migrations
// and PGlite's wasm/data files embedded, so it runs from any directory with nothing beside it.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { BUILT_INITIAL_DATABASE_DIR, INITIAL_DATABASE_FILE, makeInitialDatabase } from "../src/db/initial-database.ts";
import { MIGRATIONS_DIR } from "../src/paths.ts";
import { BUILT_LOADER_DIR, BUILT_LOADER_FILE, minifyLoader } from "../src/widget/loader.ts";

const root = join(import.meta.dir, "..");
const STARTUP_JIT_POLICY = 10;
const outfile = process.env.OUTFILE ?? "dist/supportdesk";
// The embed loader, minified here and embedded beside public/ (src/widget/loader.ts serves it).
await mkdir(join(root, BUILT_LOADER_DIR), { recursive: true });
await Bun.write(join(root, BUILT_LOADER_DIR, BUILT_LOADER_FILE), await minifyLoader());
// The embedded database's first start loads this instead of running initdb (src/db/initial-database.ts).
await mkdir(join(root, BUILT_INITIAL_DATABASE_DIR), { recursive: true });
const initialDatabase = await makeInitialDatabase(MIGRATIONS_DIR);
await Bun.write(join(root, BUILT_INITIAL_DATABASE_DIR, INITIAL_DATABASE_FILE), initialDatabase);
console.log(`initial database: ${(initialDatabase.size / 1024 / 1024).toFixed(1)} MiB (gzip)`);
const args = [
  "build",
  "--compile",
  "--minify",
  "--sourcemap",
  // Each dynamic import() becomes a chunk of its own, parsed only when imported: what the embedded
  // mode never loads (Redis, the postgres driver, mail, tracing's SDK) then costs it no memory.
  // In one bundle the engine kept the source and parse data of all of it (about 11 MiB for mail alone).
  "--splitting",
  // JavaScriptCore's tier-up thresholds x10 until main.ts resets them once listening: boot code
  // runs once, and compiling it only cost JIT memory (about 3 MiB of the idle RSS).
  `--compile-jit-policy=${STARTUP_JIT_POLICY}`,
  "src/main.ts",
  "--asset",
  "public",
  "--asset",
  "drizzle",
  "--asset",
  BUILT_LOADER_DIR,
  "--asset",
  BUILT_INITIAL_DATABASE_DIR,
  // A deployed binary must behave the same wherever it is started: no .env or bunfig.toml from the cwd.
  "--no-compile-autoload-dotenv",
  "--no-compile-autoload-bunfig",
  "--outfile",
  outfile,
];
const proc = Bun.spawnSync([process.execPath, ...args], { cwd: root, stdout: "inherit", stderr: "inherit" });
if (proc.exitCode !== 0) process.exit(proc.exitCode ?? 1);
const size = Bun.file(join(root, outfile)).size;
console.log(`${outfile}: ${(size / 1024 / 1024).toFixed(1)} MiB`);
