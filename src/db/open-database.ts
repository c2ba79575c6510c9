import { join } from "node:path";
import type { Config } from "../config.ts";
import type { Database } from "./database.ts";
import { lockDataDir } from "./data-dir-lock.ts";
import { createPGlite, pgliteDatabase } from "./pglite.ts";
import { postgresDatabase } from "./postgres.ts";

/** The database the config asks for: PostgreSQL when DATABASE_URL is set, else PGlite in DATA_DIR. */
export async function openDatabase(config: Pick<Config, "databaseUrl" | "dataDir">): Promise<Database> {
  if (config.databaseUrl) return postgresDatabase(config.databaseUrl);
  // Lock before PGlite touches the files: a second process must not even open them.
  const lock = lockDataDir(config.dataDir);
  try {
    const client = await createPGlite({ dataDir: join(config.dataDir, "pg") });
    return pgliteDatabase(client, () => lock.release());
  } catch (err) {
    lock.release();
    throw err;
  }
}
