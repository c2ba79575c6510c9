// The widget socket's tests share this: a listening app (on Redis too when TEST_REDIS_URL is set)
// with a bot-mode inbox that allows https://shop.example and an immediate-handoff inbox, an admin,
// and customers with authenticated sockets. Call it at the top of a describe: it registers its
// own beforeAll and afterAll.
import { afterAll, beforeAll, expect } from "bun:test";
import { inboxes } from "../db/schema/index.ts";
import { DEFAULT_RATE_LIMITS } from "../limits/rate-limits.ts";
import { memoryRateLimits } from "../testing/limits.ts";
import { ManualClock } from "../testing/manual-clock.ts";
import { signedInAdmin } from "../testing/fixtures.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { readyWidgetSocket, requestSession, wsUrl } from "../testing/widget-client.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";

const redisUrl = process.env.TEST_REDIS_URL?.trim() || null;
/** The storage mode and bus the tests run on, for their names. */
export const busMode = redisUrl ? "redis bus" : "in-process bus";

export function widgetSocketFixture() {
  let t: TestApp;
  let base = "";
  let cookie = "";
  let botKey = "";
  let immediateKey = "";
  const open: TestSocket[] = [];
  /** The delivery sweeper's: it ticks only when a test advances it. */
  const sweeperClock = new ManualClock();

  beforeAll(async () => {
    // Tight message limits so the limit tests are quick; everything else stays under them.
    t = await createTestApp({
      env: redisUrl ? { REDIS_URL: redisUrl, SESSION_SECRET: "widget-socket-test-secret-0123456789abcdef" } : {},
      limits: memoryRateLimits({
        ...DEFAULT_RATE_LIMITS,
        message: { perContact: { points: 8, seconds: 60 }, perIp: { points: 1000, seconds: 60 } },
        conversation: { perContact: { points: 2, seconds: 3600 }, perIp: { points: 1000, seconds: 3600 } },
      }),
      clocks: { sweeper: sweeperClock },
    });
    base = t.listen();
    cookie = await signedInAdmin(t);
    const [bot] = await t.database.db.insert(inboxes).values({ name: "Shop", publicKey: "pk_socket_bot", identitySecret: "s", allowedOrigins: ["https://shop.example"] }).returning();
    const [immediate] = await t.database.db.insert(inboxes).values({ name: "Help", publicKey: "pk_socket_now", identitySecret: "s", handoffMode: "immediate" }).returning();
    botKey = bot!.publicKey;
    immediateKey = immediate!.publicKey;
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await t.close();
  });

  async function session(inbox = botKey) {
    const res = await requestSession(base, { inbox });
    expect(res.status).toBe(200);
    return (await res.json()) as { token: string; contact: { id: string } };
  }

  const fixture = {
    get t() {
      return t;
    },
    get base() {
      return base;
    },
    /** The admin's (Ana's) session cookie. */
    get cookie() {
      return cookie;
    },
    get botKey() {
      return botKey;
    },
    get immediateKey() {
      return immediateKey;
    },
    open,
    sweeperClock,
    session,
    wsUrl: (path: string) => wsUrl(base, path),

    /** A customer's socket, authenticated and ready. */
    async customer(inbox = botKey, origin = "https://shop.example") {
      const { token, contact } = await session(inbox);
      const { ws, ready } = await readyWidgetSocket(base, token, origin, open);
      return { ws, token, contactId: contact.id, ready };
    },

    async agentSocket() {
      const ws = await openSocket(wsUrl(base, "/ws/inbox"), { cookie, origin: TEST_ORIGIN });
      open.push(ws);
      await ws.waitFor((f) => f.includes("live-status"));
      return ws;
    },

    /**
     * The agent's socket follows the conversation. `view` has no answer, but the socket handles its
     * frames in order: a typing signal sent after it reaches the customer only once the view is done.
     */
    async view(agent: TestSocket, c: { ws: TestSocket }, conversationId: string) {
      agent.send({ type: "view", conversation: conversationId });
      const from = c.ws.frames.length;
      agent.send({ type: "typing", conversation: conversationId, on: false });
      await c.ws.waitFor((f) => f.includes('"type":"typing"'), 5000, from);
    },

    /**
     * A barrier on a customer's socket: frames are handled one at a time, in order, and a second
     * `auth` is answered with an error; once it arrives, everything the server sent for the frames
     * before it (and every push that went out before them) has arrived too.
     */
    async settled(ws: TestSocket) {
      const from = ws.frames.length;
      ws.send({ type: "auth", token: "barrier" });
      await ws.waitFor((f) => f.includes("Already authenticated."), 5000, from);
    },

    /** The customer's first message, and the conversation it started. */
    async start(c: { ws: TestSocket }, body = "Hello") {
      c.ws.send({ type: "send", clientId: crypto.randomUUID(), body });
      const status = await c.ws.waitForJson((f) => f.type === "status" && typeof f.conversation === "string");
      return status.conversation as string;
    },
  };
  return fixture;
}

export type WidgetSocketFixture = ReturnType<typeof widgetSocketFixture>;
export type Customer = Awaited<ReturnType<WidgetSocketFixture["customer"]>>;
