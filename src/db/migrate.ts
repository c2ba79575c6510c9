import { MIGRATIONS_DIR } from "../paths.ts";
import type { Database } from "./database.ts";

/** Applies drizzle/ (embedded in the binary) at boot. */
export function migrate(database: Database): Promise<void> {
  return database.migrate(MIGRATIONS_DIR);
}
