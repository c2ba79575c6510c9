// Unassign with Undo: the answer to one's own Unassign offers "Undo", which gives the conversation
// back to whom it was taken from (by the rules of assigning, live for everyone as any assignment),
// and is refused, changing nothing, once anything changed who has it meanwhile.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { agents, conversationEvents, conversations } from "../db/schema/index.ts";
import { topics } from "../realtime/topics.ts";
import { busBarrier } from "../testing/bus-barrier.ts";
import { customerWrites, signedInTeam, type InboxRow, type TeamMember } from "../testing/fixtures.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";

describe(`unassign, and its undo (${storageMode})`, () => {
  let t: TestApp, ana: TeamMember, ben: TeamMember, inbox: InboxRow;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    ({ ana, ben, inbox } = await signedInTeam(t, { handoffMode: "immediate" }));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await t.close();
  });

  const verb = (id: string, name: string, who: TeamMember, body: Record<string, string> = {}) => t.post(`/inbox/c/${id}/${name}`, body, { cookie: who.cookie, "hx-request": "true" });
  const row = async (id: string) => (await t.database.db.select().from(conversations).where(eq(conversations.id, id)))[0]!;
  /** Ben has the conversation, and Ana unassigns it: the answer, and the event id its Undo posts. */
  async function unassignedFromBen() {
    const id = await customerWrites(t, inbox, "help me");
    expect((await verb(id, "assign", ana, { agentId: ben.id })).status).toBe(200);
    const answer = await (await verb(id, "unassign", ana)).text();
    const event = answer.match(/hx-vals="\{&#34;event&#34;:&#34;([0-9a-f-]{36})&#34;\}"/)?.[1];
    return { id, answer, event: event! };
  }

  test("the answer says whom it was taken from and offers Undo, apart from the state's verbs", async () => {
    const { id, answer, event } = await unassignedFromBen();
    expect(answer).toContain("Waiting in the queue");
    // The answer is the notice (its button aims there: a push may replace the state's block first), the state out of band.
    expect(answer).toStartWith(`<div id="conv-notice-${id}" class="conversation-notice"><p class="undo-notice" role="status"><span>Unassigned from Ben.</span>`);
    expect(answer).toContain(`<div id="conv-status-${id}" class="conversation-state" data-status="queued" hx-swap-oob="true">`);
    expect(answer).toContain(`hx-post="/inbox/c/${id}/undo-unassign"`);
    expect(event).toBeDefined();
    const [recorded] = await t.database.db.select().from(conversationEvents).where(eq(conversationEvents.id, event));
    expect(recorded).toMatchObject({ type: "unassigned", conversationId: id });
  });

  test("Undo gives it back to Ben; a colleague viewing it sees the change live", async () => {
    const { id, event } = await unassignedFromBen();
    const bens = await openSocket(`${t.listen().replace("http", "ws")}/ws/inbox`, { cookie: ben.cookie, origin: TEST_ORIGIN });
    sockets.push(bens);
    await bens.waitFor((f) => f.includes('id="live-status"'));
    bens.send({ type: "view", conversation: id, after: 0 });
    await busBarrier(t.ctx.bus, bens, topics.conversationAgents(id));
    const from = bens.frames.length;

    const undone = await verb(id, "undo-unassign", ana, { event });
    expect(undone.status).toBe(200);
    const html = await undone.text();
    expect(html).toContain("Assigned to Ben");
    // The Undo notice is cleared with the answer.
    expect(html).toStartWith(`<div id="conv-notice-${id}" class="conversation-notice"></div>`);
    expect(await row(id)).toMatchObject({ status: "assigned", assigneeId: ben.id });
    const push = await bens.waitFor((f) => f.includes(`id="conv-status-${id}"`) && f.includes("Assigned to Ben"), 5000, from);
    expect(push).toContain('hx-swap-oob="true"');

    // Undone once is done: a second Undo (a double click) is refused and changes nothing.
    const again = await verb(id, "undo-unassign", ana, { event });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("changed after it was unassigned");
    expect(await row(id)).toMatchObject({ status: "assigned", assigneeId: ben.id });
  });

  test("when a colleague took it meanwhile, Undo is refused with the reason and the colleague keeps it", async () => {
    const { id, event } = await unassignedFromBen();
    expect((await verb(id, "claim", ana)).status).toBe(200);
    const late = await verb(id, "undo-unassign", ben, { event });
    expect(late.status).toBe(409);
    expect(await late.text()).toContain("This conversation changed after it was unassigned, so it was not given back.");
    expect(await row(id)).toMatchObject({ status: "assigned", assigneeId: ana.id });
  });

  test("closed meanwhile, or unassigned again by someone else: refused", async () => {
    const closed = await unassignedFromBen();
    expect((await verb(closed.id, "close", ben)).status).toBe(200);
    expect((await verb(closed.id, "undo-unassign", ana, { event: closed.event })).status).toBe(409);
    expect((await row(closed.id)).status).toBe("closed");

    // Ana's notice is older than Ben's own unassignment: hers no longer undoes anything.
    const twice = await unassignedFromBen();
    expect((await verb(twice.id, "claim", ben)).status).toBe(200);
    expect((await verb(twice.id, "unassign", ben)).status).toBe(200);
    expect((await verb(twice.id, "undo-unassign", ana, { event: twice.event })).status).toBe(409);
    expect(await row(twice.id)).toMatchObject({ status: "queued", assigneeId: null });
  });

  test("the rules of assigning hold: no giving back to a deactivated agent; a made-up event changes nothing", async () => {
    const { id, event } = await unassignedFromBen();
    expect((await verb(id, "undo-unassign", ana, { event: crypto.randomUUID() })).status).toBe(409);
    expect((await verb(id, "undo-unassign", ana, { event: "not-an-id" })).status).toBe(409);
    await t.database.db.update(agents).set({ deactivatedAt: new Date() }).where(eq(agents.id, ben.id));
    try {
      const refused = await verb(id, "undo-unassign", ana, { event });
      expect(refused.status).toBe(422);
      expect(await refused.text()).toContain("deactivated");
      expect(await row(id)).toMatchObject({ status: "queued", assigneeId: null });
    } finally {
      await t.database.db.update(agents).set({ deactivatedAt: null }).where(eq(agents.id, ben.id));
    }
  });
});
