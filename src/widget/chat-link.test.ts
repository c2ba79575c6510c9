// The hosted chat page a conversation email links to (GET /chat/{link}): the widget's chat as the
// link's customer, with a session in its config and the link itself nowhere in the page.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chatLinkToken, readChatLinkToken } from "../mail/signed-links.ts";
import { signedInTeam, type InboxRow } from "../testing/fixtures.ts";
import { createTestApp, requestLinesWritten, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { readyWidgetSocket } from "../testing/widget-client.ts";
import type { TestSocket } from "../testing/ws-client.ts";
import { agentReplies, customerWhoWrote, type WrittenCustomer } from "./email-testing.ts";
import { verifyVisitorToken } from "./visitor-token.ts";
import { appEnv, bearer, call, DAY_MS, flipChar, mode, postJson } from "./widget-api-testing.ts";

/** The page's config (#sd-config), as the widget reads it. */
function configOf(html: string): Record<string, any> {
  const json = /<script type="application\/json" id="sd-config">([\s\S]*?)<\/script>/.exec(html)?.[1];
  expect(json).toBeDefined();
  return JSON.parse(json!);
}

describe(`the hosted chat page (${mode})`, () => {
  let t: TestApp;
  let inbox: InboxRow;
  let ana: { id: string; name: string };
  let kim: WrittenCustomer;
  let lee: WrittenCustomer;
  const open: TestSocket[] = [];
  const linkFor = (claims: { conversationId: string; contactId: string }, now = Date.now()) => chatLinkToken(t.ctx.sessionSecret, claims, now);

  beforeAll(async () => {
    t = await createTestApp({ env: appEnv });
    const team = await signedInTeam(t, { name: "Shop <Support>", color: "#0f766e" });
    inbox = team.inbox;
    ana = { id: team.ana.id, name: "Ana" };
    kim = await customerWhoWrote(t, inbox.publicKey, "Where is my parcel?", "de-AT");
    lee = await customerWhoWrote(t, inbox.publicKey, "Lee's private question");
    await agentReplies(t, ana, kim.conversationId, "It left the warehouse today.");
  });
  afterAll(async () => {
    for (const socket of open) socket.close();
    await t.close();
  });

  test("a valid link opens the chat as its customer: their conversation with the agent's reply, in their language and the inbox's look", async () => {
    const link = linkFor(kim);
    const res = await t.request(`/chat/${link}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="de">');
    const cfg = configOf(html);
    expect(cfg).toMatchObject({ inboxName: "Shop <Support>", color: "#0f766e", locale: "de", publicKey: inbox.publicKey });
    expect(cfg.strings.send).toBe("Senden");
    expect(cfg.session.contact.id).toBe(kim.contactId);
    // The session it carries ends when the link does (7 days), not 30 days from now.
    expect(verifyVisitorToken(t.ctx.sessionSecret, cfg.session.token)?.expiresAt).toBe(readChatLinkToken(t.ctx.sessionSecret, link)!.expiresAt);
    expect(cfg.session.conversation.id).toBe(kim.conversationId);
    expect(cfg.session.messages.map((m: { sender: string; body: string }) => `${m.sender}: ${m.body}`)).toEqual(
      expect.arrayContaining(["customer: Where is my parcel?", "agent: It left the warehouse today."]),
    );
    // Opened, full page: nothing to minimise into.
    expect(html).not.toContain(`aria-label="${cfg.strings.minimise}"`);
    // The hostile inbox name is escaped in the markup and cannot close the config's script.
    expect(html).not.toContain("<Support>");
  });

  test("the link is kept nowhere: not in the page, not passed on, not cached, and the page cannot be framed", async () => {
    const link = linkFor(kim);
    const res = await t.request(`/chat/${link}`);
    const html = await res.text();
    expect(html).not.toContain(link);
    expect(html).not.toContain(link.split(".")[1]!);
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("form-action 'none'");
    // The request log names the route, never the path with the link in it.
    await requestLinesWritten(t);
    expect(t.logs.some((line) => line.includes("/chat/:token"))).toBe(true);
    expect(t.logs.join("\n")).not.toContain(link);
  });

  test("the session in the page's config works with the widget API for exactly that customer: read, answer, and live on the socket", async () => {
    const { session } = configOf(await (await t.request(`/chat/${linkFor(kim)}`)).text());
    const list = await call(t, "/api/v1/widget/messages", { headers: bearer(session.token) });
    expect(list.res.status).toBe(200);
    expect(list.data.conversation.id).toBe(kim.conversationId);
    expect(JSON.stringify(list.data)).not.toContain("Lee's private question");

    const base = t.listen();
    const { ws, ready } = await readyWidgetSocket(base, session.token, TEST_ORIGIN, open);
    expect(ready.conversation.id).toBe(kim.conversationId);
    ws.send({ type: "resume", lastSeq: ready.lastSeq });
    ws.send({ type: "send", clientId: "from-the-email-link", body: "Thanks, I'll wait." });
    const ack = await ws.waitForJson((f) => f.type === "ack");
    expect(ack.message).toMatchObject({ body: "Thanks, I'll wait.", sender: "customer", seq: ready.lastSeq + 1 });
    await agentReplies(t, ana, kim.conversationId, "You're welcome!");
    expect((await ws.waitForJson((f) => f.type === "message" && f.message.sender === "agent")).message.body).toBe("You're welcome!");

    // The same token is Kim's in the session call too: never Lee's, never a new visitor.
    const again = await call(t, "/api/v1/widget/session", postJson({ inbox: inbox.publicKey, token: session.token }));
    expect(again.data.contact.id).toBe(kim.contactId);
  });

  test("an expired link answers 410 and a forged or garbled one 404, with the same friendly words and no session", async () => {
    const expired = await t.request(`/chat/${linkFor(kim, Date.now() - 8 * DAY_MS)}`, { headers: { "accept-language": "en-GB,en;q=0.8" } });
    expect(expired.status).toBe(410);
    const link = linkFor(kim);
    const forged = await t.request(`/chat/${flipChar(link, link.length - 1, "0123456789abcdef")}`);
    expect(forged.status).toBe(404);
    const garbled = await t.request("/chat/not-a-link");
    expect(garbled.status).toBe(404);
    const pages = [await expired.text(), await forged.text(), await garbled.text()];
    for (const page of pages) {
      expect(page).toContain("This link has expired");
      expect(page).not.toContain("sd-config");
      expect(page).not.toContain(kim.contactId);
    }
    expect(expired.headers.get("referrer-policy")).toBe("no-referrer");
    expect(expired.headers.get("cache-control")).toBe("no-store");
    // In the reader's language, from the browser (the link says nothing trustworthy when it fails).
    const german = await t.request("/chat/not-a-link", { headers: { "accept-language": "de-DE,de;q=0.9" } });
    expect(await german.text()).toContain("Dieser Link ist abgelaufen");
  });

  test("a genuine link pairing a conversation with a contact who is not its customer opens nothing (404)", async () => {
    const res = await t.request(`/chat/${linkFor({ conversationId: kim.conversationId, contactId: lee.contactId })}`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain("This link has expired");
    expect(html).not.toContain("Where is my parcel?");
    expect(html).not.toContain("Lee's private question");
    // A conversation that does not exist, likewise.
    const gone = await t.request(`/chat/${linkFor({ conversationId: crypto.randomUUID(), contactId: kim.contactId })}`);
    expect(gone.status).toBe(404);
  });
});
