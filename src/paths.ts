import { join } from "node:path";

/**
 * Where public/ and drizzle/ live. Inside the compiled binary they are embedded under
 * /$bunfs/root (bun build --asset); from a checkout they sit at the repository root.
 */
export const APP_ROOT = import.meta.dir.startsWith("/$bunfs") ? import.meta.dir : join(import.meta.dir, "..");
export const PUBLIC_DIR = join(APP_ROOT, "public");
export const MIGRATIONS_DIR = join(APP_ROOT, "drizzle");
