// The entry point of `supportdesk` (compiled) and `bun run src/main.ts`.
import { start } from "./boot.ts";
import { parseArgs } from "./cli.ts";
import { resetPasswordCommand } from "./auth/reset-password-command.ts";
import { ConfigError, parseConfig } from "./config.ts";
import { DataDirLockedError } from "./db/data-dir-lock.ts";
import { createLogger, errorMessage } from "./log/logger.ts";
import { installGcSignal } from "./diagnostics/gc-signal.ts";
import { startTracing, type Tracing } from "./tracing/tracing.ts";

const command = parseArgs(process.argv.slice(2));
if (command.kind === "print") {
  console.log(command.text);
  process.exit(0);
}
if (command.kind === "usage-error") {
  console.error(command.text);
  process.exit(2);
}

/** Problems an operator fixes from one line of text; anything else also gets its stack. */
function exitWith(err: unknown): never {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) console.error(`supportdesk: ${err.message}`);
  else console.error("supportdesk: could not start:", err);
  process.exit(1);
}

if (command.kind === "reset-password") {
  try {
    process.exit(await resetPasswordCommand(parseConfig(process.env), command.email, { out: console.log, err: console.error }));
  } catch (err) {
    exitWith(err);
  }
}

let config;
try {
  config = parseConfig(process.env);
} catch (err) {
  exitWith(err);
}
const log = createLogger({ level: config.logLevel, format: config.logFormat });

let server;
let tracing: Tracing | undefined;
try {
  // Before anything else, so the boot's own work is traced; a no-op without an OTLP endpoint.
  tracing = await startTracing(config.tracing, log);
  server = await start(config, log);
} catch (err) {
  exitWith(err);
}
// The compiled binary starts with the JIT held back (scripts/build.ts: --compile-jit-policy) so that
// run-once boot code is not compiled; from here on, the code that turns hot is worth compiling.
Bun.unsafe.setJITPolicy(1);

/** A graceful stop must end within 5 s even if something hangs: then the process exits anyway. */
const HARD_EXIT_MS = 4800;

let shuttingDown = false;
function shutdown(signal: string) {
  if (shuttingDown) return;
  shuttingDown = true;
  log.info("shutting down", { signal });
  setTimeout(() => {
    log.warn("shutdown took too long; exiting");
    process.exit(0);
  }, HARD_EXIT_MS).unref();
  server!
    .stop()
    // The spans of the last requests go out before the process does (the hard exit above still bounds it).
    .then(() => tracing?.shutdown())
    .then(
      () => {
        log.info("stopped");
        process.exit(0);
      },
      (err: unknown) => {
        log.error("error during shutdown", { error: errorMessage(err) });
        process.exit(1);
      },
    );
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
installGcSignal(process.env);
