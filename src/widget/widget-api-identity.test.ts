// The widget HTTP API: identified users (user hashes, requireIdentity, a visitor who signs in).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { contacts } from "../db/schema/index.ts";
import { updateInboxSettings } from "../inboxes/service.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { identityHash } from "./identity.ts";
import { signVisitorToken } from "./visitor-token.ts";
import { appEnv, conversationOf, countContacts, fetchMessages, insertInbox, type Json, mode, okSession, send, session, UUID } from "./widget-api-testing.ts";

describe(`widget HTTP API (${mode})`, () => {
  let t: TestApp;
  let db: Db;

  beforeAll(async () => {
    t = await createTestApp({ env: appEnv });
    db = t.database.db;
  });
  afterAll(() => t.close());

  describe("identity", () => {
    test("a valid user hash makes a verified contact and stores its email and name", async () => {
      const inbox = await insertInbox(db);
      const user = { id: "user-42", email: "ada@example.com", name: "Ada", hash: identityHash(inbox.identitySecret, "user-42") };
      const data = await okSession(t, { inbox: inbox.publicKey, user });
      expect(data.contact).toEqual({ id: expect.stringMatching(UUID), name: "Ada", email: "ada@example.com", verified: true });
      const [row] = await db.select().from(contacts).where(eq(contacts.id, data.contact.id));
      expect(row).toMatchObject({ inboxId: inbox.id, externalId: "user-42", email: "ada@example.com", name: "Ada" });
    });

    test("the same user on a second device (no token) finds the same conversation", async () => {
      const inbox = await insertInbox(db);
      const user = { id: "user-7", email: "bo@example.com", hash: identityHash(inbox.identitySecret, "user-7") };
      const laptop = await okSession(t, { inbox: inbox.publicKey, user });
      const sent = await send(t, laptop.token, { clientId: "l-1", body: "Written on my laptop" });
      expect(sent.res.status).toBe(201);

      const phone = await okSession(t, { inbox: inbox.publicKey, user });
      expect(phone.contact.id).toBe(laptop.contact.id);
      expect(phone.contact.verified).toBe(true);
      const stored = await conversationOf(db, inbox.id, laptop.contact.id);
      expect(phone.conversation?.id).toBe(stored!.id);
      expect(phone.messages.map((m: Json) => m.id)).toContain(sent.data.message.id);
      const { data } = await fetchMessages(t, phone.token);
      expect(data.messages.map((m: Json) => m.id)).toContain(sent.data.message.id);
    });

    test("a wrong hash answers 401 identity_invalid and writes nothing", async () => {
      const inbox = await insertInbox(db);
      const wrong = [
        identityHash("some-other-secret", "user-1"), // another inbox's secret
        identityHash(inbox.identitySecret, "user-2"), // another user's hash
        identityHash(inbox.identitySecret, "user-1").slice(0, 63), // cut short
        "not-a-hash",
      ];
      for (const hash of wrong) {
        const { res, data } = await session(t, { inbox: inbox.publicKey, user: { id: "user-1", email: "x@example.com", hash } });
        expect(res.status).toBe(401);
        expect(data.error.code).toBe("identity_invalid");
      }
      expect(await countContacts(db, inbox.id)).toBe(0);
      // The correct hash (any case: it is hex) is accepted.
      const right = identityHash(inbox.identitySecret, "user-1").toUpperCase();
      expect((await session(t, { inbox: inbox.publicKey, user: { id: "user-1", hash: right } })).res.status).toBe(200);
    });

    test("an inbox that requires identity refuses anonymous visitors with 401 identity_required", async () => {
      const inbox = await insertInbox(db, { requireIdentity: true });
      const { res, data } = await session(t, { inbox: inbox.publicKey });
      expect(res.status).toBe(401);
      expect(data.error.code).toBe("identity_required");
      // A token from an earlier anonymous session does not get around it either.
      const forged = signVisitorToken(t.ctx.sessionSecret, { inboxId: inbox.id, contactId: crypto.randomUUID() });
      expect((await session(t, { inbox: inbox.publicKey, token: forged })).data.error?.code).toBe("identity_required");
      const user = { id: "member-1", hash: identityHash(inbox.identitySecret, "member-1") };
      const ok = await okSession(t, { inbox: inbox.publicKey, user });
      expect(ok.contact.verified).toBe(true);
      expect((await send(t, ok.token, { clientId: "m-1", body: "Signed in" })).res.status).toBe(201);
    });

    test("turning requireIdentity on shuts out anonymous tokens issued before, at once", async () => {
      const inbox = await insertInbox(db);
      const anon = await okSession(t, { inbox: inbox.publicKey });
      expect((await send(t, anon.token, { clientId: "before", body: "Before the switch" })).res.status).toBe(201);
      await updateInboxSettings(db, inbox.id, { ...inbox, requireIdentity: true });
      const after = await send(t, anon.token, { clientId: "after", body: "After the switch" });
      expect(after.res.status).toBe(401);
      expect(after.data.error.code).toBe("unauthorized");
    });

    test("an anonymous visitor who wrote first and then signs in keeps their conversation", async () => {
      const inbox = await insertInbox(db);
      const anon = await okSession(t, { inbox: inbox.publicKey });
      const sent = await send(t, anon.token, { clientId: "a-1", body: "Before signing in" });
      expect(sent.res.status).toBe(201);
      const conversation = await conversationOf(db, inbox.id, anon.contact.id);

      const user = { id: "user-99", email: "cy@example.com", name: "Cy", hash: identityHash(inbox.identitySecret, "user-99") };
      const signedIn = await okSession(t, { inbox: inbox.publicKey, token: anon.token, user });
      expect(signedIn.contact).toEqual({ id: anon.contact.id, name: "Cy", email: "cy@example.com", verified: true });
      expect(signedIn.conversation?.id).toBe(conversation!.id);
      expect(signedIn.messages.map((m: Json) => m.id)).toContain(sent.data.message.id);
      expect(await countContacts(db, inbox.id)).toBe(1);
      // And from another device the user finds that same conversation.
      const phone = await okSession(t, { inbox: inbox.publicKey, user });
      expect(phone.conversation?.id).toBe(conversation!.id);
    });

    test("a verified user's token without the user starts a fresh anonymous visitor with no access to the user's chat", async () => {
      const inbox = await insertInbox(db);
      const user = { id: "user-shared-pc", hash: identityHash(inbox.identitySecret, "user-shared-pc") };
      const signedIn = await okSession(t, { inbox: inbox.publicKey, user });
      const sent = await send(t, signedIn.token, { clientId: "s-1", body: "Private: my address is ..." });
      expect(sent.res.status).toBe(201);

      const after = await okSession(t, { inbox: inbox.publicKey, token: signedIn.token });
      expect(after.contact.id).not.toBe(signedIn.contact.id);
      expect(after.contact.verified).toBe(false);
      expect(after.conversation).toBeNull();
      expect(after.messages).toEqual([]);
      const { data } = await fetchMessages(t, after.token);
      expect(data).toEqual({ conversation: null, messages: [], lastSeq: 0 });
    });
  });
});
