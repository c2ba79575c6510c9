// Who may do what, for every route and socket frame the app has. The routes come from the app
// itself (app.routes) and the frame types from the parsers' own lists, so a new route or frame
// without a row in RULES (authorization-rules.ts) fails this test until someone decides who may use it.
//
// Besides the status, every answer is searched for what is private: a customer's message and email
// (only that customer and the agents), the inbox's identity secret (only admins) and an invite
// token (nobody, once its link was shown), whatever the route.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { agents, invites } from "../db/schema/index.ts";
import { AGENT_FRAME_TYPES } from "../inbox/agent-frames.ts";
import { insertAgent, signedInTeam } from "../testing/fixtures.ts";
import { createTestApp, signIn, TEST_ORIGIN, TEST_PASSWORD, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { readyWidgetSocket, wsUrl } from "../testing/widget-client.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";
import { CLIENT_FRAME_TYPES } from "../widget/model.ts";
import { ACTORS, MAY_SEE_SECRET, RULES, SECRET, type Actor, type Verdict } from "./authorization-rules.ts";

/** Visitor A leaves this address in the away form. */
const A_EMAIL = "visitor.a.private@example.com";

describe(`authorization matrix: every route and frame, every actor (${storageMode})`, () => {
  let t: TestApp;
  let base: string;
  const headers = {} as Record<Actor, Record<string, string>>;
  const visitorTokens = {} as Record<"visitorA" | "visitorB", string>;
  /** Inbox sockets opened while the deactivated and signed-out actors' sessions still lived. */
  const staleInboxSockets = {} as Record<"deactivated" | "signedOut", TestSocket>;
  const sockets: TestSocket[] = [];
  const ids = { conversation: "", inbox: "", spareAgent: "", invite: "", ticket: "" };
  /** What no answer may carry to anyone but `maySee`. */
  const privates: Array<{ what: string; value: string; maySee: ReadonlySet<Actor> }> = [];

  /** What of `privates` this answer gives away to `actor`. */
  const leaks = (actor: Actor, text: string) => privates.filter((p) => !p.maySee.has(actor) && text.includes(p.value)).map((p) => `saw ${p.what}`);

  beforeAll(async () => {
    // The inbound email webhook and /metrics are on, so that their refusal of every actor is what is checked (off, each is a 404).
    t = await createTestApp({
      env: { INBOUND_EMAIL_DOMAIN: "reply.example.test", INBOUND_EMAIL_SECRET: "inbound-secret-".padEnd(40, "x"), METRICS_TOKEN: "metrics-token-".padEnd(32, "m") },
    });
    base = t.listen();
    const { ana, ben, inbox } = await signedInTeam(t, { identitySecret: `identity-secret-${crypto.randomUUID()}` });
    ids.inbox = inbox.id;
    const json = { "content-type": "application/json", origin: TEST_ORIGIN };
    for (const visitor of ["visitorA", "visitorB"] as const) {
      const res = await t.request("/api/v1/widget/session", { method: "POST", headers: json, body: JSON.stringify({ inbox: inbox.publicKey }) });
      visitorTokens[visitor] = ((await res.json()) as { token: string }).token;
    }
    const sent = await t.request("/api/v1/widget/messages", {
      method: "POST",
      headers: { ...json, authorization: `Bearer ${visitorTokens.visitorA}` },
      body: JSON.stringify({ clientId: crypto.randomUUID(), body: SECRET }),
    });
    expect(sent.status).toBe(201);
    await t.request("/api/v1/widget/messages", {
      method: "POST",
      headers: { ...json, authorization: `Bearer ${visitorTokens.visitorB}` },
      body: JSON.stringify({ clientId: crypto.randomUUID(), body: "visitor B says hi" }),
    });
    ids.conversation = ((await t.request(`/api/v1/widget/messages`, { headers: { authorization: `Bearer ${visitorTokens.visitorA}` } }).then((r) => r.json())) as { conversation: { id: string } }).conversation.id;
    const away = await t.request("/api/v1/widget/away", { method: "POST", headers: { ...json, authorization: `Bearer ${visitorTokens.visitorA}` }, body: JSON.stringify({ email: A_EMAIL }) });
    expect(away.status).toBe(200);
    privates.push(
      { what: "visitor A's message", value: SECRET, maySee: MAY_SEE_SECRET },
      { what: "visitor A's email", value: A_EMAIL, maySee: MAY_SEE_SECRET },
      { what: "the inbox's identity secret", value: inbox.identitySecret, maySee: new Set(["admin"]) },
    );

    // Carl will be deactivated and Dana signs out; both had sessions, and inbox sockets, before.
    const hash = await Bun.password.hash(TEST_PASSWORD);
    const [carl] = await t.database.db.insert(agents).values({ name: "Carl", email: "carl@example.com", passwordHash: hash }).returning();
    await t.database.db.insert(agents).values({ name: "Dana", email: "dana@example.com", passwordHash: hash });
    const carlCookie = await signIn(t, "carl@example.com");
    const danaCookie = await signIn(t, "dana@example.com");
    staleInboxSockets.deactivated = await inboxSocket(carlCookie);
    staleInboxSockets.signedOut = await inboxSocket(danaCookie);
    expect((await t.post(`/settings/agents/${carl!.id}/deactivate`, {}, { cookie: ana.cookie })).status).toBe(303);
    expect((await t.post("/logout", {}, { cookie: danaCookie })).status).toBe(303);

    ids.spareAgent = (await insertAgent(t.database.db, "Spare")).id;
    const invited = await (await t.post("/settings/agents/invites", { email: "invitee@example.com", role: "agent" }, { cookie: ana.cookie })).text();
    privates.push({ what: "an invite token", value: /\/invites\/([A-Za-z0-9_-]{43})/.exec(invited)![1]!, maySee: new Set() });
    ids.invite = (await t.database.db.select({ id: invites.id }).from(invites).where(eq(invites.email, "invitee@example.com")))[0]!.id;
    const created = await t.post("/tickets", { conversationId: ids.conversation, subject: "Order", priority: "normal", status: "open", assigneeId: "" }, { cookie: ana.cookie });
    ids.ticket = /\/tickets\/(\d+)/.exec(created.headers.get("location") ?? "")?.[1] ?? "1";

    headers.anonymous = {};
    headers.visitorA = { authorization: `Bearer ${visitorTokens.visitorA}` };
    headers.visitorB = { authorization: `Bearer ${visitorTokens.visitorB}` };
    headers.agent = { cookie: ben.cookie };
    headers.admin = { cookie: ana.cookie };
    headers.deactivated = { cookie: carlCookie };
    headers.signedOut = { cookie: danaCookie };
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await t.close();
  });

  async function inboxSocket(cookie: string): Promise<TestSocket> {
    const socket = await openSocket(wsUrl(base, "/ws/inbox"), { cookie, origin: TEST_ORIGIN });
    sockets.push(socket);
    await socket.waitFor((f) => f.includes('id="live-status"'));
    return socket;
  }

  /** A concrete path for a route pattern, with ids that exist. */
  function pathOf(pattern: string): string {
    const id = pattern.startsWith("/inbox/c/")
      ? ids.conversation
      : pattern.startsWith("/settings/agents/invites/")
        ? ids.invite
        : pattern.startsWith("/settings/agents/")
          ? ids.spareAgent
          : ids.inbox;
    return pattern.replace(":id", id).replace(":number", ids.ticket).replace(":token", "not-a-real-invite-token").replace("/*", "/messages");
  }

  /** What each route gets in its body: enough to pass validation where it can, never a real change of password. */
  function bodyOf(method: string, pattern: string, actor: Actor): { body?: string; type?: string } {
    if (method === "GET" || method === "OPTIONS") return {};
    if (pattern.startsWith("/api/v1/widget/")) {
      return { type: "application/json", body: JSON.stringify({ clientId: crypto.randomUUID(), body: "a question", email: "kim@example.com", inbox: "pk_unknown", rating: 4 }) };
    }
    const form: Record<string, string> = pattern === "/login" ? { email: `${actor}@nowhere.example`, password: "not the password" } : pattern === "/settings/profile/password" ? { current: "wrong", password: "whatever-long" } : {};
    return { type: "application/x-www-form-urlencoded", body: new URLSearchParams(form).toString() };
  }

  function verdictOf(res: Response): Verdict | "error" {
    const location = res.headers.get("location") ?? "";
    if (res.status === 303 && location.startsWith("/login")) return "login";
    if (res.status === 401 || res.status === 403) return res.status;
    return res.status >= 500 ? "error" : "allow";
  }

  test("the agents' socket: only a live agent session connects and follows a conversation", async () => {
    const wrong: string[] = [];
    // Visitor A's widget: an agent's typing frame shows there.
    const { ws: customer } = await readyWidgetSocket(base, visitorTokens.visitorA, TEST_ORIGIN, sockets);
    for (const actor of ACTORS) {
      for (const frame of AGENT_FRAME_TYPES) {
        const expected = RULES[`WS /ws/inbox ${frame}`]![actor];
        const socket =
          actor === "deactivated" || actor === "signedOut"
            ? staleInboxSockets[actor]
            : await openSocket(wsUrl(base, "/ws/inbox"), { origin: TEST_ORIGIN, ...headers[actor] }).then((s) => (sockets.push(s), s), () => null);
        let got: Verdict = "login";
        if (socket) {
          const from = socket.frames.length;
          const customerFrom = customer.frames.length;
          // The frame took effect (the replay arrived, the customer sees the agent typing, the
          // inbox list's row push arrives), or the socket was closed.
          let effect: Promise<unknown>;
          if (frame === "follow") {
            socket.send({ type: "follow", page: "inbox" });
            // Frames are handled in order: once the view's replay is here, the follow was handled.
            socket.send({ type: "view", conversation: ids.conversation, after: 0 });
            effect = socket.waitFor((f) => f.includes(SECRET), 5000, from).then(() => {
              const rowFrom = socket.frames.length;
              customer.send({ type: "send", clientId: crypto.randomUUID(), body: "one more question" });
              return socket.waitFor((f) => f.includes(`conv-row-${ids.conversation}`), 5000, rowFrom);
            });
          } else {
            socket.send(frame === "view" ? { type: "view", conversation: ids.conversation, after: 0 } : { type: "typing", conversation: ids.conversation, on: frame === "typing" });
            effect = frame === "view" ? socket.waitFor((f) => f.includes(SECRET), 5000, from) : customer.waitFor((f) => f.includes('"type":"typing"'), 5000, customerFrom);
          }
          const outcome = await Promise.race([effect.then(() => "taken" as const, () => "nothing" as const), socket.closed.then(() => "closed" as const)]);
          if (outcome === "taken") got = "allow";
          for (const leak of leaks(actor, socket.frames.join("\n"))) wrong.push(`inbox ${frame} as ${actor}: ${leak}`);
        }
        if ((expected === "allow") !== (got === "allow")) wrong.push(`WS /ws/inbox ${frame} as ${actor}: expected ${expected}, got ${got}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  test("the widget's socket: only a visitor token is answered, and only with that visitor's own conversation", async () => {
    const wrong: string[] = [];
    const frameOf = (type: string) =>
      ({
        auth: { type: "auth", token: "" },
        send: { type: "send", clientId: crypto.randomUUID(), body: "another question" },
        typing: { type: "typing", on: true },
        read: { type: "read", seq: 1 },
        resume: { type: "resume", lastSeq: 0 },
        handoff: { type: "handoff" },
        rate: { type: "rate", rating: 4 },
      })[type]!;
    for (const actor of ACTORS) {
      for (const type of CLIENT_FRAME_TYPES) {
        const expected = RULES[`WS /ws/widget ${type}`]![actor];
        const visitor = actor === "visitorA" || actor === "visitorB" ? visitorTokens[actor] : null;
        let socket: TestSocket;
        // Visitors send their frames on an authenticated socket; everyone else (and auth itself) on a fresh one.
        if (visitor && type !== "auth") socket = (await readyWidgetSocket(base, visitor, TEST_ORIGIN, sockets)).ws;
        else socket = await openSocket(wsUrl(base, "/ws/widget"), { origin: TEST_ORIGIN, ...headers[actor] }).then((s) => (sockets.push(s), s));
        const from = socket.json().length;
        // Not a visitor: the actor's only credential goes in the auth frame (a cookie's value, or nothing).
        socket.send(type === "auth" ? { type: "auth", token: visitor ?? headers[actor].cookie?.split("=")[1] ?? "none" } : frameOf(type));
        // A resume after it is a barrier: its replay comes after any answer to the frame.
        socket.send({ type: "resume", lastSeq: 0 });
        const answer = await Promise.race([
          socket.waitFor((f) => /"type":"(message|ready|error)"/.test(f), 3000, from).catch(() => null),
          socket.closed.then(() => null),
        ]);
        const refused = socket.json().slice(from).some((f) => f.type === "error" && (f.code === "unauthorized" || f.code === "bad_frame"));
        const got: Verdict = answer && !refused ? "allow" : 401;
        if (got !== expected) wrong.push(`WS /ws/widget ${type} as ${actor}: expected ${expected}, got ${got}`);
        for (const leak of leaks(actor, socket.frames.join("\n"))) wrong.push(`widget ${type} as ${actor}: ${leak}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);
  test("every HTTP route has a rule, and every actor gets what its rule says", async () => {
    const routes = t.app.routes.filter((r) => r.method !== "WS").map((r) => `${r.method} ${r.path}`);
    // The widget's socket upgrades in a plain GET route (src/widget/socket.ts), the agents' in Elysia's .ws().
    const sockets = [...t.app.routes.filter((r) => r.method === "WS").map((r) => r.path), ...(routes.includes("GET /ws/widget") ? ["/ws/widget"] : [])];
    const frames = [...AGENT_FRAME_TYPES.map((f) => `WS /ws/inbox ${f}`), ...CLIENT_FRAME_TYPES.map((f) => `WS /ws/widget ${f}`)];
    expect(sockets.sort()).toEqual(["/ws/inbox", "/ws/widget"]);
    // A route or frame that nobody decided about fails here, by name.
    expect([...routes, ...frames].filter((key) => !RULES[key])).toEqual([]);
    expect(Object.keys(RULES).filter((key) => !routes.includes(key) && !frames.includes(key))).toEqual([]);

    const wrong: string[] = [];
    // Signing out last: it ends the sessions the other rows use (this test runs after the sockets' for that reason too).
    const ordered = routes.sort((a, b) => Number(a === "POST /logout") - Number(b === "POST /logout"));
    for (const key of ordered) {
      const [method, pattern] = key.split(" ") as [string, string];
      for (const actor of ACTORS) {
        const { body, type } = bodyOf(method, pattern, actor);
        const res = await t.request(pathOf(pattern), { method, headers: { origin: TEST_ORIGIN, ...(type ? { "content-type": type } : {}), ...headers[actor] }, body });
        const text = await res.text();
        const got = verdictOf(res);
        if (got !== RULES[key]![actor]) wrong.push(`${key} as ${actor}: expected ${RULES[key]![actor]}, got ${got} (${res.status})`);
        for (const leak of leaks(actor, text)) wrong.push(`${key} as ${actor}: ${leak}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 300_000);
});
