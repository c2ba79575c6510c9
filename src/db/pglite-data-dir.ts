// Opens the PGlite data dir in DATA_DIR/pg: an existing database as it is; a new one from the
// initial database shipped in the binary (see initial-database.ts), or with initdb when there is
// none or it does not load.
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { safeErrorMessage } from "../log/safe-error.ts";
import type { Logger } from "../log/logger.ts";
import { compilePGliteWasm, createPGlite } from "./pglite.ts";

/**
 * Beside the data dir while the initial database is being written into it. Postgres's own files
 * say nothing of a copy cut short (PG_VERSION may be among the first written), so a start that
 * finds this marker knows the directory holds half a copy and no one's data, and starts over.
 */
export const LOADING_MARKER_SUFFIX = ".loading";

export async function openPGliteDataDir(pgDir: string, initialDatabase: Blob | null, log: Logger): Promise<PGlite> {
  const marker = pgDir + LOADING_MARKER_SUFFIX;
  if (existsSync(marker)) {
    log.warn("an earlier first start stopped while writing the new database; starting it again", { dir: pgDir });
    rmSync(pgDir, { recursive: true, force: true });
    rmSync(marker, { force: true });
  }
  if (existsSync(join(pgDir, "PG_VERSION")) || !initialDatabase) return createPGlite({ dataDir: pgDir });

  const started = performance.now();
  writeFileSync(marker, "");
  try {
    // Unpacked natively into the directory, then opened like any existing data dir. PGlite's own
    // loadDataDir was tried first: it writes each file through the wasm filesystem (slower, and
    // about 150 MB of copies left for the GC), and a tarball it cannot gunzip also rejects a
    // promise no one awaits: an "unhandled error" on stderr and exit status 1 at the end, even
    // though the fallback below ran. The wasm compiles meanwhile: unpacking runs off the JS thread.
    void compilePGliteWasm();
    await new Bun.Archive(await initialDatabase.bytes()).extract(pgDir);
    const client = await createPGlite({ dataDir: pgDir });
    rmSync(marker);
    log.info("created the database from the initial one in the binary", { ms: Math.round(performance.now() - started) });
    return client;
  } catch (err) {
    // The directory had no database (no PG_VERSION) before this start: only the partial copy goes.
    log.warn("the initial database in the binary did not load; creating the database with initdb instead", {
      error: safeErrorMessage(err),
    });
    rmSync(pgDir, { recursive: true, force: true });
    rmSync(marker, { force: true });
    return createPGlite({ dataDir: pgDir });
  }
}
