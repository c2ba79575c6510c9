// Identity tokens (docs/widget-protocol.md, Identity): a site proves a signed-in user with an HS256
// JWT signed with the inbox's identity secret, which vouches for the id (`sub`), the email and the
// name until it expires. Anything else is refused with identity_invalid and writes nothing; the
// HMAC `hash` keeps working beside it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { count, eq } from "drizzle-orm";
import { generateKeyPair, SignJWT } from "jose";
import type { Db } from "../db/database.ts";
import { contacts, inboxes } from "../db/schema/index.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { identifiedUser, identityHash, IdentityRefused } from "./identity.ts";
import { verifyVisitorToken, VISITOR_TOKEN_LIFETIME_MS } from "./visitor-token.ts";

type Json = Record<string, any>;

const secretKey = (secret: string) => new TextEncoder().encode(secret);
const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** What the site's server does (the README's example): sub, email and name, expiring in 10 minutes. */
function signToken(secret: string, claims: Record<string, unknown>, options: { alg?: string; expiresIn?: string | number | null; sub?: string | null } = {}) {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: options.alg ?? "HS256", typ: "JWT" });
  if (options.sub !== null) jwt.setSubject(options.sub ?? "user-42");
  if (options.expiresIn !== null) jwt.setExpirationTime(options.expiresIn ?? "10m");
  return jwt.sign(secretKey(secret));
}

