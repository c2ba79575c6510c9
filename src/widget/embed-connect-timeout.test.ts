// The widget's socket against a server that accepts the connection but never answers the upgrade
// (as when its listen queue overflowed): the widget gives the attempt up after timing.connectTimeoutMs
// and tries again (public/embed/retry.js), and connects as soon as a server answers. The widget's
// modules run in happy-dom (embed-dom.ts) with Bun's real WebSocket and a real Bun.serve.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Server } from "bun";
// @ts-expect-error: a browser module without types
import { timing } from "../../public/embed/retry.js";
import { eventually } from "../testing/eventually.ts";
import { loadEmbed } from "./embed-dom.ts";

/** Bun's own, before loadEmbed puts its fake in the global's place. */
const RealWebSocket = WebSocket;
/** Shorter than the widget's, so that the test is quick: the schedule is the same. */
const CONNECT_TIMEOUT_MS = 1000;
const WIDGET_CONNECT_TIMEOUT_MS = timing.connectTimeoutMs;
let embed: Awaited<ReturnType<typeof loadEmbed>>;
let server: Server<undefined>;
/** While true, upgrades are held unanswered; `held` counts them, `answered` the ones upgraded. */
let stalling = true;
let held = 0;
let answered = 0;

beforeAll(async () => {
  server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(request, srv) {
      if (stalling) {
        held++;
        return new Promise<Response>(() => {}); // the TCP connection stands; the 101 never comes
      }
      answered++;
      return srv.upgrade(request) ? undefined : new Response("expected a websocket", { status: 400 });
    },
    websocket: {
      message(ws, raw) {
        if (JSON.parse(String(raw)).type === "auth") ws.send(JSON.stringify({ type: "ready", conversation: null, lastSeq: 0, agentsOnline: true }));
      },
    },
  });
  embed = await loadEmbed();
  timing.connectTimeoutMs = CONNECT_TIMEOUT_MS;
  // The page's origin is https://desk.example: its sockets go to this server instead.
  const origin = `ws://127.0.0.1:${server.port}`;
  globalThis.WebSocket = class extends RealWebSocket {
    constructor(url: string | URL) {
      super(String(url).replace("wss://desk.example", origin));
    }
  } as typeof WebSocket;
});

afterAll(async () => {
  timing.connectTimeoutMs = WIDGET_CONNECT_TIMEOUT_MS;
  await embed.unload();
  await server.stop(true);
});

test("a socket that does not open in time is closed and tried again; the next answered one connects", async () => {
  const started = Date.now();
  await embed.connection.start();
  // First attempt held, given up after the timeout, then a second one (after at most 2 s: an abnormal close).
  await eventually(() => held >= 2, "a second attempt after the first was given up", CONNECT_TIMEOUT_MS + 4000);
  expect(Date.now() - started).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_MS);
  expect(embed.connection.socketReady).toBe(false);
  stalling = false;
  await eventually(() => embed.connection.socketReady, "the socket of a later attempt is ready", 2 * CONNECT_TIMEOUT_MS + 6000);
  expect(answered).toBeGreaterThanOrEqual(1);
  expect(embed.chat.conn).toBe("connected");
}, 30_000);
