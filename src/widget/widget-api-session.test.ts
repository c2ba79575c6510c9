// The widget HTTP API: sessions (docs/widget-protocol.md, section 1): who a visitor is, and what a
// session answers.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { contacts } from "../db/schema/index.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { appEnv, conversationOf, countContacts, fetchMessages, insertInbox, type Json, mode, okSession, send, session, UUID } from "./widget-api-testing.ts";

describe(`widget HTTP API (${mode})`, () => {
  let t: TestApp;
  let db: Db;

  beforeAll(async () => {
    t = await createTestApp({ env: appEnv });
    db = t.database.db;
  });
  afterAll(() => t.close());

  describe("session", () => {
    test("the inbox's public key starts an anonymous session: a token, no conversation, the inbox's look", async () => {
      const inbox = await insertInbox(db, { greeting: "Hello from the shop", color: "#112233", position: "left" });
      const data = await okSession(t, { inbox: inbox.publicKey });
      expect(typeof data.token).toBe("string");
      expect(data.token).toMatch(/^v1\.[A-Za-z0-9_-]+\.[0-9a-f]{64}$/);
      expect(data.contact).toEqual({ id: expect.stringMatching(UUID), name: null, email: null, verified: false });
      expect(data.conversation).toBeNull();
      expect(data.messages).toEqual([]);
      expect(data.lastSeq).toBe(0);
      expect(data.inbox).toEqual({
        name: inbox.name,
        greeting: "Hello from the shop",
        color: "#112233",
        position: "left",
        handoffMode: inbox.handoffMode,
        agentsOnline: expect.any(Boolean),
        // No business hours: always open; no first responses yet: no reply time to show.
        open: true,
        note: "",
        until: null,
        // Nobody online: the first few of the team (here, none yet), as first names and initials.
        team: [],
        // No SMTP_URL in this app: nothing is promised by email, and no address asked for.
        emailReplies: false,
      });
      expect(data.askEmail).toBe(false);
      // The token works for the messages endpoint straight away.
      const { res, data: list } = await fetchMessages(t, data.token);
      expect(res.status).toBe(200);
      expect(list).toEqual({ conversation: null, messages: [], lastSeq: 0 });
    });

    test("an anonymous visitor gets no contact row until their first message", async () => {
      const inbox = await insertInbox(db);
      const before = await countContacts(db, inbox.id);
      const first = await okSession(t, { inbox: inbox.publicKey });
      await okSession(t, { inbox: inbox.publicKey });
      await okSession(t, { inbox: inbox.publicKey, token: first.token });
      expect(await countContacts(db, inbox.id)).toBe(before);

      const { res } = await send(t, first.token, { clientId: "first", body: "Hi there" });
      expect(res.status).toBe(201);
      expect(await countContacts(db, inbox.id)).toBe(before + 1);
      const [row] = await db.select().from(contacts).where(eq(contacts.id, first.contact.id));
      expect(row?.inboxId).toBe(inbox.id);
      expect(row?.externalId).toBeNull();
    });

    test("an unknown inbox key answers 404 unknown_inbox", async () => {
      const { res, data } = await session(t, { inbox: "pk_does_not_exist" });
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(data.error.code).toBe("unknown_inbox");
      expect(typeof data.error.message).toBe("string");
    });

    test("a malformed session body answers 400 with a JSON error, never a 500", async () => {
      const inbox = await insertInbox(db);
      const big = "x".repeat(100_000);
      const bodies: [string, string][] = [
        ["missing inbox", JSON.stringify({})],
        ["inbox a number", JSON.stringify({ inbox: 42 })],
        ["inbox empty", JSON.stringify({ inbox: "" })],
        ["inbox null", JSON.stringify({ inbox: null })],
        ["token a number", JSON.stringify({ inbox: inbox.publicKey, token: 7 })],
        ["user a string", JSON.stringify({ inbox: inbox.publicKey, user: "alice" })],
        ["user without hash", JSON.stringify({ inbox: inbox.publicKey, user: { id: "u1" } })],
        ["user id a number", JSON.stringify({ inbox: inbox.publicKey, user: { id: 1, hash: "abc" } })],
        ["huge inbox", JSON.stringify({ inbox: big })],
        ["huge token", JSON.stringify({ inbox: inbox.publicKey, token: big })],
        ["huge user id", JSON.stringify({ inbox: inbox.publicKey, user: { id: big, hash: "abc" } })],
        ["huge email", JSON.stringify({ inbox: inbox.publicKey, user: { id: "u", email: big, hash: "abc" } })],
        ["an array", JSON.stringify([inbox.publicKey])],
        ["null", "null"],
        ["not JSON", "{inbox:"],
      ];
      for (const [what, body] of bodies) {
        const res = await t.request("/api/v1/widget/session", { method: "POST", headers: { "content-type": "application/json" }, body });
        const text = await res.text();
        expect({ what, status: res.status }).toEqual({ what, status: 400 });
        const parsed = JSON.parse(text) as Json;
        expect({ what, code: typeof parsed.error?.code }).toEqual({ what, code: "string" });
      }
      expect(await countContacts(db, inbox.id)).toBe(0);
    });

    test("a returning visitor keeps their contact, and later sees their conversation, messages and lastSeq", async () => {
      const inbox = await insertInbox(db, { handoffMode: "immediate" });
      const first = await okSession(t, { inbox: inbox.publicKey });
      const again = await okSession(t, { inbox: inbox.publicKey, token: first.token });
      expect(again.contact.id).toBe(first.contact.id);
      expect(again.conversation).toBeNull();

      const a = await send(t, again.token, { clientId: "r-1", body: "My order is late" });
      const b = await send(t, again.token, { clientId: "r-2", body: "Order 1234" });
      expect([a.res.status, b.res.status]).toEqual([201, 201]);

      const back = await okSession(t, { inbox: inbox.publicKey, token: again.token });
      const stored = await conversationOf(db, inbox.id, first.contact.id);
      expect(back.contact.id).toBe(first.contact.id);
      expect(back.conversation).toMatchObject({ id: stored!.id, status: stored!.status, lastSeq: stored!.lastSeq });
      expect(back.messages.map((m: Json) => m.id)).toEqual([a.data.message.id, b.data.message.id]);
      expect(back.messages.map((m: Json) => m.body)).toEqual(["My order is late", "Order 1234"]);
      expect(back.lastSeq).toBe(b.data.message.seq);
      expect(back.lastSeq).toBe(stored!.lastSeq);
    });
  });
});
