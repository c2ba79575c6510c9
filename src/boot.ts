import { createApp, type App } from "./app.ts";
import { wireEmail } from "./mail/email-wiring.ts";
import { createAppServices, type AppContext } from "./app-context.ts";
import { ensureAdminFromConfig } from "./agents/service.ts";
import { loadSessionSecret } from "./auth/session-secret.ts";
import type { Config } from "./config.ts";
import { migrate } from "./db/migrate.ts";
import { openDatabase } from "./db/open-database.ts";
import { ensurePrivateDataDir } from "./db/private-data-dir.ts";
import { ensureDefaultInbox } from "./inboxes/service.ts";
import type { Logger } from "./log/logger.ts";
import { noMetrics } from "./metrics/metrics.ts";
import { serveMetrics } from "./metrics/metrics-server.ts";
import { createRealtime } from "./realtime/realtime.ts";
import { SocketRegistry } from "./realtime/socket-registry.ts";
import { useTraceIdKey } from "./tracing/hashed-ids.ts";
import { flushTracing } from "./tracing/tracing.ts";
import { statementObservers } from "./tracing/statement-spans.ts";

export interface RunningServer {
  app: App;
  url: URL;
  ctx: AppContext;
  /** Graceful: refuse new work, say goodbye to sockets, let requests finish, close the database. */
  stop(): Promise<void>;
}

/** In-flight requests get this long to finish before their connections are cut. */
const DRAIN_TIMEOUT_MS = 3500;

/** Opens the database, migrates and seeds it, and listens: everything `supportdesk` does at start. */
export async function start(config: Config, log: Logger): Promise<RunningServer> {
  // DATA_DIR holds the generated secret and the embedded database: private to this user.
  if (!config.sessionSecret || !config.databaseUrl) ensurePrivateDataDir(config.dataDir, log);
  const sessionSecret = loadSessionSecret(config.sessionSecret, config.dataDir);
  useTraceIdKey(sessionSecret);
  // Before everything it measures: the database's statements, realtime's bus and limits, the services.
  // Without METRICS_TOKEN nobody can read them: nothing is recorded.
  const metrics = config.metricsToken ? (await import("./metrics/prometheus-metrics.ts")).createMetrics() : noMetrics;
  // Without metrics or tracing, statements go to the driver unwrapped: nothing would read what a wrapper counts.
  const database = await openDatabase(config, log, statementObservers(config.metricsToken ? metrics : undefined));
  try {
    await migrate(database);
    await ensureDefaultInbox(database.db);
    if (config.admin) await ensureAdminFromConfig(database.db, config.admin, log);
  } catch (err) {
    await database.close();
    throw err;
  }

  const realtime = await createRealtime(config, log, metrics);
  const services = createAppServices(config, realtime, database.db, log, {}, metrics);
  const ctx: AppContext = {
    config,
    database,
    log,
    metrics,
    sessionSecret,
    redis: config.redisUrl ? (await import("./realtime/redis-realtime.ts")).redisProbe(config.redisUrl, log) : null,
    sockets: new SocketRegistry(),
    ...realtime.services,
    ...services.services,
  };
  const email = await wireEmail(ctx);
  // reusePort off: a second process on a busy port must fail loudly, not share it silently.
  const app = createApp(ctx).listen({ port: config.port, hostname: config.host, reusePort: false });
  const server = app.server!;
  realtime.attach(server);
  services.start();
  const metricsServer = serveMetrics(ctx);
  const url = new URL(`http://${config.host === "0.0.0.0" ? "127.0.0.1" : config.host}:${server.port}`);
  log.info("SupportDesk is listening", {
    url: url.toString(),
    public: config.publicUrl.toString(),
    database: database.kind,
    redis: ctx.redis ? "on" : "off",
    ...(metricsServer ? { metrics: metricsServer.url.toString() } : {}),
  });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      ctx.sockets.closeAll(1001, "server shutting down");
      let timer: Timer | undefined;
      const drained = server.stop(false);
      const deadline = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), DRAIN_TIMEOUT_MS)));
      if ((await Promise.race([drained, deadline])) === "timeout") {
        log.warn("requests still running at shutdown were cut off");
        await server.stop(true);
      }
      clearTimeout(timer);
      await metricsServer?.stop();
      await flushTracing();
      await email.close();
      await services.close();
      await realtime.close();
      await ctx.redis?.close();
      await database.close();
    })());

  return { app, url, ctx, stop };
}
