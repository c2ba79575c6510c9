import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { conversations, messages } from "../db/schema/index.ts";
import { customerWrites, signedInTeam, type InboxRow } from "../testing/fixtures.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";

describe(`the agents' conversation routes (${storageMode})`, () => {
  let t: TestApp;
  let ana: string;
  let ben: string;
  let benId: string;
  let inbox: InboxRow;

  beforeAll(async () => {
    t = await createTestApp();
    const team = await signedInTeam(t, { name: "Help", publicKey: "pk_routes", handoffMode: "immediate" });
    ({ inbox } = team);
    [ana, ben, benId] = [team.ana.cookie, team.ben.cookie, team.ben.id];
  });
  afterAll(() => t.close());

  const waiting = (body = "help me") => customerWrites(t, inbox, body);

  test("the second agent to claim is told who took it, and nothing changes", async () => {
    const id = await waiting();
    const first = await t.post(`/inbox/c/${id}/claim`, {}, { cookie: ana });
    expect(first.status).toBe(200);
    expect(await first.text()).toContain("Assigned to Ana");
    const late = await t.post(`/inbox/c/${id}/claim`, {}, { cookie: ben });
    expect(late.status).toBe(409);
    expect(await late.text()).toContain("Already taken by Ana");
    const [row] = await t.database.db.select().from(conversations).where(eq(conversations.id, id));
    expect(row!.assigneeId).not.toBe(benId);
  });

  test("assign, unassign, close, reopen and reply answer with the new state; refusals say why", async () => {
    const id = await waiting();
    expect(await (await t.post(`/inbox/c/${id}/assign`, { agentId: benId }, { cookie: ana })).text()).toContain("Assigned to Ben");
    expect(await (await t.post(`/inbox/c/${id}/unassign`, {}, { cookie: ana })).text()).toContain("Waiting in the queue");
    const notAssigned = await t.post(`/inbox/c/${id}/unassign`, {}, { cookie: ana });
    expect(notAssigned.status).toBe(409);
    expect(await notAssigned.text()).toContain("not assigned");
    expect((await t.post(`/inbox/c/${id}/assign`, { agentId: "nobody" }, { cookie: ana })).status).toBe(422);
    expect(await (await t.post(`/inbox/c/${id}/close`, {}, { cookie: ana })).text()).toContain("Closed");
    const closedReply = await t.post(`/inbox/c/${id}/messages`, { body: "hello?", clientId: "late" }, { cookie: ana });
    expect(closedReply.status).toBe(409);
    expect(await closedReply.text()).toContain("Reopen it first");
    expect(await (await t.post(`/inbox/c/${id}/reopen`, {}, { cookie: ben })).text()).toContain("Assigned to Ben");

    const reply = await t.post(`/inbox/c/${id}/messages`, { body: "On it <b>now</b>", clientId: "r1" }, { cookie: ben });
    expect(reply.status).toBe(201);
    const html = await reply.text();
    expect(html).toContain("On it &lt;b&gt;now&lt;/b&gt;");
    const again = await t.post(`/inbox/c/${id}/messages`, { body: "On it <b>now</b>", clientId: "r1" }, { cookie: ben });
    expect(again.status).toBe(201);
    expect(await t.database.db.select().from(messages).where(eq(messages.clientId, "r1"))).toHaveLength(1);
    const empty = await t.post(`/inbox/c/${id}/messages`, { body: "   ", clientId: "r2" }, { cookie: ben });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Write a message first.");
  });

  test("the reply form is answered with a fresh one (empty, a new clientId); refused, with the text, the same clientId and why", async () => {
    const id = await waiting();
    const clientIdOf = (html: string) => html.match(/<input type="hidden" name="clientId" value="([^"]*)"/)![1]!;
    const textOf = (html: string) => html.match(/<textarea [^>]*>([^<]*)<\/textarea>/)![1];
    const pane = async () => (await t.request(`/inbox/c/${id}`, { headers: { cookie: ana } })).text();
    const first = clientIdOf(await pane());
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(clientIdOf(await pane())).not.toBe(first);

    const sent = await t.post(`/inbox/c/${id}/messages`, { body: "Here to help", clientId: first }, { cookie: ana });
    expect(sent.status).toBe(201);
    const answer = await sent.text();
    // The reply joins the transcript after its day's heading, marked as the sender's own...
    expect(answer).toMatch(new RegExp(`<div id="messages-${id}" hx-swap-oob="beforeend"><h3 id="day-${id}-[0-9-]{10}" class="day-heading"[^]*data-own="true"[^]*Here to help`));
    // ...and a fresh form replaces this one: empty, with the next clientId.
    expect(answer).toContain(`id="composer-${id}"`);
    expect(answer).toMatch(/<form [^>]*hx-swap-oob="true"/);
    const next = clientIdOf(answer);
    expect(next).toMatch(/^[0-9a-f-]{36}$/);
    expect(next).not.toBe(first);
    expect(textOf(answer)).toBe("");

    // Refused: the form again, with what was typed, the same clientId and why; nothing is stored.
    await t.post(`/inbox/c/${id}/close`, {}, { cookie: ana });
    const refused = await t.post(`/inbox/c/${id}/messages`, { body: "Still <b>there</b>?", clientId: next }, { cookie: ana });
    expect(refused.status).toBe(409);
    const form = await refused.text();
    expect(form).not.toContain(`id="messages-${id}"`);
    expect(clientIdOf(form)).toBe(next);
    expect(textOf(form)).toBe("Still &lt;b&gt;there&lt;/b&gt;?");
    expect(form).toContain('aria-invalid="true"');
    expect(form).toContain("Reopen it first");
    expect(await t.database.db.select().from(messages).where(eq(messages.clientId, next))).toHaveLength(0);
  });

  test("unknown or malformed conversation ids are 404, never a server error", async () => {
    for (const id of [crypto.randomUUID(), "not-a-uuid", "1 or 1=1"]) {
      expect((await t.request(`/inbox/c/${encodeURIComponent(id)}`, { headers: { cookie: ana } })).status).toBe(404);
      expect((await t.post(`/inbox/c/${encodeURIComponent(id)}/claim`, {}, { cookie: ana })).status).toBe(404);
    }
  });

  test("a form posted from another site is refused even with the agent's cookie", async () => {
    const id = await waiting();
    const res = await t.post(`/inbox/c/${id}/claim`, {}, { cookie: ana, origin: "https://evil.example" });
    expect(res.status).toBe(403);
    const [row] = await t.database.db.select().from(conversations).where(eq(conversations.id, id));
    expect(row!.status).toBe("queued");
  });

  test("the conversation page shows its messages escaped and asks the socket to follow it", async () => {
    const id = await waiting("<img src=x onerror=alert(1)>");
    const res = await t.request(`/inbox/c/${id}`, { headers: { cookie: ana } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).not.toContain("<img");
    expect(html).toContain(`id="messages-${id}"`);
    expect(html).toContain(`hx-vals="{&#34;type&#34;:&#34;view&#34;,&#34;conversation&#34;:&#34;${id}&#34;}"`);
  });

  test("tabs come in pages with a Load more link that continues where the last page ended", async () => {
    for (let i = 0; i < 30; i++) await waiting(`queue ${i}`);
    const first = await (await t.request("/inbox/list?tab=queue", { headers: { cookie: ana } })).text();
    const firstIds = [...first.matchAll(/id="conv-row-([0-9a-f-]+)"/g)].map((m) => m[1]);
    expect(firstIds).toHaveLength(25);
    const more = first.match(/class="load-more"[\s\S]*?hx-get="([^"]+)"/)![1]!.replaceAll("&amp;", "&");
    const second = await (await t.request(more, { headers: { cookie: ana } })).text();
    const secondIds = [...second.matchAll(/id="conv-row-([0-9a-f-]+)"/g)].map((m) => m[1]);
    expect(secondIds.length).toBeGreaterThan(0);
    expect(secondIds.filter((id) => firstIds.includes(id))).toEqual([]);
    expect((await t.request("/inbox/list?tab=everything", { headers: { cookie: ana } })).status).toBe(400); // a validation error (issue 12: 400 with the field names, not 422)
    expect((await t.request("/inbox/list?tab=queue&cursor=garbage", { headers: { cookie: ana } })).status).toBe(400);
  });

  test("without a session every route sends the browser to sign in", async () => {
    const id = await waiting();
    for (const [method, path] of [["GET", "/inbox/list?tab=open"], ["GET", `/inbox/c/${id}`], ["POST", `/inbox/c/${id}/claim`]] as const) {
      const res = await t.request(path, { method, headers: { origin: TEST_ORIGIN } });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toStartWith("/login");
    }
  });
});
