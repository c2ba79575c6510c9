// The widget HTTP API: a visitor reaches only their own conversation, and none of the agents' endpoints.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { messages } from "../db/schema/index.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { appEnv, bearer, conversationOf, fetchMessages, handoff, insertInbox, type Json, mode, okSession, send, session, snapshot } from "./widget-api-testing.ts";

describe(`widget HTTP API (${mode})`, () => {
  let t: TestApp;
  let db: Db;

  beforeAll(async () => {
    t = await createTestApp({ env: appEnv });
    db = t.database.db;
  });
  afterAll(() => t.close());

  describe("authorization", () => {
    /** Visitor A with a queued conversation, visitor B with their own. */
    async function twoVisitors() {
      const inbox = await insertInbox(db, { handoffMode: "immediate" });
      const a = await okSession(t, { inbox: inbox.publicKey });
      const b = await okSession(t, { inbox: inbox.publicKey });
      const aMessage = (await send(t, a.token, { clientId: "a-secret", body: "A's secret" })).data.message as Json;
      const bMessage = (await send(t, b.token, { clientId: "b-own", body: "B's own" })).data.message as Json;
      const aConversation = (await conversationOf(db, inbox.id, a.contact.id))!;
      const bConversation = (await conversationOf(db, inbox.id, b.contact.id))!;
      expect(aConversation.id).not.toBe(bConversation.id);
      return { inbox, a, b, aMessage, bMessage, aConversation, bConversation };
    }

    test("visitor B never reads A's conversation, whatever ids they add", async () => {
      const { a, b, aMessage, bMessage, aConversation } = await twoVisitors();
      const queries = [
        `?conversation=${aConversation.id}`,
        `?conversationId=${aConversation.id}`,
        `?after=0&conversation=${aConversation.id}`,
        `?after=0&conversationId=${aConversation.id}&contactId=${a.contact.id}`,
        `?contact=${a.contact.id}&inbox=${aConversation.inboxId}`,
      ];
      for (const query of queries) {
        const { res, data } = await fetchMessages(t, b.token, query);
        const text = JSON.stringify(data);
        expect({ query, status: res.status }).toEqual({ query, status: 200 });
        expect({ query, leaks: text.includes(aMessage.id) || text.includes("A's secret") || text.includes(aConversation.id) }).toEqual({ query, leaks: false });
        expect(data.messages.map((m: Json) => m.id)).toEqual([bMessage.id]);
      }
      // An id where a seq belongs is refused, not interpreted.
      const { res, data } = await fetchMessages(t, b.token, `?after=${aConversation.id}`);
      expect(res.status).toBe(400);
      expect(JSON.stringify(data)).not.toContain("A's secret");
    });

    test("visitor B never writes to A's conversation, whatever ids they add", async () => {
      const { inbox, a, b, aConversation, bConversation } = await twoVisitors();
      const before = await snapshot(db, aConversation.id);
      const post = await send(t, b.token, {
        clientId: "b-2",
        body: "Injected?",
        conversation: aConversation.id,
        conversationId: aConversation.id,
        contactId: a.contact.id,
        inbox: inbox.publicKey,
      });
      expect(post.res.status).toBe(201);
      const [row] = await db.select().from(messages).where(eq(messages.id, post.data.message.id));
      expect(row!.conversationId).toBe(bConversation.id);
      const hand = await handoff(t, b.token, { conversation: aConversation.id, conversationId: aConversation.id });
      expect(hand.res.status).toBe(200);
      expect(hand.data.conversation.id).toBe(bConversation.id);
      // B's session, asked for with A's ids in it, stays B's.
      const again = await session(t, { inbox: inbox.publicKey, token: b.token, conversation: aConversation.id, contactId: a.contact.id });
      expect(again.res.status).toBe(200);
      expect(again.data.contact.id).toBe(b.contact.id);
      expect(again.data.conversation.id).toBe(bConversation.id);
      expect(JSON.stringify(again.data)).not.toContain("A's secret");
      expect(await snapshot(db, aConversation.id)).toEqual(before);
    });

    test("a visitor token opens none of the agents' endpoints and changes nothing", async () => {
      const { a, aConversation } = await twoVisitors();
      const before = await snapshot(db, aConversation.id);
      const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
      const credentials = [bearer(a.token), { cookie: `sd_session=${a.token}` }, bearer(a.token, { origin: TEST_ORIGIN })];
      const requests: [string, RequestInit][] = [
        ["/inbox", {}],
        ["/inbox/list?tab=open", {}],
        ["/inbox/list?tab=queue", {}],
        [`/inbox/c/${aConversation.id}`, {}],
        [`/inbox/c/${aConversation.id}/claim`, { method: "POST" }],
        [`/inbox/c/${aConversation.id}/close`, { method: "POST" }],
        [`/inbox/c/${aConversation.id}/messages`, { method: "POST", body: form({ body: "Agent reply?", clientId: "fake-agent" }) }],
      ];
      for (const headers of credentials) {
        for (const [path, init] of requests) {
          const res = await t.request(path, {
            ...init,
            headers: { ...(init.body ? { "content-type": "application/x-www-form-urlencoded" } : {}), ...headers },
            redirect: "manual",
          });
          const body = await res.text();
          const redirectedToLogin = res.status >= 300 && res.status < 400 && (res.headers.get("location") ?? "").startsWith("/login");
          const refused = res.status >= 400 && res.status < 500;
          expect({ path, headers: Object.keys(headers), ok: redirectedToLogin || refused }).toEqual({ path, headers: Object.keys(headers), ok: true });
          expect(body).not.toContain("A's secret");
        }
      }
      expect(await snapshot(db, aConversation.id)).toEqual(before);
    });
  });
});
