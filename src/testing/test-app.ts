// An app wired to a fresh test database, driven through app.handle() without a socket.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../app.ts";
import { createAppServices, type AppContext, type ServiceClocks } from "../app-context.ts";
import { wireEmail } from "../mail/email-wiring.ts";
import { parseConfig } from "../config.ts";
import { createLogger, type Logger } from "../log/logger.ts";
import { createMetrics } from "../metrics/prometheus-metrics.ts";
import { createRealtime } from "../realtime/realtime.ts";
import { SocketRegistry } from "../realtime/socket-registry.ts";
import { waitFor } from "./recording-sockets.ts";
import { freshDatabase, type TestDatabase } from "./test-database.ts";
import { statementObservers } from "../tracing/statement-spans.ts";

export const TEST_ORIGIN = "http://localhost:3000";

export interface TestApp {
  app: ReturnType<typeof createApp>;
  ctx: AppContext;
  database: TestDatabase;
  /** Every log line the app wrote. */
  logs: string[];
  request(path: string, init?: RequestInit): Promise<Response>;
  /** Listens on a free port (for sockets) and returns the base URL, e.g. http://127.0.0.1:41234. */
  listen(): string;
  /** A form post as a browser on our own origin sends it. */
  post(path: string, form: Record<string, string>, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/** `clocks`: the sweeper's and the row publisher's (a ManualClock), real when not given. */
export async function createTestApp(overrides: Partial<AppContext> & { env?: Record<string, string>; clocks?: ServiceClocks } = {}): Promise<TestApp> {
  const { env, clocks, ...replaced } = overrides;
  // Its own registry per app: a test process builds many.
  const metrics = createMetrics();
  const database = await freshDatabase({ statements: statementObservers(metrics) });
  const logs: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), "sd-test-"));
  const config = parseConfig({ PUBLIC_URL: TEST_ORIGIN, DATA_DIR: dataDir, ...env });
  const log: Logger = createLogger({ level: config.logLevel, format: config.logFormat }, (line) => logs.push(line));
  const realtime = await createRealtime(config, log, metrics);
  const services = createAppServices(config, realtime, database.db, log, clocks, metrics);
  const ctx: AppContext = {
    config,
    database,
    log,
    metrics,
    sessionSecret: "test-secret-test-secret-test-secret-0123",
    redis: null,
    sockets: new SocketRegistry(),
    ...realtime.services,
    ...services.services,
    ...replaced,
  };
  const email = await wireEmail(ctx);
  const app = createApp(ctx);
  const request = (path: string, init?: RequestInit) => app.handle(new Request(`${TEST_ORIGIN}${path}`, init));
  return {
    app,
    ctx,
    database,
    logs,
    request,
    post: (path, form, headers = {}) =>
      request(path, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: TEST_ORIGIN, ...headers },
        body: new URLSearchParams(form).toString(),
      }),
    listen() {
      app.listen({ port: 0, hostname: "127.0.0.1", reusePort: false });
      realtime.attach(app.server!);
      services.start();
      return `http://127.0.0.1:${app.server!.port}`;
    },
    async close() {
      if (app.server) await app.stop(true).catch(() => {});
      await email.close();
      await services.close();
      await realtime.close();
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The `name=value` part of a Set-Cookie header, ready to send back as a Cookie header. */
export function cookieFrom(response: Response, name: string): string | null {
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(";");
    if (pair?.startsWith(`${name}=`) && pair.length > name.length + 1) return pair;
  }
  return null;
}

/** The password the test agents get (the first admin through /setup, the others inserted). */
export const TEST_PASSWORD = "12345678";

/** Signs in through the login form and returns the session cookie to send back. */
export async function signIn(t: TestApp, email: string, password = TEST_PASSWORD): Promise<string> {
  return cookieFrom(await t.post("/login", { email, password }), "sd_session")!;
}

/**
 * The app writes each request's log line after it handed back the response. A request made now
 * is a barrier: once its own line is there, the lines of the requests before it are too.
 */
export async function requestLinesWritten(t: TestApp): Promise<void> {
  const from = t.logs.length;
  await t.request("/login");
  await waitFor("the log line of a barrier request", () => t.logs.slice(from).some((line) => line.includes("/login")));
}
