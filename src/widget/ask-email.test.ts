// The one-time ask for an address (docs/widget-protocol.md, "Email"): the server says askEmail when
// email is on, the customer has written, has no address and never answered; once answered or
// skipped it never says it again, on any session or device.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { contacts } from "../db/schema/index.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { smtpCapture, type SmtpCapture } from "../testing/smtp-capture.ts";
import { readyWidgetSocket } from "../testing/widget-client.ts";
import type { TestSocket } from "../testing/ws-client.ts";
import { answerPrompt, customerWhoWrote, sessionOf } from "./email-testing.ts";
import { identityHash } from "./identity.ts";
import { appEnv, bearer, call, insertInbox, mode, okSession, postJson, send } from "./widget-api-testing.ts";

describe(`asking once for an address (${mode})`, () => {
  let t: TestApp;
  let mail: SmtpCapture;
  let base: string;
  const open: TestSocket[] = [];

  beforeAll(async () => {
    mail = await smtpCapture();
    t = await createTestApp({ env: { ...appEnv, SMTP_URL: mail.url } });
    base = t.listen();
  });
  afterAll(async () => {
    for (const socket of open) socket.close();
    await t.close();
    await mail.close();
  });

  const contactRow = async (id: string) => (await t.database.db.select().from(contacts).where(eq(contacts.id, id)))[0]!;

  test("a new visitor is not asked; after their first message they are (HTTP answer and next session), and emailReplies is on", async () => {
    const inbox = await insertInbox(t.database.db);
    const first = await okSession(t, { inbox: inbox.publicKey });
    expect(first.askEmail).toBe(false);
    expect(first.inbox.emailReplies).toBe(true);
    const sent = await send(t, first.token, { clientId: "c1", body: "Hello?" });
    expect(sent.res.status).toBe(201);
    expect(sent.data.askEmail).toBe(true);
    expect((await sessionOf(t, inbox.publicKey, first.token)).askEmail).toBe(true);
  });

  test("on the socket: ready says false before the first message, its ack says true, and the next ready says true", async () => {
    const inbox = await insertInbox(t.database.db);
    const { token } = await okSession(t, { inbox: inbox.publicKey });
    const { ws, ready } = await readyWidgetSocket(base, token, TEST_ORIGIN, open);
    expect(ready.askEmail).toBe(false);
    ws.send({ type: "send", clientId: "s1", body: "First question" });
    expect((await ws.waitForJson((f) => f.type === "ack" && f.clientId === "s1")).askEmail).toBe(true);
    ws.send({ type: "send", clientId: "s2", body: "Second question" });
    // Said once per socket: the widget keeps the card until it is answered.
    expect((await ws.waitForJson((f) => f.type === "ack" && f.clientId === "s2")).askEmail).toBeUndefined();
    const again = await readyWidgetSocket(base, token, TEST_ORIGIN, open);
    expect(again.ready.askEmail).toBe(true);
  });

  test("answered with an address: stored unverified, never asked again (new session, new socket)", async () => {
    const inbox = await insertInbox(t.database.db);
    const kim = await customerWhoWrote(t, inbox.publicKey);
    const answer = await answerPrompt(t, kim.token, { email: "  kim@example.com " });
    expect(answer.res.status).toBe(200);
    expect(answer.data).toEqual({ askEmail: false, contact: { email: "kim@example.com" } });
    const row = await contactRow(kim.contactId);
    expect(row).toMatchObject({ email: "kim@example.com", emailVerified: false });
    expect(row.emailPromptDoneAt).toBeInstanceOf(Date);
    const later = await sessionOf(t, inbox.publicKey, kim.token);
    expect(later).toMatchObject({ askEmail: false, contact: { email: "kim@example.com" } });
    expect((await readyWidgetSocket(base, later.token, TEST_ORIGIN, open)).ready.askEmail).toBe(false);
  });

  test("skipped: no address stored, and never asked again", async () => {
    const inbox = await insertInbox(t.database.db);
    const lee = await customerWhoWrote(t, inbox.publicKey);
    expect((await answerPrompt(t, lee.token, { skip: true })).res.status).toBe(200);
    expect(await contactRow(lee.contactId)).toMatchObject({ email: null, emailPromptDoneAt: expect.any(Date) });
    expect((await sessionOf(t, inbox.publicKey, lee.token)).askEmail).toBe(false);
    const more = await send(t, lee.token, { clientId: "after-skip", body: "One more thing" });
    expect(more.data.askEmail).toBeUndefined();
  });

  test("remembered on the server: a signed-in user who skipped on one device is not asked on another", async () => {
    const inbox = await insertInbox(t.database.db);
    const user = { id: "user-9", hash: identityHash(inbox.identitySecret, "user-9") };
    const laptop = await okSession(t, { inbox: inbox.publicKey, user });
    await send(t, laptop.token, { clientId: "l1", body: "From my laptop" });
    expect((await okSession(t, { inbox: inbox.publicKey, user })).askEmail).toBe(true);
    await answerPrompt(t, laptop.token, { skip: true });
    // The phone: no token of the laptop's, the same user.
    expect((await okSession(t, { inbox: inbox.publicKey, user })).askEmail).toBe(false);
  });

  test("a customer who has an address is never asked: one given by the site, or in the away form", async () => {
    const inbox = await insertInbox(t.database.db);
    const user = { id: "user-10", email: "ada@example.com", hash: identityHash(inbox.identitySecret, "user-10") };
    const ada = await okSession(t, { inbox: inbox.publicKey, user });
    expect((await send(t, ada.token, { clientId: "a1", body: "Hi" })).data.askEmail).toBeUndefined();
    expect((await okSession(t, { inbox: inbox.publicKey, user })).askEmail).toBe(false);

    const bo = await customerWhoWrote(t, inbox.publicKey);
    expect((await call(t, "/api/v1/widget/away", postJson({ email: "bo@example.com" }, bearer(bo.token)))).res.status).toBe(200);
    expect((await sessionOf(t, inbox.publicKey, bo.token)).askEmail).toBe(false);
  });

  test("something that is not an address is refused (400 bad_email), stores nothing, and the ask stays", async () => {
    const inbox = await insertInbox(t.database.db);
    const kim = await customerWhoWrote(t, inbox.publicKey);
    for (const body of [{ email: "kim" }, { email: "" }, {}, { email: "kim @example.com" }, { skip: false }]) {
      const { res, data } = await answerPrompt(t, kim.token, body);
      expect({ body, status: res.status, code: data.error?.code }).toEqual({ body, status: 400, code: "bad_email" });
    }
    expect(await contactRow(kim.contactId)).toMatchObject({ email: null, emailPromptDoneAt: null });
    expect((await sessionOf(t, inbox.publicKey, kim.token)).askEmail).toBe(true);
  });

  test("an inbox with reply emails off says emailReplies false, never asks, and refuses the answer (409 email_off)", async () => {
    const inbox = await insertInbox(t.database.db, { replyEmails: false });
    const kim = await customerWhoWrote(t, inbox.publicKey);
    const session = await sessionOf(t, inbox.publicKey, kim.token);
    expect(session).toMatchObject({ askEmail: false, inbox: { emailReplies: false } });
    const { res, data } = await answerPrompt(t, kim.token, { email: "kim@example.com" });
    expect(res.status).toBe(409);
    expect(data.error.code).toBe("email_off");
    expect(await contactRow(kim.contactId)).toMatchObject({ email: null, emailPromptDoneAt: null });
  });

  test("the answer needs the visitor's token", async () => {
    expect((await answerPrompt(t, "forged", { email: "kim@example.com" })).res.status).toBe(401);
  });
});
