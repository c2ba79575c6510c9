// Where a request comes from counts too. An agent's cookie sent by another site's page (a forged
// form post) changes nothing, on any route; a visitor's token used from a website the inbox does
// not allow reads and writes nothing, over HTTP or the socket.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { signedInTeam, type InboxRow } from "../testing/fixtures.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { wsUrl } from "../testing/widget-client.ts";
import { openSocket } from "../testing/ws-client.ts";
import { SECRET } from "./authorization-rules.ts";

const SHOP = "https://shop.example";
const EVIL = "https://evil.example";

describe(`authorization by origin (${storageMode})`, () => {
  let t: TestApp;
  let admin: string;
  let inbox: InboxRow;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp();
    const team = await signedInTeam(t, { allowedOrigins: [SHOP] });
    admin = team.ana.cookie;
    inbox = team.inbox;
    const json = { "content-type": "application/json", origin: SHOP };
    const session = await t.request("/api/v1/widget/session", { method: "POST", headers: json, body: JSON.stringify({ inbox: inbox.publicKey }) });
    token = ((await session.json()) as { token: string }).token;
    const sent = await t.request("/api/v1/widget/messages", {
      method: "POST",
      headers: { ...json, authorization: `Bearer ${token}` },
      body: JSON.stringify({ clientId: crypto.randomUUID(), body: SECRET }),
    });
    expect(sent.status).toBe(201);
  });
  afterAll(() => t.close());

  test("every form post outside the JSON API, made by another site's page with an admin's cookie, is refused with 403", async () => {
    const posts = t.app.routes.filter((r) => r.method === "POST" && !r.path.startsWith("/api/"));
    expect(posts.length).toBeGreaterThan(25);
    const wrong: string[] = [];
    for (const route of posts) {
      const path = route.path.replace(/:\w+/g, "x");
      for (const site of [{ origin: EVIL }, { "sec-fetch-site": "cross-site" }] as Record<string, string>[]) {
        const res = await t.request(path, { method: "POST", headers: { cookie: admin, "content-type": "application/x-www-form-urlencoded", ...site }, body: "" });
        if (res.status !== 403) wrong.push(`POST ${route.path} from ${JSON.stringify(site)}: ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test("the visitor's own token, used from a website the inbox does not allow, is refused on every widget route", async () => {
    // A file's signed link takes no token: its signature is the authority (widget-files.test.ts).
    const SIGNED_LINK = "/api/v1/widget/files/:id";
    const widgetRoutes = t.app.routes.filter((r) => r.path.startsWith("/api/v1/widget/") && r.method !== "OPTIONS" && r.path !== SIGNED_LINK);
    expect(widgetRoutes.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      "GET /api/v1/widget/files/:id/link",
      "GET /api/v1/widget/messages",
      "POST /api/v1/widget/away",
      "POST /api/v1/widget/email-prompt",
      "POST /api/v1/widget/files",
      "POST /api/v1/widget/handoff",
      "POST /api/v1/widget/messages",
      "POST /api/v1/widget/rating",
      "POST /api/v1/widget/session",
      "POST /api/v1/widget/transcript",
    ]);
    for (const route of widgetRoutes) {
      const body = route.method === "POST" ? JSON.stringify({ inbox: inbox.publicKey, token, clientId: crypto.randomUUID(), body: "from evil", email: "evil@example.com", rating: 1 }) : undefined;
      const res = await t.request(route.path, { method: route.method, headers: { origin: EVIL, authorization: `Bearer ${token}`, "content-type": "application/json" }, body });
      const text = await res.text();
      expect(res.status, `${route.method} ${route.path}`).toBe(403);
      expect(JSON.parse(text)).toMatchObject({ error: { code: "origin_not_allowed" } });
      expect(text).not.toContain(SECRET);
    }
  });

  test("and on the socket: its auth is refused and nothing of the conversation is sent", async () => {
    const socket = await openSocket(wsUrl(t.listen(), "/ws/widget"), { origin: EVIL });
    socket.send({ type: "auth", token });
    expect(await socket.waitForJson((f) => f.type === "error")).toMatchObject({ code: "origin_not_allowed" });
    expect((await socket.closed).code).toBe(1008);
    expect(socket.frames.join("\n")).not.toContain(SECRET);
  });
});
