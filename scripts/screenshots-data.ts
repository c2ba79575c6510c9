// The demo data of `npm run screenshots`: a small outdoor shop's team and a morning of customers,
// made over HTTP the way the pages and the widget make them (no database access, no test hooks).
import { createHmac } from "node:crypto";
import { expect, type APIRequestContext } from "@playwright/test";

export const MAYA = { name: "Maya Chen", email: "maya@trailgear.example", password: "screenshots only 1" };
export const JONAS = { name: "Jonas Weber", email: "jonas@trailgear.example", password: "screenshots only 2" };

/** A signed-in agent over HTTP: the verbs the inbox's buttons post. */
export function agentApi(request: APIRequestContext, base: string) {
  const headers = { origin: new URL(base).origin };
  const post = async (path: string, form: Record<string, string> = {}) => {
    const res = await request.post(path, { form, headers, maxRedirects: 0 });
    expect(res.status(), `${path}: ${res.status()}`).toBeLessThan(400);
    return res;
  };
  return {
    post,
    claim: (id: string) => post(`/inbox/c/${id}/claim`),
    reply: (id: string, body: string) => post(`/inbox/c/${id}/messages`, { body, clientId: crypto.randomUUID() }),
    close: (id: string) => post(`/inbox/c/${id}/close`),
    ticket: (conversationId: string, subject: string, priority: string, status = "open") =>
      post("/tickets", { conversationId, subject, description: "", priority, status, assigneeId: "" }),
  };
}

export type Agent = ReturnType<typeof agentApi>;

/** The first admin through /setup (which signs her in), then Jonas through an invite. */
export async function makeTeam(maya: APIRequestContext, jonas: APIRequestContext, base: string): Promise<{ maya: Agent; jonas: Agent }> {
  const headers = { origin: new URL(base).origin };
  expect((await maya.post("/setup", { form: MAYA, headers, maxRedirects: 0 })).status()).toBe(303);
  // Signing in as well: an older build's /setup did not.
  await maya.post("/login", { form: { email: MAYA.email, password: MAYA.password }, headers, maxRedirects: 0 });
  const invited = await (await maya.post("/settings/agents/invites", { form: { email: JONAS.email, role: "agent" }, headers })).text();
  const link = /\/invites\/[A-Za-z0-9_-]{43}/.exec(invited)![0];
  await jonas.post(link, { form: { name: JONAS.name, password: JONAS.password }, headers, maxRedirects: 0 });
  return { maya: agentApi(maya, base), jonas: agentApi(jonas, base) };
}

/** The default inbox's key (as /demo embeds it) and, if the settings page shows it, its identity secret. */
export async function inboxOf(admin: APIRequestContext): Promise<{ key: string; secret: string | null }> {
  const key = /data-inbox="([^"]+)"/.exec(await (await admin.get("/demo")).text())![1]!;
  const settings = await (await admin.get("/settings")).text();
  const edit = /href="(\/settings\/inboxes\/[0-9a-f-]{36})"/.exec(settings)?.[1];
  const page = edit ? await (await admin.get(edit)).text() : "";
  return { key, secret: /class="secret-value">\s*([^<\s]+)\s*</.exec(page)?.[1] ?? null };
}

export interface Customer {
  name: string;
  email: string;
  says: string[];
  /** The browser they write from, as the contact panel shows it. */
  browser?: string;
}

const BROWSERS = {
  safariMac: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
  chromeWindows: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  firefoxLinux: "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
  safariIphone: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
};

/**
 * A customer writes from the shop's site (a widget session of their own). Named by the site
 * (identity hash) when the secret is known, else an anonymous visitor. Returns the conversation
 * and a way to write more.
 */