describe(`identity tokens (${storageMode})`, () => {
  let t: TestApp;
  let db: Db;
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.database.db;
  });
  afterAll(() => t.close());

  async function newInbox(values: Partial<typeof inboxes.$inferInsert> = {}) {
    n++;
    const [row] = await db
      .insert(inboxes)
      .values({ name: `Shop ${n}`, publicKey: `pk_jwt_${n}_${crypto.randomUUID().slice(0, 8)}`, identitySecret: `identity-secret-${crypto.randomUUID()}`, ...values })
      .returning();
    return row!;
  }

  async function session(body: Json): Promise<{ status: number; data: Json }> {
    const res = await t.request("/api/v1/widget/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: res.status, data: (await res.json()) as Json };
  }

  async function okSession(body: Json): Promise<Json> {
    const { status, data } = await session(body);
    expect({ status, error: data.error }).toEqual({ status: 200, error: undefined });
    return data;
  }

  const contactRow = async (id: string) => (await db.select().from(contacts).where(eq(contacts.id, id)))[0]!;
  const countContacts = async (inboxId: string) => (await db.select({ n: count() }).from(contacts).where(eq(contacts.inboxId, inboxId)))[0]!.n;

  test("a valid token identifies the contact as its sub and makes its email and name verified", async () => {
    const inbox = await newInbox();
    const token = await signToken(inbox.identitySecret, { email: "ada@example.com", name: "Ada Lovelace" }, { sub: "user-42" });
    const data = await okSession({ inbox: inbox.publicKey, user: { token } });
    expect(data.contact).toMatchObject({ name: "Ada Lovelace", email: "ada@example.com", verified: true });
    expect(await contactRow(data.contact.id)).toMatchObject({ inboxId: inbox.id, externalId: "user-42", email: "ada@example.com", emailVerified: true, name: "Ada Lovelace" });

    // The same user with a hash (another page of the site) is the same contact.
    const again = await okSession({ inbox: inbox.publicKey, user: { id: "user-42", hash: identityHash(inbox.identitySecret, "user-42") } });
    expect(again.contact.id).toBe(data.contact.id);
    // With an id beside the token that agrees, and with unsigned fields beside it: the token's claims win.
    const withId = await okSession({ inbox: inbox.publicKey, user: { id: "user-42", token, email: "typed@example.com", name: "Typed" } });
    expect(withId.contact).toMatchObject({ id: data.contact.id, email: "ada@example.com", name: "Ada Lovelace" });
    expect((await contactRow(data.contact.id)).emailVerified).toBe(true);
  });

  test("the visitor token of a session started with an identity token expires with it; a hash session keeps 30 days", async () => {
    const inbox = await newInbox();
    const exp = nowSeconds() + 120;
    const token = await signToken(inbox.identitySecret, {}, { sub: "user-9", expiresIn: exp });
    const data = await okSession({ inbox: inbox.publicKey, user: { token } });
    const claims = verifyVisitorToken(t.ctx.sessionSecret, data.token)!;
    expect(claims.expiresAt).toBe(exp * 1000);
    // Once the identity token has expired, what it started is refused too.
    expect(verifyVisitorToken(t.ctx.sessionSecret, data.token, exp * 1000 + 1)).toBeNull();
    const hashed = await okSession({ inbox: inbox.publicKey, user: { id: "user-9", hash: identityHash(inbox.identitySecret, "user-9") } });
    expect(verifyVisitorToken(t.ctx.sessionSecret, hashed.token)!.expiresAt).toBeGreaterThan(Date.now() + VISITOR_TOKEN_LIFETIME_MS - 60_000);
  });

  test("the hash still identifies a user, and an email that comes without a signature is not verified", async () => {
    const inbox = await newInbox();
    const hashed = { id: "user-7", hash: identityHash(inbox.identitySecret, "user-7") };
    const first = await okSession({ inbox: inbox.publicKey, user: { ...hashed, email: "bo@example.com", name: "Bo" } });
    expect(first.contact).toMatchObject({ name: "Bo", email: "bo@example.com", verified: true });
    expect(await contactRow(first.contact.id)).toMatchObject({ externalId: "user-7", email: "bo@example.com", emailVerified: false });

    // A token signs the same address: verified from now on, also when a hash session repeats it (any case).
    await okSession({ inbox: inbox.publicKey, user: { token: await signToken(inbox.identitySecret, { email: "bo@example.com" }, { sub: "user-7" }) } });
    expect((await contactRow(first.contact.id)).emailVerified).toBe(true);
    await okSession({ inbox: inbox.publicKey, user: { ...hashed, email: "Bo@Example.com" } });
    expect(await contactRow(first.contact.id)).toMatchObject({ email: "Bo@Example.com", emailVerified: true });
    // Without an email nothing changes; another unsigned address replaces it, unverified.
    await okSession({ inbox: inbox.publicKey, user: hashed });
    expect((await contactRow(first.contact.id)).emailVerified).toBe(true);
    await okSession({ inbox: inbox.publicKey, user: { ...hashed, email: "someone-else@example.com" } });
    expect(await contactRow(first.contact.id)).toMatchObject({ email: "someone-else@example.com", emailVerified: false });
    // A token without an email takes the unsigned one beside it, unverified.
    const bare = await signToken(inbox.identitySecret, {}, { sub: "user-7" });
    await okSession({ inbox: inbox.publicKey, user: { token: bare, email: "bo@example.com" } });
    expect(await contactRow(first.contact.id)).toMatchObject({ email: "bo@example.com", emailVerified: false });
  });

  test("forged, expired, another inbox's, unsigned (alg none), HS512, RS256 and malformed tokens answer 401 identity_invalid and write nothing", async () => {
    const inbox = await newInbox();
    const other = await newInbox();
    const secret = inbox.identitySecret;
    const good = await signToken(secret, { email: "ada@example.com", name: "Ada" });
    const [header, payload, signature] = good.split(".") as [string, string, string];
    const { privateKey } = await generateKeyPair("RS256");
    const rs256 = await new SignJWT({}).setProtectedHeader({ alg: "RS256" }).setSubject("user-42").setExpirationTime("10m").sign(privateKey);
    const claims = { sub: "user-42", exp: nowSeconds() + 600, email: "ada@example.com" };
    const cases: Array<[string, Json, RegExp]> = [
      ["a changed signature", { token: `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith("AA") ? "BA" : "AA"}` }, /signature does not match/],
      ["a payload changed after signing", { token: `${header}.${b64url({ ...claims, sub: "admin" })}.${signature}` }, /signature does not match/],
      ["expired a minute ago", { token: await signToken(secret, {}, { expiresIn: nowSeconds() - 60 }) }, /expired/],
      ["signed with another inbox's secret", { token: await signToken(other.identitySecret, { email: "ada@example.com" }) }, /signature does not match/],
      ["alg none, no signature", { token: `${b64url({ alg: "none", typ: "JWT" })}.${b64url(claims)}.` }, /HS256/],
      ["alg none with the real signature", { token: `${b64url({ alg: "none" })}.${payload}.${signature}` }, /HS256/],
      ["HS512 with the right secret", { token: await signToken(secret, {}, { alg: "HS512" }) }, /HS256/],
      ["RS256", { token: rs256 }, /HS256/],
      ["no sub", { token: await signToken(secret, { email: "ada@example.com" }, { sub: null }) }, /"sub"/],
      ["no exp", { token: await signToken(secret, {}, { expiresIn: null }) }, /"exp"/],
      ["exp not a number", { token: await signToken(secret, { exp: "tomorrow" }, { expiresIn: null }) }, /"exp"/],
      ["a sub other than user.id", { id: "user-43", token: good }, /does not match the identity token's sub/],
      ["a wrong hash beside the token", { token: good, hash: identityHash(secret, "user-43") }, /hash does not match/],
      ["a sub too long", { token: await signToken(secret, {}, { sub: "u".repeat(201) }) }, /"sub" is longer than 200/],
      ["an email too long", { token: await signToken(secret, { email: `${"e".repeat(320)}@example.com` }) }, /"email" is longer than 320/],
      ["a name too long", { token: await signToken(secret, { name: "n".repeat(201) }) }, /"name" is longer than 200/],
      ["an email that is not one", { token: await signToken(secret, { email: "not an address" }) }, /"email" is not an email address/],
      ["a sub that is a number", { token: await signToken(secret, { sub: 42 }, { sub: null }) }, /"sub" must be a string/],
      ["a NUL in the name", { token: await signToken(secret, { name: "Ada\u0000" }) }, /control characters/],
      ["not a JWT", { token: "not.a.jwt" }, /not a valid JWT/],
    ];
    for (const [what, user, message] of cases) {
      const { status, data } = await session({ inbox: inbox.publicKey, user });
      expect({ what, status, code: data.error?.code }).toEqual({ what, status: 401, code: "identity_invalid" });
      expect({ what, message: data.error.message }).toEqual({ what, message: expect.stringMatching(message) });
    }
    // Past the body's limit the request itself is refused.
    expect((await session({ inbox: inbox.publicKey, user: { token: "x".repeat(4097) } })).status).toBe(400);
    expect(await countContacts(inbox.id)).toBe(0);
    // The genuine token works (and the other inbox's token works in its own inbox).
    expect((await okSession({ inbox: inbox.publicKey, user: { token: good } })).contact.verified).toBe(true);
    expect((await okSession({ inbox: other.publicKey, user: { token: await signToken(other.identitySecret, {}) } })).contact.verified).toBe(true);
  });

  test("an inbox that requires identity accepts a token as well as a hash, and refuses an expired token", async () => {
    const inbox = await newInbox({ requireIdentity: true });
    expect((await session({ inbox: inbox.publicKey })).data.error.code).toBe("identity_required");
    const expired = await signToken(inbox.identitySecret, {}, { sub: "member-1", expiresIn: nowSeconds() - 1 });
    expect((await session({ inbox: inbox.publicKey, user: { token: expired } })).data.error.code).toBe("identity_invalid");
    const byToken = await okSession({ inbox: inbox.publicKey, user: { token: await signToken(inbox.identitySecret, {}, { sub: "member-1" }) } });
    const byHash = await okSession({ inbox: inbox.publicKey, user: { id: "member-1", hash: identityHash(inbox.identitySecret, "member-1") } });
    expect(byHash.contact.id).toBe(byToken.contact.id);
    const sent = await t.request("/api/v1/widget/messages", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${byToken.token}` },
      body: JSON.stringify({ clientId: "m-1", body: "Signed in with a token" }),
    });
    expect(sent.status).toBe(201);
  });

  test("an anonymous visitor who wrote first and then signs in with a token keeps their conversation, with the signed email", async () => {
    const inbox = await newInbox();
    const anon = await okSession({ inbox: inbox.publicKey });
    const sent = await t.request("/api/v1/widget/away", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${anon.token}` },
      body: JSON.stringify({ email: "cy@example.com" }),
    });
    expect(sent.status).toBe(200);
    expect(await contactRow(anon.contact.id)).toMatchObject({ email: "cy@example.com", emailVerified: false });

    const token = await signToken(inbox.identitySecret, { email: "cy@example.com", name: "Cy" }, { sub: "user-99" });
    const signedIn = await okSession({ inbox: inbox.publicKey, token: anon.token, user: { token } });
    expect(signedIn.contact).toMatchObject({ id: anon.contact.id, name: "Cy", email: "cy@example.com", verified: true });
    expect(signedIn.conversation).not.toBeNull();
    expect(await contactRow(anon.contact.id)).toMatchObject({ externalId: "user-99", emailVerified: true });

    // An address the visitor types later (the away form) is theirs to give, but not signed.
    const typed = await t.request("/api/v1/widget/away", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${signedIn.token}` },
      body: JSON.stringify({ email: "cy.private@example.com" }),
    });
    expect(typed.status).toBe(200);
    expect(await contactRow(anon.contact.id)).toMatchObject({ email: "cy.private@example.com", emailVerified: false });
  });
});

describe("identity tokens, without the app (injected clock)", () => {
  const secret = "s3cr3t-identity";

  test("a token is accepted until its exp and refused from then on", async () => {
    const exp = 2_000_000_000;
    const token = await new SignJWT({ email: "ada@example.com" }).setProtectedHeader({ alg: "HS256" }).setSubject("user-42").setExpirationTime(exp).sign(secretKey(secret));
    const before = new Date((exp - 1) * 1000);
    expect(await identifiedUser(secret, { token }, before)).toEqual({ id: "user-42", email: "ada@example.com", name: null, emailVerified: true, proofExpiresAt: exp * 1000 });
    for (const at of [exp, exp + 3600]) {
      const refusal = await identifiedUser(secret, { token }, new Date(at * 1000)).catch((err: unknown) => err);
      expect(refusal).toBeInstanceOf(IdentityRefused);
      expect((refusal as Error).message).toContain("expired");
    }
  });

  test("the check value in docs/widget-protocol.md verifies", async () => {
    const docs = await Bun.file(`${import.meta.dir}/../../docs/widget-protocol.md`).text();
    const token = docs.match(/`(eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9\.[\w-]+\.[\w-]+)`/)?.[1];
    expect(token).toBeDefined();
    expect(await identifiedUser(secret, { token: token! }, new Date(1_900_000_000_000))).toMatchObject({ id: "user-42", email: "ada@example.com", name: "Ada", emailVerified: true });
  });

  test("a token that is not valid yet (nbf) is refused", async () => {
    const token = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject("u").setNotBefore(2_000_000_000).setExpirationTime(2_000_003_600).sign(secretKey(secret));
    const refusal = await identifiedUser(secret, { token }, new Date(1_999_999_000 * 1000)).catch((err: unknown) => err);
    expect((refusal as Error).message).toContain("not valid yet");
  });
});
