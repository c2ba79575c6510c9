import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { contacts, conversations, inboxes } from "../db/schema/index.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { signedInAdmin } from "../testing/fixtures.ts";
import { storageMode } from "../testing/test-database.ts";
import { requestSession, wsUrl } from "../testing/widget-client.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";

describe(`nobody online: away and presence (${storageMode})`, () => {
  let t: TestApp;
  let base: string;
  let cookie: string;
  const open: TestSocket[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    base = t.listen();
    cookie = await signedInAdmin(t);
    await t.database.db.insert(inboxes).values({ name: "Shop", publicKey: "pk_away", identitySecret: "s" });
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await t.close();
  });

  async function visitor() {
    const res = await requestSession(base, { inbox: "pk_away" });
    return (await res.json()) as { token: string; contact: { id: string }; inbox: { agentsOnline: boolean } };
  }
  const call = (path: string, token: string, body: unknown) =>
    fetch(`${base}/api/v1/widget/${path}`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify(body) });

  test("leaving an email while away puts it on the contact and the conversation in the queue, marked offline", async () => {
    const v = await visitor();
    expect(v.inbox.agentsOnline).toBe(false);
    // In bot mode the conversation starts with the bot...
    expect((await call("messages", v.token, { clientId: "a-1", body: "Is anyone there?" })).status).toBe(201);
    const res = await call("away", v.token, { email: " kim@example.com " });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { conversation: { status: string }; contact: { email: string } };
    expect(body.conversation.status).toBe("queued");
    expect(body.contact.email).toBe("kim@example.com");
    const [contact] = await t.database.db.select().from(contacts).where(eq(contacts.id, v.contact.id));
    expect(contact!.email).toBe("kim@example.com");
    const [conversation] = await t.database.db.select().from(conversations).where(eq(conversations.contactId, v.contact.id));
    expect(conversation).toMatchObject({ status: "queued", offline: true });
  });

  test("an email before any message starts a queued offline conversation", async () => {
    const v = await visitor();
    expect((await call("away", v.token, { email: "lee@example.com" })).status).toBe(200);
    const [conversation] = await t.database.db.select().from(conversations).where(eq(conversations.contactId, v.contact.id));
    expect(conversation).toMatchObject({ status: "queued", offline: true });
  });

  test("something that is not an email address answers 400 bad_email and stores nothing", async () => {
    const v = await visitor();
    for (const email of ["", "kim", "kim@", "kim @example.com", "x".repeat(400) + "@example.com"]) {
      const res = await call("away", v.token, { email });
      expect(res.status).toBe(400);
    }
    const res = await call("away", v.token, { email: "not an email" });
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("bad_email");
    expect(await t.database.db.select().from(contacts).where(eq(contacts.id, v.contact.id))).toEqual([]);
  });

  test("away needs the visitor's token", async () => {
    expect((await call("away", "forged", { email: "kim@example.com" })).status).toBe(401);
  });

  test("open widgets hear when the first agent comes online and when the last one leaves", async () => {
    const v = await visitor();
    const widget = await openSocket(wsUrl(base, "/ws/widget"), { origin: TEST_ORIGIN });
    open.push(widget);
    widget.send({ type: "auth", token: v.token });
    expect((await widget.waitForJson((f) => f.type === "ready")).agentsOnline).toBe(false);

    const agent = await openSocket(wsUrl(base, "/ws/inbox"), { cookie, origin: TEST_ORIGIN });
    expect((await widget.waitForJson((f) => f.type === "presence")).agentsOnline).toBe(true);
    agent.close();
    expect((await widget.waitForJson((f) => f.type === "presence" && f.agentsOnline === false)).agentsOnline).toBe(false);
  });
});