export async function customerWrites(request: APIRequestContext, inbox: { key: string; secret: string | null }, customer: Customer) {
  const id = customer.email;
  const user = inbox.secret ? { id, hash: createHmac("sha256", inbox.secret).update(id).digest("hex"), name: customer.name, email: customer.email } : undefined;
  const session = await request.post("/api/v1/widget/session", {
    data: { inbox: inbox.key, page: "https://trailgear.example/products/alpine-45", ...(user ? { user } : {}) },
    headers: { "user-agent": customer.browser ?? BROWSERS.chromeWindows },
  });
  expect(session.status()).toBe(200);
  const auth = { authorization: `Bearer ${((await session.json()) as { token: string }).token}` };
  const say = async (body: string) => {
    const res = await request.post("/api/v1/widget/messages", { data: { clientId: crypto.randomUUID(), body }, headers: auth });
    expect(res.status()).toBe(201);
  };
  for (const line of customer.says) await say(line);
  const history = (await (await request.get("/api/v1/widget/messages", { headers: auth })).json()) as { conversation: { id: string } };
  // Handed to the team, as "Talk to a human" does.
  await request.post("/api/v1/widget/handoff", { headers: auth });
  return { conversationId: history.conversation.id, say };
}

/** A morning at the shop: answered, closed, waiting, and one that became a ticket. */
export async function morningAtTheShop(request: APIRequestContext, team: { maya: Agent; jonas: Agent }, inbox: { key: string; secret: string | null }) {
  const noah = await customerWrites(request, inbox, { name: "Noah Fischer", email: "noah.fischer@example.com", says: ["Is the Summit 2 tent available in green?"], browser: BROWSERS.firefoxLinux });
  await team.jonas.claim(noah.conversationId);
  await team.jonas.reply(noah.conversationId, "Hi Noah! Yes, in forest green. It is back in stock since Monday.");
  await noah.say("Great, ordered it. Thanks!");
  await team.jonas.close(noah.conversationId);

  const sofia = await customerWrites(request, inbox, { name: "Sofia Rossi", email: "sofia.rossi@example.com", says: ["Can I change the size of my order #48190? M instead of L."], browser: BROWSERS.safariIphone });
  await team.maya.claim(sofia.conversationId);
  await team.maya.reply(sofia.conversationId, "Done, Sofia: it ships in M today.");
  await team.maya.close(sofia.conversationId);

  const aiko = await customerWrites(request, inbox, {
    name: "Aiko Tanaka",
    email: "aiko.tanaka@example.com",
    says: ["The zipper of my Summit 2 tent broke on the first night.", "Can I send it back? I used it once."],
    browser: BROWSERS.safariIphone,
  });
  await team.jonas.claim(aiko.conversationId);
  await team.jonas.reply(aiko.conversationId, "I am sorry, Aiko! That is covered by the warranty. I opened a ticket and will email you a free return label today.");
  await team.jonas.ticket(aiko.conversationId, "Summit 2 tent: zipper broke on first use", "high");

  const emma = await customerWrites(request, inbox, {
    name: "Emma Larsen",
    email: "emma.larsen@example.com",
    says: ["Hi! I ordered the Alpine 45 backpack last Tuesday (order #48213).", "The tracking has not moved since Friday. Is it lost?"],
    browser: BROWSERS.safariMac,
  });
  await team.maya.claim(emma.conversationId);
  await team.maya.reply(emma.conversationId, "Hi Emma, sorry for the wait! I checked with the carrier: your parcel is at the Oslo depot.");
  await team.maya.reply(emma.conversationId, "It goes out for delivery **tomorrow morning**. I will keep an eye on it.");
  await emma.say("Perfect, thank you so much!");
  await team.maya.ticket(emma.conversationId, "Carrier delay at Oslo depot: check order #48213", "normal", "pending");

  await customerWrites(request, inbox, { name: "Lucas Moreau", email: "lucas.moreau@example.com", says: ["Do the Ridge trail shoes run small? I usually wear a 43."] });
  await customerWrites(request, inbox, { name: "Olivia Brown", email: "olivia.brown@example.com", says: ["Hello! Do you ship to Iceland?"] });
  return { emma: emma.conversationId, aiko: aiko.conversationId };
}
