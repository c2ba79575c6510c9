// What the inbox settings tests share: an app with an admin (Ana) and an agent (Bo) signed in,
// a complete settings form, and the widget's side of a change (its session, messages, socket).
import { afterAll, beforeAll, expect } from "bun:test";
import { eq } from "drizzle-orm";
import { agents, inboxes } from "../db/schema/index.ts";
import { cookieFrom, createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import type { TestSocket } from "../testing/ws-client.ts";
import type { Inbox } from "./service.ts";

export type Json = Record<string, any>;
export type Form = Array<[string, string]>;

const PASSWORD = "12345678";

/** A complete, valid settings form; `overrides` replaces fields (FAQ rows as repeated fields). */
export function settingsForm(overrides: Partial<Record<string, string>> = {}, faq: Array<[string, string]> = [["refund, money back", "Refunds take 5 days."]]): Form {
  const fields: Record<string, string> = {
    name: "Shop help",
    greeting: "Welcome to the shop!",
    handoffMode: "bot",
    allowedOrigins: "https://shop.example\r\nhttps://www.shop.example/",
    color: "#0F766E",
    position: "left",
    requireIdentity: "on",
    ...overrides,
  };
  const form: Form = Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined);
  for (const [keywords, answer] of faq) form.push(["faqKeywords", keywords], ["faqAnswer", answer]);
  return form;
}

/**
 * The app of one describe block: call it there (it registers beforeAll and afterAll); `t`,
 * `base` and the cookies are set once beforeAll has run. Sockets pushed on `sockets` are closed.
 * `env`: the app's environment (SMTP_URL, ...).
 */
export function settingsTestApp(env: Record<string, string> = {}) {
  const state = { t: undefined as unknown as TestApp, base: "", adminCookie: "", agentCookie: "" };
  const sockets: TestSocket[] = [];
  const db = () => state.t.database.db;

  async function login(email: string) {
    const cookie = cookieFrom(await state.t.post("/login", { email, password: PASSWORD }), "sd_session");
    expect(cookie).not.toBeNull();
    return cookie!;
  }

  /** A form post as a browser on our own origin sends it (repeated fields kept). */
  function post(path: string, form: Form, cookie: string, headers: Record<string, string> = {}) {
    return state.t.request(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: TEST_ORIGIN, cookie, ...headers },
      body: new URLSearchParams(form).toString(),
    });
  }

  const get = (path: string, cookie: string) => state.t.request(path, { headers: { cookie } });

  let n = 0;
  async function newInbox(values: Partial<typeof inboxes.$inferInsert> = {}): Promise<Inbox> {
    n++;
    const [row] = await db()
      .insert(inboxes)
      .values({ name: `Inbox ${n}`, publicKey: `pk_settings_${n}_${crypto.randomUUID().slice(0, 8)}`, identitySecret: `secret-${crypto.randomUUID()}`, ...values })
      .returning();
    return row!;
  }

  const reload = async (id: string) => (await db().select().from(inboxes).where(eq(inboxes.id, id)))[0]!;

  async function widgetSession(body: Json): Promise<{ status: number; data: Json }> {
    const res = await state.t.request("/api/v1/widget/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: res.status, data: (await res.json()) as Json };
  }

  async function widgetSend(token: string, body: string) {
    const res = await state.t.request("/api/v1/widget/messages", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ clientId: crypto.randomUUID(), body }),
    });
    expect(res.status).toBe(201);
  }

  async function widgetMessages(token: string): Promise<Array<[string, string]>> {
    const res = await state.t.request("/api/v1/widget/messages", { headers: { authorization: `Bearer ${token}` } });
    const data = (await res.json()) as Json;
    return data.messages.map((m: Json) => [m.sender, m.body]);
  }

  beforeAll(async () => {
    state.t = await createTestApp({ env });
    state.base = state.t.listen();
    await state.t.post("/setup", { name: "Ana", email: "ana@example.com", password: PASSWORD });
    await db()
      .insert(agents)
      .values({ name: "Bo", email: "bo@example.com", role: "agent", passwordHash: await Bun.password.hash(PASSWORD) });
    state.adminCookie = await login("ana@example.com");
    state.agentCookie = await login("bo@example.com");
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await state.t.close();
  });

  return { state, sockets, db, post, get, newInbox, reload, widgetSession, widgetSend, widgetMessages };
}
