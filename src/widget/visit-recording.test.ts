import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { contacts, conversations, inboxes } from "../db/schema/index.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { signedInAdmin } from "../testing/fixtures.ts";
import { storageMode } from "../testing/test-database.ts";
import { requestSession, wsUrl } from "../testing/widget-client.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";
import { visitWriter } from "./visit-writer.ts";

const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36";
const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const SHOP = "https://shop.example";

describe(`the page a customer is on and their browser, for the agent (${storageMode})`, () => {
  let t: TestApp;
  let base: string;
  let cookie: string;
  const open: TestSocket[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    base = t.listen();
    cookie = await signedInAdmin(t);
    await t.database.db.insert(inboxes).values([
      { name: "Shop", publicKey: "pk_visit", identitySecret: "s" },
      { name: "Search", publicKey: "pk_visit_query", identitySecret: "s", keepPageQuery: true },
    ]);
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await t.close();
  });

  const contactRow = async (id: string) => (await t.database.db.select().from(contacts).where(eq(contacts.id, id)))[0];
  const session = async (body: Record<string, unknown>, userAgent: string) => {
    const res = await fetch(`${base}/api/v1/widget/session`, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": userAgent, origin: SHOP },
      body: JSON.stringify({ inbox: "pk_visit", ...body }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { token: string; contact: { id: string } };
  };

  /** A new visitor of `inbox` who names `page` in the socket's auth and writes once: their stored contact row. */
  async function firstMessageFrom(inbox: string, page: string, clientId: string) {
    const v = await session({ inbox }, CHROME);
    expect(await contactRow(v.contact.id)).toBeUndefined(); // no row for a page view
    const ws = await openSocket(wsUrl(base, "/ws/widget"), { origin: SHOP, "user-agent": CHROME });
    open.push(ws);
    ws.send({ type: "auth", token: v.token, page });
    await ws.waitForJson((f) => f.type === "ready");
    ws.send({ type: "send", clientId, body: "Which plan fits a team of five?" });
    await ws.waitForJson((f) => f.type === "ack");
    // Recorded just after the ack, while the send is still the frame in hand: the socket handles
    // frames in order, so once a second `auth` is refused the send's work is done.
    ws.send({ type: "auth", token: v.token });
    await ws.waitForJson((f) => f.type === "error" && f.message === "Already authenticated.");
    return (await contactRow(v.contact.id))!;
  }

  test("a new visitor's first message records the page the socket named, without its query and fragment, and the browser it came from", async () => {
    const row = await firstMessageFrom("pk_visit", `${SHOP}/pricing?token=s3cret&plan=pro#x`, "visit-1");
    expect(row.lastPageUrl).toBe(`${SHOP}/pricing`);
    expect(row.browser).toBe("Chrome 142 on Linux");

    // The agent sees both beside the conversation, the page as a link that opens apart from the inbox.
    const [conversation] = await t.database.db.select().from(conversations).where(eq(conversations.contactId, row.id));
    const pane = await (await t.request(`/inbox/c/${conversation!.id}`, { headers: { cookie } })).text();
    expect(pane).toContain(`<a href="${SHOP}/pricing" target="_blank" rel="noopener noreferrer nofollow">${SHOP}/pricing</a>`);
    expect(pane).not.toContain("s3cret");
    expect(pane).toContain("Chrome 142 on Linux");
  });

  test("an inbox that keeps page query strings stores the query the socket named, never the fragment", async () => {
    const row = await firstMessageFrom("pk_visit_query", `${SHOP}/search?q=blue+shoes&token=t0k#access_token=abc`, "visit-query-1");
    expect(row.lastPageUrl).toBe(`${SHOP}/search?q=blue+shoes&token=t0k`);
  });

  test("a returning visitor's session updates both; what is not a web page is ignored", async () => {
    const first = await session({}, CHROME);
    const ws = await openSocket(wsUrl(base, "/ws/widget"), { origin: SHOP, "user-agent": CHROME });
    open.push(ws);
    ws.send({ type: "auth", token: first.token });
    await ws.waitForJson((f) => f.type === "ready");
    ws.send({ type: "send", clientId: "visit-2", body: "Hello" });
    await ws.waitForJson((f) => f.type === "ack");

    await session({ token: first.token, page: `${SHOP}/checkout` }, FIREFOX);
    let row = (await contactRow(first.contact.id))!;
    expect(row.lastPageUrl).toBe(`${SHOP}/checkout`);
    expect(row.browser).toBe("Firefox 133 on Windows 10");

    await session({ token: first.token, page: "javascript:alert(document.cookie)" }, "curl/8.0");
    row = (await contactRow(first.contact.id))!;
    expect(row.lastPageUrl).toBe(`${SHOP}/checkout`);
    expect(row.browser).toBe("Firefox 133 on Windows 10");
  });

  test("an auth frame whose page is not a string is refused as a bad frame", async () => {
    const v = await session({}, CHROME);
    const ws = await openSocket(wsUrl(base, "/ws/widget"), { origin: SHOP });
    open.push(ws);
    ws.send({ type: "auth", token: v.token, page: { href: `${SHOP}/x` } });
    const error = await ws.waitForJson((f) => f.type === "error");
    expect(error.code).toBe("bad_frame");
  });

  test("returning visitors whose sockets authenticate together (a reconnect storm) each get their own page and browser recorded", async () => {
    const [shop] = await t.database.db.select().from(inboxes).where(eq(inboxes.publicKey, "pk_visit"));
    const visitors = await Promise.all(Array.from({ length: 12 }, () => session({}, CHROME)));
    await t.database.db.insert(contacts).values(visitors.map((v) => ({ id: v.contact.id, inboxId: shop!.id })));
    const sockets = await Promise.all(visitors.map((_, i) => openSocket(wsUrl(base, "/ws/widget"), { origin: SHOP, "user-agent": i % 2 ? FIREFOX : CHROME })));
    open.push(...sockets);
    sockets.forEach((ws, i) => ws.send({ type: "auth", token: visitors[i]!.token, page: `${SHOP}/page-${i}` }));
    await Promise.all(sockets.map((ws) => ws.waitForJson((f) => f.type === "ready")));
    // The ready comes after the visit's write: every row is written by then.
    for (const [i, v] of visitors.entries()) {
      const row = (await contactRow(v.contact.id))!;
      expect(row.lastPageUrl).toBe(`${SHOP}/page-${i}`);
      expect(row.browser).toBe(i % 2 ? "Firefox 133 on Windows 10" : "Chrome 142 on Linux");
    }
  });

  test("visits that arrive while one is being written go together in the next write; each learns whether its contact exists", async () => {
    const [shop] = await t.database.db.select().from(inboxes).where(eq(inboxes.publicKey, "pk_visit"));
    const ids = Array.from({ length: 6 }, () => crypto.randomUUID());
    await t.database.db.insert(contacts).values(ids.slice(0, 5).map((id) => ({ id, inboxId: shop!.id })));
    const writer = visitWriter(t.database.db, t.ctx.log);
    // The first starts a write; the others wait for it and go in one statement. The last id has no row (a new visitor).
    const written = await Promise.all(ids.map((id, i) => writer.record(id, { page: `${SHOP}/batch-${i}`, browser: i % 2 ? "Firefox" : null })));
    expect(written).toEqual([true, true, true, true, true, false]);
    for (const [i, id] of ids.slice(0, 5).entries()) {
      const row = (await contactRow(id))!;
      expect(row.lastPageUrl).toBe(`${SHOP}/batch-${i}`);
      expect(row.browser).toBe(i % 2 ? "Firefox" : null);
    }
  });
});
