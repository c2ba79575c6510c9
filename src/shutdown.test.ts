import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cookieFrom } from "./testing/test-app.ts";
import { freshDatabase, storageMode, type TestDatabase } from "./testing/test-database.ts";

/** Starts `supportdesk` (from source) on a free port and returns once it listens. */
async function startServer(env: Record<string, string>) {
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, "main.ts")], {
    env: { PATH: process.env.PATH ?? "", PORT: "0", HOST: "127.0.0.1", LOG_FORMAT: "json", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const lines: string[] = [];
  const decoder = new TextDecoder();
  const reader = proc.stdout.getReader();
  let buffered = "";
  const listening = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`exited before listening: ${await new Response(proc.stderr).text()}`);
      buffered += decoder.decode(value);
      const parts = buffered.split("\n");
      buffered = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        const entry = JSON.parse(line);
        if (entry.msg === "SupportDesk is listening") return new URL(entry.url);
      }
    }
  })();
  const url = await listening;
  // Keep reading so the child never blocks on a full pipe.
  const rest = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      lines.push(...decoder.decode(value).split("\n").filter(Boolean));
    }
  })();
  return { proc, url, lines, rest };
}

describe(`graceful shutdown (${storageMode})`, () => {
  let database: TestDatabase | undefined;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "sd-shutdown-"));
    if (storageMode === "postgres") database = await freshDatabase();
  });
  afterAll(async () => {
    await database?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("SIGTERM closes sockets with 1001, finishes the request in flight, refuses new ones and exits 0 within 5 s", async () => {
    const server = await startServer({
      DATA_DIR: dataDir,
      ...(database?.url ? { DATABASE_URL: database.url } : {}),
      ADMIN_EMAIL: "ana@example.com",
      ADMIN_PASSWORD: "12345678",
    });
    const origin = server.url.origin;
    const login = await fetch(`${origin}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "email=ana%40example.com&password=12345678",
    });
    const cookie = cookieFrom(login, "sd_session")!;
    expect(cookie).toBeString();

    const ws = new WebSocket(`${origin.replace("http", "ws")}/ws/inbox`, { headers: { cookie, origin } } as unknown as string[]);
    const closed = new Promise<number>((resolve) => (ws.onclose = (e) => resolve(e.code)));
    await new Promise((resolve) => (ws.onmessage = resolve));

    // A request in flight: its body is only half sent when the signal arrives.
    const body = "email=ana%40example.com&password=wrong-password";
    const response = Promise.withResolvers<string>();
    let received = "";
    const socket = await Bun.connect({
      hostname: server.url.hostname,
      port: Number(server.url.port),
      socket: {
        data(_, chunk) {
          received += chunk.toString();
        },
        close() {
          response.resolve(received);
        },
      },
    });
    socket.write(
      `POST /login HTTP/1.1\r\nHost: ${server.url.host}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
        `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`,
    );
    // The server gives no sign that the half-sent body has reached it (no handler runs until it is
    // complete), so this one wait stays: a moment for the bytes to cross the loopback.
    await Bun.sleep(200);

    const signalled = performance.now();
    server.proc.kill("SIGTERM");
    expect(await closed).toBe(1001);
    // Stopped listening: a new connection is refused. (boot.ts stops the listener in the same
    // step that sends the 1001, so nothing needs to be waited for.)
    await expect(fetch(`${origin}/health`)).rejects.toThrow();
    socket.write(body.slice(10));
    expect(await response.promise).toStartWith("HTTP/1.1 401");

    const code = await server.proc.exited;
    const elapsed = performance.now() - signalled;
    await server.rest;
    expect(code).toBe(0);
    expect(elapsed).toBeLessThan(5000);
    expect(server.lines.some((l) => JSON.parse(l).msg === "stopped")).toBe(true);
  }, 30_000);
});
