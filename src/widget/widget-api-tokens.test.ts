// The widget HTTP API: the visitor token is bound to one inbox and one contact, and expires; its
// locale claim.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { hmacHex } from "../auth/tokens.ts";
import type { Db } from "../db/database.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { signVisitorToken, verifyVisitorToken } from "./visitor-token.ts";
import { appEnv, call, conversationOf, DAY_MS, fetchMessages, flipChar, insertInbox, type Json, messageRows, mode, okSession, send } from "./widget-api-testing.ts";

describe(`widget HTTP API (${mode})`, () => {
  let t: TestApp;
  let db: Db;

  beforeAll(async () => {
    t = await createTestApp({ env: appEnv });
    db = t.database.db;
  });
  afterAll(() => t.close());

  describe("token binding", () => {
    test("a tampered token answers 401 unauthorized on GET and POST messages", async () => {
      const inbox = await insertInbox(db);
      const s = await okSession(t, { inbox: inbox.publicKey });
      expect((await send(t, s.token, { clientId: "genuine", body: "Genuine" })).res.status).toBe(201);
      const [version, payload, signature] = (s.token as string).split(".") as [string, string, string];
      const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
      const tampered = [
        `${version}.${flipChar(payload, 5, b64)}.${signature}`,
        `${version}.${flipChar(payload, payload.length - 3, b64)}.${signature}`,
        `${version}.${payload}.${flipChar(signature, 0, "0123456789abcdef")}`,
        `${version}.${payload}.${flipChar(signature, signature.length - 1, "0123456789abcdef")}`,
        `v2.${payload}.${signature}`,
        `${version}.${payload}`,
        "garbage",
      ];
      const rowsBefore = (await messageRows(db, (await conversationOf(db, inbox.id, s.contact.id))!.id)).length;
      for (const token of tampered) {
        const get = await fetchMessages(t, token);
        expect({ token, status: get.res.status, code: get.data.error?.code }).toEqual({ token, status: 401, code: "unauthorized" });
        const post = await send(t, token, { clientId: `t-${token.length}`, body: "Tampered" });
        expect({ token, status: post.res.status, code: post.data.error?.code }).toEqual({ token, status: 401, code: "unauthorized" });
      }
      expect((await messageRows(db, (await conversationOf(db, inbox.id, s.contact.id))!.id)).length).toBe(rowsBefore);
      // No token, or not as a Bearer, is the same.
      expect((await call(t, "/api/v1/widget/messages")).res.status).toBe(401);
      expect((await call(t, "/api/v1/widget/messages", { headers: { authorization: s.token } })).res.status).toBe(401);
    });

    test("an expired token answers 401 unauthorized; one that expires later still works", async () => {
      const inbox = await insertInbox(db);
      const s = await okSession(t, { inbox: inbox.publicKey });
      const claims = { inboxId: inbox.id, contactId: s.contact.id };
      const expired = signVisitorToken(t.ctx.sessionSecret, claims, Date.now() - 31 * DAY_MS);
      const get = await fetchMessages(t, expired);
      expect([get.res.status, get.data.error?.code]).toEqual([401, "unauthorized"]);
      const post = await send(t, expired, { clientId: "late", body: "Too late" });
      expect([post.res.status, post.data.error?.code]).toEqual([401, "unauthorized"]);
      expect(await conversationOf(db, inbox.id, s.contact.id)).toBeUndefined();
      // Signed 29 days ago it has a day left.
      const fresh = signVisitorToken(t.ctx.sessionSecret, claims, Date.now() - 29 * DAY_MS);
      expect((await fetchMessages(t, fresh)).res.status).toBe(200);
      // An expired token given to session is no returning visitor: a new contact starts.
      const renewed = await okSession(t, { inbox: inbox.publicKey, token: expired });
      expect(renewed.contact.id).not.toBe(s.contact.id);
    });

    test("a token signed with another secret answers 401", async () => {
      const inbox = await insertInbox(db);
      const s = await okSession(t, { inbox: inbox.publicKey });
      const foreign = signVisitorToken("another-deployment-secret-0123456789", { inboxId: inbox.id, contactId: s.contact.id });
      expect((await fetchMessages(t, foreign)).res.status).toBe(401);
      expect((await send(t, foreign, { clientId: "f", body: "Foreign" })).res.status).toBe(401);
    });

    // BUG: src/widget/service.ts visitorFromToken() accepts any signed {inboxId, contactId} pair without
    // checking that the contact (when it exists) belongs to that inbox; GET answers 200 and POST 201,
    // and contacts.ensureContact() (src/contacts/queries.ts) silently keeps the other inbox's row, so a
    // conversation of inbox A is created for a contact of inbox B. Expected: 401 unauthorized, nothing stored.
    test("a token binding one inbox to another inbox's contact answers 401 unauthorized", async () => {
      const inboxA = await insertInbox(db);
      const inboxB = await insertInbox(db);
      const b = await okSession(t, { inbox: inboxB.publicKey });
      expect((await send(t, b.token, { clientId: "b-1", body: "I belong to inbox B" })).res.status).toBe(201);
      const crossed = signVisitorToken(t.ctx.sessionSecret, { inboxId: inboxA.id, contactId: b.contact.id });
      const get = await fetchMessages(t, crossed);
      expect([get.res.status, get.data.error?.code]).toEqual([401, "unauthorized"]);
      const post = await send(t, crossed, { clientId: "x-1", body: "Crossed" });
      expect([post.res.status, post.data.error?.code]).toEqual([401, "unauthorized"]);
      expect(await conversationOf(db, inboxA.id, b.contact.id)).toBeUndefined();
    });

    test("a session for another inbox does not continue a visitor of this one", async () => {
      const inboxA = await insertInbox(db);
      const inboxB = await insertInbox(db);
      const a = await okSession(t, { inbox: inboxA.publicKey });
      expect((await send(t, a.token, { clientId: "a-1", body: "In A" })).res.status).toBe(201);
      const b = await okSession(t, { inbox: inboxB.publicKey, token: a.token });
      expect(b.contact.id).not.toBe(a.contact.id);
      expect(b.conversation).toBeNull();
      expect(b.messages).toEqual([]);
    });
  });
});

describe("the visitor token's locale claim", () => {
  const secret = "visitor-token-test-secret-0123456789";
  const claims = { inboxId: crypto.randomUUID(), contactId: crypto.randomUUID() };
  const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as Json;

  test("a signed locale comes back from verify, as the claim l", () => {
    const token = signVisitorToken(secret, { ...claims, locale: "de" });
    expect(payloadOf(token).l).toBe("de");
    expect(verifyVisitorToken(secret, token)).toMatchObject({ ...claims, locale: "de" });
  });

  test("a token without l still verifies, with locale en", () => {
    const token = signVisitorToken(secret, claims);
    expect(payloadOf(token)).not.toHaveProperty("l");
    expect(verifyVisitorToken(secret, token)).toMatchObject({ ...claims, locale: "en" });
  });

  test("a genuine token with an unknown or malformed l verifies, with locale en", () => {
    for (const l of ["fr", "de-AT", "DE", 7, null]) {
      const payload = Buffer.from(JSON.stringify({ i: claims.inboxId, c: claims.contactId, l, x: Date.now() + 60_000 })).toString("base64url");
      const token = `v1.${payload}.${hmacHex(secret, `visitor-token.v1.${payload}`)}`;
      expect({ l, claims: verifyVisitorToken(secret, token) }).toEqual({ l, claims: { ...claims, locale: "en", expiresAt: expect.any(Number) } });
    }
  });
});
