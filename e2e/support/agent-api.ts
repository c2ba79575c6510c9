import { expect, type APIRequestContext, type Browser, type Page } from "@playwright/test";

export const ADMIN = { name: "Ana Admin", email: "ana@example.com", password: "a long enough password" };

/**
 * An agent driven over HTTP, as the inbox's forms and buttons would (the inbox UI has tests of
 * its own). Creates the first admin if this install has none yet.
 */
export async function signedInAgent(request: APIRequestContext, baseURL: string) {
  const origin = new URL(baseURL).origin;
  const headers = { origin };
  const setup = await request.get("/setup", { maxRedirects: 0 });
  if (setup.status() === 200) {
    await request.post("/setup", { form: { name: ADMIN.name, email: ADMIN.email, password: ADMIN.password }, headers, maxRedirects: 0 });
  }
  const login = await request.post("/login", { form: { email: ADMIN.email, password: ADMIN.password }, headers, maxRedirects: 0 });
  expect(login.status()).toBe(303);

  const post = async (path: string, form: Record<string, string> = {}) => {
    const res = await request.post(path, { form, headers, maxRedirects: 0 });
    expect(res.status(), `${path}: ${await res.text()}`).toBeLessThan(300);
    return res;
  };
  return {
    /** Conversation ids in a tab, newest activity first. */
    async tab(tab: "queue" | "mine" | "open" | "closed", search?: string): Promise<string[]> {
      const html = await (await request.get("/inbox/list", { params: { tab, ...(search ? { q: search } : {}) } })).text();
      return [...html.matchAll(/id="conv-row-([0-9a-f-]{36})"/g)].map((m) => m[1]!);
    },
    /**
     * The open conversation whose transcript holds this text (the inbox's search, newest first),
     * waiting for it: a message written before the socket was up may still be on its way when
     * the handoff, sent over HTTP, has already queued the conversation.
     */
    async conversationWith(text: string): Promise<string | undefined> {
      let id: string | undefined;
      await expect.poll(async () => (id = (await this.tab("open", text))[0]), { timeout: 10_000 }).toBeTruthy();
      return id;
    },
    /** The first inbox's identity secret, from its settings page, as the shop's developer reads it. */
    async identitySecret(): Promise<string> {
      const settings = await (await request.get("/settings")).text();
      const editPath = settings.match(/href="(\/settings\/inboxes\/[0-9a-f-]{36})"/)![1]!;
      return (await (await request.get(editPath)).text()).match(/<code class="secret-value">\s*([^<\s]+)\s*<\/code>/)![1]!;
    },
    claim: (id: string) => post(`/inbox/c/${id}/claim`),
    close: (id: string) => post(`/inbox/c/${id}/close`),
    viewed: (id: string, seq: number) => post(`/inbox/c/${id}/viewed`, { seq: String(seq) }),
    reply: (id: string, body: string) => post(`/inbox/c/${id}/messages`, { body, clientId: crypto.randomUUID() }),
    /** The conversation pane's HTML (its transcript). */
    pane: async (id: string) => (await request.get(`/inbox/c/${id}`)).text(),
    /** The default inbox's public key, as /demo shows it. */
    async defaultInboxKey(): Promise<string> {
      const html = await (await request.get("/demo")).text();
      return html.match(/data-inbox="([^"]+)"/)![1]!;
    },
  };
}

/**
 * An agent online in a browser, following one conversation over the agents' socket as the inbox
 * page does: what it pushes is collected, and the agent can say they are typing.
 */
export async function agentOnline(browser: Browser, request: APIRequestContext, baseURL: string, conversationId: string) {
  const context = await browser.newContext({ storageState: await request.storageState(), baseURL });
  const page = await context.newPage();
  await page.goto("/inbox");
  await page.evaluate(
    (id) =>
      new Promise<void>((resolve) => {
        const w = window as unknown as { pushes: string[]; agentWs: WebSocket };
        w.pushes = [];
        w.agentWs = new WebSocket(location.origin.replace(/^http/, "ws") + "/ws/inbox");
        w.agentWs.onmessage = (e) => w.pushes.push(String(e.data));
        w.agentWs.onopen = () => {
          w.agentWs.send(JSON.stringify({ type: "view", conversation: id }));
          resolve();
        };
      }),
    conversationId,
  );
  return {
    /** The latest "customer is typing" partial's text, or null before any. */
    customerTyping: () =>
      page.evaluate((id) => {
        const last = (window as unknown as { pushes: string[] }).pushes.filter((p) => p.includes(`id="typing-${id}"`)).pop();
        return last === undefined ? null : (new DOMParser().parseFromString(last, "text/html").body.textContent ?? "").trim();
      }, conversationId),
    typing: (on: boolean) =>
      page.evaluate(([id, on]) => (window as unknown as { agentWs: WebSocket }).agentWs.send(JSON.stringify({ type: "typing", conversation: id, on })), [conversationId, on] as const),
    close: () => context.close(),
  };
}

/** The admin on `admin` invites `who` (Settings, Agents) and they accept: their page, signed in, on the live inbox. */
export async function invitedTeammate(browser: Browser, baseURL: string, admin: Page, who: { name: string; email: string; password: string }): Promise<Page> {
  await admin.goto("/settings/agents");
  await admin.getByLabel("Email").fill(who.email);
  await admin.getByLabel("Role").selectOption("agent");
  await admin.getByRole("button", { name: "Send invite" }).click();
  const link = await admin.getByLabel(/Invite link for/).inputValue();
  const page = await (await browser.newContext({ baseURL })).newPage();
  await page.goto(link);
  await page.getByLabel("Name").fill(who.name);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/inbox/);
  await expect(page.locator("#live-status")).toHaveAttribute("data-state", "live");
  return page;
}
