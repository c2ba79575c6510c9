// PGlite locates its wasm and data files next to its own module, which does not exist inside a
// compiled binary. Importing them as files makes `bun build --compile` embed them, and handing
// them to PGlite.create works the same under `bun run`, so there is one code path.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import initdbWasm from "@electric-sql/pglite/initdb.wasm" with { type: "file" };
import pgliteData from "@electric-sql/pglite/pglite.data" with { type: "file" };
import pgliteWasm from "@electric-sql/pglite/pglite.wasm" with { type: "file" };
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import type { Database } from "./database.ts";
import * as schema from "./schema/index.ts";

/**
 * PostgreSQL's defaults are sized for a server of its own; in one process beside the app its
 * buffer cache was most of the idle memory, since PGlite keeps it in the wasm heap and touches all
 * of it at start. Measured with bun on this machine (RSS after open and migrate): shared_buffers
 * 128MB (the default) 287 MB, 16MB 160 MB, 8MB 146 MB. Only the buffer cache shrinks: the files
 * stay in the OS page cache, so a read that misses it costs a copy, not a disk seek. wal_buffers
 * follows (1/32 of shared_buffers). work_mem and the like are taken on demand, so they stay.
 * Opening is faster too (less shared memory to set up): a median of 1.0 s against 1.7 s here.
 * 4MB (512 pages) rather than 8MB saves 4 MiB more of touched wasm heap; what it costs is a
 * working set between the two: 5,000 random primary-key reads over a 7 MB table read 4,100
 * blocks from the page cache instead of 950, with CPU time within the run-to-run noise.
 * max_connections sizes the per-backend shared memory (process slots, the lock table); PGlite runs
 * one backend, so the default of 100 only cost 4 MiB of touched wasm heap (17.3 against 21.3 MiB
 * with 5, measured after open and a query). 5 still leaves the lock table 64 x 30 slots, far more
 * than a migration takes in one transaction.
 */
const LEAN_SETTINGS: Readonly<Record<string, string>> = { shared_buffers: "4MB", max_connections: "5" };

function settingsParams(settings: Record<string, string>): string[] {
  return Object.entries(settings).flatMap(([name, value]) => ["-c", `${name}=${value}`]);
}

let pgliteModule: Promise<WebAssembly.Module> | undefined;
let initdbModule: Promise<WebAssembly.Module> | undefined;

/** Compiling the wasm takes a while; tests open many databases, so do it once per process. */
function compile(file: string): Promise<WebAssembly.Module> {
  return Bun.file(file)
    .arrayBuffer()
    .then((b) => WebAssembly.compile(b));
}

/**
 * Whether PGlite will run initdb for these options: only for a new database that is not loaded
 * from a tarball. initdb's wasm is compiled only then; most starts open an existing data dir.
 */
function needsInitdb(opts: PGliteOptions): boolean {
  if (opts.loadDataDir || opts.noInitDb) return false;
  return !(opts.dataDir && existsSync(join(opts.dataDir, "PG_VERSION")));
}

/** Starts compiling PGlite's wasm now, so it overlaps other work before createPGlite. */
export function compilePGliteWasm(): Promise<WebAssembly.Module> {
  pgliteModule ??= compile(pgliteWasm);
  return pgliteModule;
}

export async function createPGlite(opts: PGliteOptions = {}): Promise<PGlite> {
  const initdb = needsInitdb(opts) ? (initdbModule ??= compile(initdbWasm)) : undefined;
  const [pgliteWasmModule, initdbWasmModule] = await Promise.all([compilePGliteWasm(), initdb]);
  return PGlite.create({
    pgliteWasmModule,
    initdbWasmModule,
    fsBundle: Bun.file(pgliteData),
    startParams: [...PGlite.defaultStartParams, ...settingsParams(LEAN_SETTINGS)],
    ...opts,
  });
}

export function pgliteDatabase(client: PGlite, onClose: () => void = () => {}): Database {
  const db = drizzle({ client, schema });
  return {
    db,
    kind: "pglite",
    async migrate(migrationsFolder) {
      await migrate(db, { migrationsFolder });
    },
    async ping() {
      await client.query("select 1");
    },
    async close() {
      if (!client.closed) await client.close();
      onClose();
    },
  };
}
