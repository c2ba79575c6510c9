// PGlite locates its wasm and data files next to its own module, which does not exist inside a
// compiled binary. Importing them as files makes `bun build --compile` embed them, and handing
// them to PGlite.create works the same under `bun run`, so there is one code path.
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import initdbWasm from "@electric-sql/pglite/initdb.wasm" with { type: "file" };
import pgliteData from "@electric-sql/pglite/pglite.data" with { type: "file" };
import pgliteWasm from "@electric-sql/pglite/pglite.wasm" with { type: "file" };
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { tracedPGlite } from "../tracing/statement-spans.ts";
import type { Database } from "./database.ts";
import * as schema from "./schema/index.ts";

let compiled: Promise<[WebAssembly.Module, WebAssembly.Module]> | undefined;

/** Compiling the wasm takes a while; tests open many databases, so do it once per process. */
function wasmModules() {
  compiled ??= Promise.all([
    Bun.file(pgliteWasm)
      .arrayBuffer()
      .then((b) => WebAssembly.compile(b)),
    Bun.file(initdbWasm)
      .arrayBuffer()
      .then((b) => WebAssembly.compile(b)),
  ]);
  return compiled;
}

export async function createPGlite(opts: PGliteOptions = {}): Promise<PGlite> {
  const [pgliteWasmModule, initdbWasmModule] = await wasmModules();
  return PGlite.create({ pgliteWasmModule, initdbWasmModule, fsBundle: Bun.file(pgliteData), ...opts });
}

export function pgliteDatabase(client: PGlite, onClose: () => void = () => {}): Database {
  const db = drizzle({ client: tracedPGlite(client), schema });
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
