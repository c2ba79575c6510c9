import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MIN_SESSION_SECRET_LENGTH } from "../config.ts";
import { randomToken } from "./tokens.ts";

export const SESSION_SECRET_FILE = "session-secret";

/**
 * SESSION_SECRET when given; otherwise one generated on first start and kept in DATA_DIR, so
 * sessions survive a restart without the operator having to invent a secret.
 */
export function loadSessionSecret(configured: string | null, dataDir: string): string {
  if (configured) return configured;
  const path = join(dataDir, SESSION_SECRET_FILE);
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    try {
      // `wx`: of two processes starting at once, one writes and the other reads the winner's secret.
      writeFileSync(path, randomToken(48), { flag: "wx", mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
  const secret = readFileSync(path, "utf8").trim();
  if (secret.length < MIN_SESSION_SECRET_LENGTH) {
    throw new Error(`${path} holds a secret shorter than ${MIN_SESSION_SECRET_LENGTH} characters; delete it to have a new one generated`);
  }
  return secret;
}
