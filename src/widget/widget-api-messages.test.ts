// The widget HTTP API: messages over HTTP, allowed origins and CORS.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { messages } from "../db/schema/index.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { appEnv, conversationOf, countContacts, fetchMessages, insertInbox, type Json, messageRows, mode, okSession, send, session, UUID } from "./widget-api-testing.ts";

describe(`widget HTTP API (${mode})`, () => {
  let t: TestApp;
  let db: Db;

  beforeAll(async () => {
    t = await createTestApp({ env: appEnv });
    db = t.database.db;
  });
  afterAll(() => t.close());

  describe("messages over HTTP", () => {
    test("POST answers 201 with the protocol's message shape", async () => {
      const inbox = await insertInbox(db, { handoffMode: "immediate" });
      const s = await okSession(t, { inbox: inbox.publicKey });
      const before = Date.now();
      const { res, data } = await send(t, s.token, { clientId: "c-001", body: "  Where is my parcel?  " });
      expect(res.status).toBe(201);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(Object.keys(data)).toEqual(["message"]);
      const m = data.message;
      expect(Object.keys(m).sort()).toEqual(["body", "clientId", "createdAt", "html", "id", "sender", "seq"]);
      expect(m).toEqual({ id: expect.stringMatching(UUID), seq: 1, clientId: "c-001", body: "Where is my parcel?", html: "<p>Where is my parcel?</p>", sender: "customer", createdAt: expect.any(String) });
      expect(new Date(m.createdAt).toISOString()).toBe(m.createdAt);
      expect(Date.parse(m.createdAt)).toBeGreaterThanOrEqual(before - 1000);
      const [row] = await db.select().from(messages).where(eq(messages.id, m.id));
      expect(row).toMatchObject({ seq: m.seq, clientId: "c-001", body: "Where is my parcel?", sender: "customer" });
    });

    test("the same clientId again answers 200 with the original message and stores it once", async () => {
      const inbox = await insertInbox(db, { handoffMode: "immediate" });
      const s = await okSession(t, { inbox: inbox.publicKey });
      const first = await send(t, s.token, { clientId: "retry-me", body: "Once only" });
      const again = await send(t, s.token, { clientId: "retry-me", body: "Once only" });
      expect(first.res.status).toBe(201);
      expect(again.res.status).toBe(200);
      expect(again.data.message).toEqual(first.data.message);
      const conversation = await conversationOf(db, inbox.id, s.contact.id);
      const rows = (await messageRows(db, conversation!.id)).filter((r) => r.clientId === "retry-me");
      expect(rows).toHaveLength(1);
      expect(conversation!.lastSeq).toBe(first.data.message.seq);
    });

    test("GET ?after=N returns exactly the messages after N, oldest first", async () => {
      const inbox = await insertInbox(db, { handoffMode: "immediate" });
      const s = await okSession(t, { inbox: inbox.publicKey });
      const sent: Json[] = [];
      for (let i = 1; i <= 5; i++) sent.push((await send(t, s.token, { clientId: `m-${i}`, body: `Message ${i}` })).data.message);
      const all = await fetchMessages(t, s.token);
      expect(all.res.status).toBe(200);
      expect(all.data.messages).toEqual(sent);
      expect(all.data.lastSeq).toBe(sent.at(-1)!.seq);
      expect(all.data.conversation).toMatchObject({ status: "queued", lastSeq: sent.at(-1)!.seq });

      for (const n of [0, sent[1]!.seq, sent.at(-1)!.seq]) {
        const { res, data } = await fetchMessages(t, s.token, `?after=${n}`);
        expect(res.status).toBe(200);
        expect(data.messages).toEqual(sent.filter((m) => m.seq > n));
        expect(data.lastSeq).toBe(sent.at(-1)!.seq);
      }
      // after must be a whole number >= 0.
      for (const bad of ["-1", "abc"]) {
        const { res } = await fetchMessages(t, s.token, `?after=${bad}`);
        expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
      }
    });

    test("an empty or too long body answers 400 empty / too_long and stores nothing", async () => {
      const inbox = await insertInbox(db, { handoffMode: "immediate" });
      const s = await okSession(t, { inbox: inbox.publicKey });
      // Before any conversation exists: a refused first message must not start one either.
      for (const [body, code] of [["", "empty"], ["   \n\t ", "empty"], ["x".repeat(5001), "too_long"]] as const) {
        const { res, data } = await send(t, s.token, { clientId: `bad-${code}-${body.length}`, body });
        expect({ code, status: res.status, got: data.error?.code }).toEqual({ code, status: 400, got: code });
      }
      expect(await conversationOf(db, inbox.id, s.contact.id)).toBeUndefined();
      expect(await countContacts(db, inbox.id)).toBe(0);

      const ok = await send(t, s.token, { clientId: "ok", body: "x".repeat(5000) });
      expect(ok.res.status).toBe(201);
      for (const [body, code] of [["", "empty"], ["x".repeat(5001), "too_long"]] as const) {
        const { res, data } = await send(t, s.token, { clientId: `later-${code}`, body });
        expect({ code, status: res.status, got: data.error?.code }).toEqual({ code, status: 400, got: code });
      }
      const conversation = await conversationOf(db, inbox.id, s.contact.id);
      expect((await messageRows(db, conversation!.id)).map((r) => r.clientId)).toEqual(["ok"]);
    });

    test("a missing, empty or too long clientId is refused and stores nothing", async () => {
      const inbox = await insertInbox(db, { handoffMode: "immediate" });
      const s = await okSession(t, { inbox: inbox.publicKey });
      const noClientId = await send(t, s.token, { body: "Hello" });
      expect(noClientId.res.status).toBe(400);
      for (const clientId of ["", "c".repeat(101)]) {
        const { res, data } = await send(t, s.token, { clientId, body: "Hello" });
        expect([res.status, data.error?.code]).toEqual([400, "bad_client_id"]);
      }
      expect(await conversationOf(db, inbox.id, s.contact.id)).toBeUndefined();
      expect((await send(t, s.token, { clientId: "c".repeat(100), body: "Hello" })).res.status).toBe(201);
    });
  });

  describe("origins", () => {
    test("an inbox with allowed origins accepts them, our own origin and server-to-server calls, and refuses others with 403", async () => {
      const inbox = await insertInbox(db, { allowedOrigins: ["https://shop.example"], handoffMode: "immediate" });
      const from = (origin?: string): Record<string, string> => (origin ? { origin } : {});

      for (const origin of ["https://shop.example", TEST_ORIGIN, undefined]) {
        const { res } = await session(t, { inbox: inbox.publicKey }, from(origin));
        expect({ origin, status: res.status }).toEqual({ origin, status: 200 });
      }
      for (const origin of ["https://evil.example", "https://shop.example.evil.example", "http://shop.example", "null"]) {
        const { res, data } = await session(t, { inbox: inbox.publicKey }, from(origin));
        expect({ origin, status: res.status, code: data.error?.code }).toEqual({ origin, status: 403, code: "origin_not_allowed" });
      }

      const s = await okSession(t, { inbox: inbox.publicKey });
      const evil = { origin: "https://evil.example" };
      const post = await send(t, s.token, { clientId: "evil", body: "From evil" }, evil);
      expect([post.res.status, post.data.error?.code]).toEqual([403, "origin_not_allowed"]);
      const get = await fetchMessages(t, s.token, "", evil);
      expect([get.res.status, get.data.error?.code]).toEqual([403, "origin_not_allowed"]);
      expect(await conversationOf(db, inbox.id, s.contact.id)).toBeUndefined();

      let i = 0;
      for (const origin of ["https://shop.example", TEST_ORIGIN, undefined]) {
        const sent = await send(t, s.token, { clientId: `ok-${i++}`, body: "Allowed" }, from(origin));
        expect({ origin, status: sent.res.status }).toEqual({ origin, status: 201 });
        expect((await fetchMessages(t, s.token, "", from(origin))).res.status).toBe(200);
      }
      const conversation = await conversationOf(db, inbox.id, s.contact.id);
      expect((await messageRows(db, conversation!.id)).map((r) => r.clientId)).toEqual(["ok-0", "ok-1", "ok-2"]);
    });

    test("an inbox without allowed origins can be embedded anywhere", async () => {
      const inbox = await insertInbox(db);
      const { res } = await session(t, { inbox: inbox.publicKey }, { origin: "https://any-site.example" });
      expect(res.status).toBe(200);
    });
  });

  test("CORS preflight from another origin answers 204 with that origin and the allowed headers", async () => {
    const res = await t.request("/api/v1/widget/session", {
      method: "OPTIONS",
      headers: {
        origin: "https://customer-site.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type, authorization",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://customer-site.example");
    const allowHeaders = (res.headers.get("access-control-allow-headers") ?? "").toLowerCase().split(/\s*,\s*/);
    expect(allowHeaders).toContain("authorization");
    expect(allowHeaders).toContain("content-type");
    expect(res.headers.get("access-control-allow-methods") ?? "").toContain("POST");
    // The actual cross-origin response carries the header as well, so the browser lets the page read it.
    const inbox = await insertInbox(db);
    const { res: actual } = await session(t, { inbox: inbox.publicKey }, { origin: "https://customer-site.example" });
    expect(actual.status).toBe(200);
    expect(actual.headers.get("access-control-allow-origin")).toBe("https://customer-site.example");
  });
});
