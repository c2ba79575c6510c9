// The agents' verbs on a conversation: claim (one of two wins), assign, unassign, close, reopen,
// reply; read receipts; what a customer wrote reaches agents as text.
import { beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { topics } from "../realtime/topics.ts";
import { insertAgent } from "../testing/fixtures.ts";
import { storageMode, type TestDatabase } from "../testing/test-database.ts";
import { lifecycleFixture, type RecordingBus } from "./lifecycle-fixture.ts";
import { ConversationRefused, needsAttention } from "./model.ts";
import * as service from "./service.ts";

describe(`conversation lifecycle: the agents' verbs (${storageMode})`, () => {
  const fixture = lifecycleFixture();
  const { deps, inbox, contact, say, eventTypes } = fixture;
  let database: TestDatabase;
  let bus: RecordingBus;
  beforeAll(() => void ({ database } = fixture.state));
  beforeEach(() => void ({ bus } = fixture.state));

  test("of two agents claiming at once exactly one wins, and the other is told who has it", async () => {
    const shop = await inbox({ handoffMode: "immediate" });
    const { conversation } = await say(shop, contact(), "help");
    const ana = await insertAgent(database.db, "Ana");
    const ben = await insertAgent(database.db, "Ben");
    const results = await Promise.allSettled([service.claim(deps(), ana, conversation.id), service.claim(deps(), ben, conversation.id)]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = (won[0] as PromiseFulfilledResult<{ assigneeId: string | null }>).value.assigneeId === ana.id ? ana : ben;
    expect(lost[0]!.reason).toBeInstanceOf(ConversationRefused);
    expect(lost[0]!.reason.code).toBe("taken");
    expect(lost[0]!.reason.message).toBe(`${winner.name} already took this conversation.`);
    expect(await eventTypes(conversation.id)).toEqual(["created:customer", "queued:system", "claimed:agent"]);
    // Claiming one's own again is fine and records nothing.
    await service.claim(deps(), winner, conversation.id);
    expect(await eventTypes(conversation.id)).toHaveLength(3);
    const status = bus.on(topics.conversation(conversation.id)).find((f) => f.includes('"status":"assigned"'));
    expect(JSON.parse(status!)).toMatchObject({ type: "status", status: "assigned", agent: { name: winner.name } });
  });

  test("assign, unassign, close and reopen move the conversation and leave a trail of who did what", async () => {
    const shop = await inbox({ handoffMode: "immediate" });
    const customer = contact();
    const { conversation } = await say(shop, customer, "help");
    const ana = await insertAgent(database.db, "Ana");
    const ben = await insertAgent(database.db, "Ben");

    expect((await service.assign(deps(), ana, conversation.id, ben.id)).assigneeId).toBe(ben.id);
    const unassigned = await service.unassign(deps(), ana, conversation.id);
    expect(unassigned.status).toBe("queued");
    expect(unassigned.queuedAt).not.toBeNull();
    await expect(service.unassign(deps(), ana, conversation.id)).rejects.toMatchObject({ code: "not_assigned" });
    await expect(service.assign(deps(), ana, conversation.id, crypto.randomUUID())).rejects.toMatchObject({ code: "no_such_agent" });

    await service.claim(deps(), ana, conversation.id);
    const closed = await service.close(deps(), ana, conversation.id);
    expect(closed.status).toBe("closed");
    expect(closed.closedAt).toBeInstanceOf(Date);
    await expect(service.claim(deps(), ben, conversation.id)).rejects.toMatchObject({ code: "closed" });
    await expect(service.agentSends(deps(), ana, conversation.id, "x", "still there?")).rejects.toMatchObject({ code: "closed" });

    const reopened = await service.reopen(deps(), ben, conversation.id);
    expect(reopened).toMatchObject({ status: "assigned", assigneeId: ana.id, closedAt: null });
    await expect(service.reopen(deps(), ben, conversation.id)).rejects.toMatchObject({ code: "not_closed" });

    const events = await service.eventsOf(database.db, conversation.id);
    expect(events.map((e) => `${e.type}:${e.actorAgentId === ana.id ? "Ana" : e.actorAgentId === ben.id ? "Ben" : e.actorType}`)).toEqual([
      "created:customer",
      "queued:system",
      "assigned:Ana",
      "unassigned:Ana",
      "claimed:Ana",
      "closed:Ana",
      "reopened:Ben",
    ]);
    expect(events[2]!.data).toEqual({ from: null, to: ben.id });
    // Agents viewing it saw the events inline, escaped and named.
    expect(bus.on(topics.conversationAgents(conversation.id)).join("")).toContain("Reopened by Ben");
  });

  test("an agent's reply claims a conversation nobody owns, sets the first response time once, and ends 'needs attention'", async () => {
    const shop = await inbox({ handoffMode: "immediate" });
    const ana = await insertAgent(database.db, "Ana");
    const ben = await insertAgent(database.db, "Ben");
    const customer = contact();
    const { conversation } = await say(shop, customer, "hello?");
    expect(needsAttention((await service.summary(database.db, conversation.id))!)).toBe(true);

    const reply = await service.agentSends(deps(), ana, conversation.id, "r1", "Hi, Ana here");
    expect(reply.message).toMatchObject({ sender: "agent", agentName: "Ana", seq: 2 });
    const after = (await service.summary(database.db, conversation.id))!;
    expect(after).toMatchObject({ status: "assigned", assigneeId: ana.id });
    expect(needsAttention(after)).toBe(false);
    const firstResponse = (await service.findConversation(database.db, conversation.id))!.firstResponseAt;
    expect(firstResponse).toBeInstanceOf(Date);

    // A colleague may add a word; the owner stays, the first response time does not move.
    await service.agentSends(deps(), ben, conversation.id, "r2", "Ben here too");
    const later = (await service.findConversation(database.db, conversation.id))!;
    expect(later.assigneeId).toBe(ana.id);
    expect(later.firstResponseAt).toEqual(firstResponse);
    // A retried reply is the same message.
    expect((await service.agentSends(deps(), ana, conversation.id, "r1", "Hi, Ana here")).message.id).toBe(reply.message.id);
    await say(shop, customer, "thanks, but...");
    expect(needsAttention((await service.summary(database.db, conversation.id))!)).toBe(true);
    // The customer saw the agent's name on the reply.
    expect(bus.on(topics.conversation(conversation.id)).some((f) => f.includes('"agentName":"Ana"'))).toBe(true);
  });

  test("read receipts only move forward and never past the newest message", async () => {
    const shop = await inbox({ handoffMode: "immediate" });
    const customer = contact();
    const { conversation } = await say(shop, customer, "one");
    await say(shop, customer, "two");
    await service.markViewed(deps(), conversation.id, 99);
    await service.markViewed(deps(), conversation.id, 1);
    await service.customerRead(deps(), conversation.id, 2);
    const row = (await service.findConversation(database.db, conversation.id))!;
    expect([row.agentReadSeq, row.customerReadSeq]).toEqual([2, 2]);
    expect(bus.on(topics.conversation(conversation.id)).filter((f) => f.includes('"type":"read"'))).toEqual(['{"type":"read","seq":2}']);
    expect(bus.on(topics.conversationAgents(conversation.id)).join("")).toContain(`id="seen-${conversation.id}"`);
  });

  test("what a customer wrote reaches agents as text, never as markup", async () => {
    const shop = await inbox({ handoffMode: "immediate" });
    const { conversation } = await say(shop, contact(), "<script>alert(1)</script><img src=x onerror=alert(1)>");
    const pushed = bus.on(topics.conversationAgents(conversation.id)).join("") + bus.on(topics.inbox()).join("");
    expect(pushed).not.toContain("<script>");
    expect(pushed).not.toContain("<img");
    expect(pushed).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});
