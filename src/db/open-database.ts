import { join } from "node:path";
import type { Config } from "../config.ts";
import type { Database } from "./database.ts";
import { lockDataDir } from "./data-dir-lock.ts";
import { builtInInitialDatabase } from "./initial-database.ts";
import { pgliteDatabase } from "./pglite.ts";
import { openPGliteDataDir } from "./pglite-data-dir.ts";
import { ensurePrivateDataDir, tightenTree } from "./private-data-dir.ts";
import { silentLogger, type Logger } from "../log/logger.ts";
import { observingPglite, type StatementObserver } from "./statement-observer.ts";

/**
 * The database the config asks for: PostgreSQL when DATABASE_URL is set, else PGlite in DATA_DIR,
 * which is kept private to this user (see private-data-dir.ts): at open, and again at close for
 * the files PGlite wrote meanwhile. A new data dir starts from `initialDatabase` (the one built into
 * the binary) when there is one.
 */
export async function openDatabase(
  config: Pick<Config, "databaseUrl" | "dataDir">,
  log: Logger = silentLogger,
  statements?: StatementObserver,
  initialDatabase: Blob | null = builtInInitialDatabase(),
): Promise<Database> {
  if (config.databaseUrl) {
    // Loaded in this mode only: the embedded mode's start need not parse the driver.
    const { postgresDatabase } = await import("./postgres.ts");
    return postgresDatabase(config.databaseUrl, { statements });
  }
  ensurePrivateDataDir(config.dataDir, log);
  // Lock before PGlite touches the files: a second process must not even open them.
  const lock = lockDataDir(config.dataDir);
  try {
    const client = await openPGliteDataDir(join(config.dataDir, "pg"), initialDatabase, log);
    tightenTree(config.dataDir);
    return pgliteDatabase(statements ? observingPglite(client, statements) : client, () => {
      tightenTree(config.dataDir);
      lock.release();
    });
  } catch (err) {
    lock.release();
    throw err;
  }
}
