// The embedded database a first start begins with: made once at build time (initdb, then every
// migration) and shipped in the binary, because initdb at first start took seconds and hundreds
// of MB. It holds the schema and nothing per install: secrets and the first inbox are made at
// boot as before, and migrations newer than the build still run on it.
import { basename, join } from "node:path";
import { APP_ROOT } from "../paths.ts";
import { createPGlite, pgliteDatabase } from "./pglite.ts";

/** Where scripts/build.ts writes it; `--asset` embeds the directory by its last part. */
export const BUILT_INITIAL_DATABASE_DIR = "dist/initial-database";
export const INITIAL_DATABASE_FILE = "pgdata.tar.gz";

/** A gzipped tarball of a data dir, initdb'ed and migrated with `migrationsFolder`. */
export async function makeInitialDatabase(migrationsFolder: string): Promise<Blob> {
  const client = await createPGlite();
  try {
    await pgliteDatabase(client).migrate(migrationsFolder);
    // Written out now, so the tarball holds no WAL left to replay.
    await client.exec("checkpoint");
    return await client.dumpDataDir("gzip");
  } finally {
    await client.close();
  }
}

/**
 * The tarball inside the compiled binary, or null when there is none: from a checkout (a build
 * there may be stale) PGlite runs initdb as it always did.
 */
export function builtInInitialDatabase(): Blob | null {
  if (!APP_ROOT.startsWith("/$bunfs")) return null;
  // Bun.file names the type from the extension, which is how PGlite knows to gunzip it.
  return Bun.file(join(APP_ROOT, basename(BUILT_INITIAL_DATABASE_DIR), INITIAL_DATABASE_FILE));
}
