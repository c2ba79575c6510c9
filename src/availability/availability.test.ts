import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { silentLogger } from "../log/logger.ts";
import { redisPresence } from "../realtime/redis-presence.ts";
import { signedInTeam, type InboxRow, type TeamMember } from "../testing/fixtures.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { testRedisUrl } from "../testing/two-instances.ts";
import { readyWidgetSocket, requestSession, wsUrl } from "../testing/widget-client.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";

describe(`availability: Online / Away (${storageMode}${testRedisUrl ? ", Redis presence" : ""})`, () => {
  let t: TestApp;
  let base: string;
  let ben: TeamMember;
  let ana: TeamMember;
  let inbox: InboxRow;
  const open: TestSocket[] = [];

  beforeAll(async () => {
    t = await createTestApp({ env: testRedisUrl ? { REDIS_URL: testRedisUrl, SESSION_SECRET: "availability-secret-0123456789abcdef" } : {} });
    base = t.listen();
    ({ ana, ben, inbox } = await signedInTeam(t));
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await t.close();
  });

  const choose = (who: TeamMember, availability: "online" | "away") =>
    t.post("/settings/profile/availability", { availability }, { cookie: who.cookie, "hx-request": "true" });
  async function sessionSaysOnline(): Promise<boolean> {
    const res = await requestSession(base, { inbox: inbox.publicKey });
    return ((await res.json()) as { inbox: { agentsOnline: boolean } }).inbox.agentsOnline;
  }

  test("the header offers Availability with Online and Away, Online at first", async () => {
    const page = await (await t.request("/settings/profile", { headers: { cookie: ben.cookie } })).text();
    expect(page).toContain('aria-label="Availability"');
    expect(page).toMatch(/<option value="online" selected>Online<\/option>/);
    expect(page).toContain(">Away</option>");
  });

  test("an agent with a socket who sets Away makes the widget say nobody is online; Online restores it", async () => {
    const { token } = (await (await requestSession(base, { inbox: inbox.publicKey })).json()) as { token: string };
    const { ws: widget, ready } = await readyWidgetSocket(base, token, TEST_ORIGIN, open);
    expect(ready.agentsOnline).toBe(false);
    open.push(await openSocket(wsUrl(base, "/ws/inbox"), { cookie: ben.cookie, origin: TEST_ORIGIN }));
    await widget.waitForJson((f) => f.type === "presence" && f.agentsOnline === true);

    const from = widget.frames.length;
    const res = await choose(ben, "away");
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<option value="away" selected>Away<\/option>/);
    // At once, not after the reconnect debounce: the wait is shorter than it.
    await widget.waitForJson((f) => f.type === "presence" && f.agentsOnline === false, 1000, from);
    expect(await sessionSaysOnline()).toBe(false);
    const page = await (await t.request("/inbox", { headers: { cookie: ben.cookie } })).text();
    expect(page).toMatch(/<option value="away" selected>Away<\/option>/);

    await choose(ben, "online");
    await widget.waitForJson((f) => f.type === "presence" && f.agentsOnline === true, 1000, widget.frames.length);
    expect(await sessionSaysOnline()).toBe(true);
  });

  test("Online without a socket is not online", async () => {
    await choose(ana, "online");
    const { token } = (await (await requestSession(base, { inbox: inbox.publicKey })).json()) as { token: string };
    for (const s of open.splice(0)) s.close();
    const { ws: widget } = await readyWidgetSocket(base, token, TEST_ORIGIN, open);
    await widget.waitForJson((f) => f.type === "presence" && f.agentsOnline === false, 5000);
    expect(await sessionSaysOnline()).toBe(false);
  });

  test.if(testRedisUrl !== null)("an agent connected on another instance counts only while Online", async () => {
    const other = redisPresence(testRedisUrl!, silentLogger, { instanceId: `other-${Date.now()}` });
    try {
      other.connected(ana.id);
      await expectEventually(() => sessionSaysOnline(), true);
      await choose(ana, "away");
      expect(await sessionSaysOnline()).toBe(false);
      await choose(ana, "online");
      expect(await sessionSaysOnline()).toBe(true);
    } finally {
      await other.close();
    }
  });
});

async function expectEventually(read: () => Promise<boolean>, expected: boolean): Promise<void> {
  const deadline = Date.now() + 3000;
  while ((await read()) !== expected && Date.now() < deadline) await Bun.sleep(20);
  expect(await read()).toBe(expected);
}
