// A private note never leaves the agents: not in the widget's session or messages (HTTP), not on
// the customer's socket, not in the reply email (nor the chat page its link opens), not in the
// transcript email. Each check is made
// after a positive signal: a reply written after the note has arrived where the note did not.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readyWidgetSocket, widgetSocketSettled } from "../testing/widget-client.ts";
import type { TestSocket } from "../testing/ws-client.ts";
import { askTranscript, sessionOf } from "../widget/email-testing.ts";
import { bearer, call, mode } from "../widget/widget-api-testing.ts";
import { MINUTE, replyEmailTest, type ReplyEmailTest } from "../mail/reply-email-fixture.ts";
import { chatLinkToken } from "../mail/signed-links.ts";

const SECRET = "internal: customer is on the fraud watchlist";

describe(`a private note reaches no customer (${mode})`, () => {
  let s: ReplyEmailTest;
  const sockets: TestSocket[] = [];
  beforeAll(async () => {
    s = await replyEmailTest();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await s.close();
  });

  const note = (conversationId: string, body: string) =>
    s.t.post(`/inbox/c/${conversationId}/notes`, { body, clientId: crypto.randomUUID() }, { cookie: s.ben.cookie, "hx-request": "true" });

  test("widget session, messages and socket; the reply email and its chat page; the transcript email", async () => {
    const kim = await s.customer();
    const { ws } = await readyWidgetSocket(s.base, kim.token, "http://localhost:3000", sockets);
    const from = ws.frames.length;

    expect((await note(kim.conversationId, SECRET)).status).toBe(201);
    expect((await s.reply(kim.conversationId, "Your refund is on its way.")).status).toBe(201);

    // The socket: the reply came, and nothing before or with it carried the note.
    await ws.waitFor((f) => f.includes("Your refund is on its way."), 5000, from);
    await widgetSocketSettled(ws);
    expect(ws.frames.filter((f) => f.includes("fraud watchlist"))).toEqual([]);

    // The widget's HTTP API: the reply is there, the note is not.
    const messages = await call(s.t, "/api/v1/widget/messages", { headers: bearer(kim.token) });
    expect(JSON.stringify(messages.data)).toContain("Your refund is on its way.");
    expect(JSON.stringify(messages.data)).not.toContain("fraud watchlist");
    expect(JSON.stringify(await sessionOf(s.t, s.inbox.publicKey, kim.token))).not.toContain("fraud watchlist");

    // The reply email (after the inbox's delay): the reply, not the note.
    await s.later(5 * MINUTE);
    const replyMail = await s.mail.nth(1, kim.email!);
    expect(replyMail.parsed.text).toContain("Your refund is on its way.");
    expect(`${replyMail.parsed.text}${replyMail.parsed.html}`).not.toContain("fraud watchlist");

    // The page an email's "continue the chat" link opens: the reply, not the note.
    const chat = await (await s.t.request(`/chat/${chatLinkToken(s.t.ctx.sessionSecret, kim, Date.now())}`)).text();
    expect(chat).toContain("Your refund is on its way.");
    expect(chat).not.toContain("fraud watchlist");

    // The transcript the customer asks for: the whole conversation, but no note.
    expect((await askTranscript(s.t, kim.token)).res.status).toBe(202);
    await s.later(0);
    const transcript = await s.mail.nth(2, kim.email!);
    expect(transcript.parsed.text).toContain("Your refund is on its way.");
    expect(`${transcript.parsed.text}${transcript.parsed.html}`).not.toContain("fraud watchlist");
  });
});
