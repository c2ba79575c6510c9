// Satisfaction ratings (CSAT): one per closed episode, refused with a reason otherwise, shown to
// agents in the timeline as it happens.
import { beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { conversationRatings } from "../db/schema/index.ts";
import { lifecycleFixture, type RecordingBus } from "../conversations/lifecycle-fixture.ts";
import * as conversations from "../conversations/service.ts";
import { topics } from "../realtime/topics.ts";
import { insertAgent } from "../testing/fixtures.ts";
import { storageMode, type TestDatabase } from "../testing/test-database.ts";
import { MAX_RATING_COMMENT, RatingRefused } from "./model.ts";
import { currentEpisodeRated, customerRates } from "./service.tsx";

describe(`satisfaction ratings (${storageMode})`, () => {
  const fixture = lifecycleFixture();
  const { deps, inbox, contact, say, eventTypes } = fixture;
  let database: TestDatabase;
  let bus: RecordingBus;
  beforeAll(() => void ({ database } = fixture.state));
  beforeEach(() => void ({ bus } = fixture.state));

  /** A customer's conversation, claimed by Ana and closed by her. */
  async function closedConversation() {
    const shop = await inbox({ handoffMode: "immediate" });
    const who = contact();
    const { conversation } = await say(shop, who, "help");
    const ana = await insertAgent(database.db, `Ana ${who.slice(-6)}`);
    await conversations.claim(deps(), ana, conversation.id);
    await conversations.close(deps(), ana, conversation.id);
    return { shop, who, ana, conversation, key: { inboxId: shop.id, contactId: who } };
  }
  const ratingsOf = (conversationId: string) =>
    database.db.select().from(conversationRatings).where(eq(conversationRatings.conversationId, conversationId)).orderBy(conversationRatings.createdAt);
  const refusal = (p: Promise<unknown>) => p.then(() => "stored", (err: unknown) => (err instanceof RatingRefused ? err.code : String(err)));

  test("a closed conversation is rated once, for its assignee; a second rating is refused and the first kept", async () => {
    const { ana, conversation, key } = await closedConversation();
    expect(await currentEpisodeRated(database.db, conversation.id)).toBe(false);
    await customerRates(deps(), key, { rating: 4, comment: "  Quick and kind  " });
    const again = customerRates(deps(), key, { rating: 1, comment: "changed my mind" });
    expect(await refusal(again)).toBe("already_rated");
    await again.catch((err: RatingRefused) => expect(err.message).toContain("already rated"));
    const rows = await ratingsOf(conversation.id);
    expect(rows.map((r) => [r.rating, r.comment, r.agentId])).toEqual([[4, "Quick and kind", ana.id]]);
    expect(await currentEpisodeRated(database.db, conversation.id)).toBe(true);
    expect((await eventTypes(conversation.id)).filter((e) => e.startsWith("rated"))).toEqual(["rated:customer"]);
  });

  test("a reopen and a new close allow a new rating; the earlier one stays", async () => {
    const { ana, conversation, key } = await closedConversation();
    await customerRates(deps(), key, { rating: 2 });
    await conversations.reopen(deps(), ana, conversation.id);
    expect(await currentEpisodeRated(database.db, conversation.id)).toBe(false);
    expect(await refusal(customerRates(deps(), key, { rating: 5 }))).toBe("not_closed");
    await conversations.close(deps(), ana, conversation.id);
    await customerRates(deps(), key, { rating: 5 });
    expect((await ratingsOf(conversation.id)).map((r) => [r.rating, r.comment])).toEqual([[2, null], [5, null]]);
  });

  test("an open conversation, no conversation, a rating outside 1-5 and a comment too long are refused, nothing stored", async () => {
    const shop = await inbox({ handoffMode: "immediate" });
    const who = contact();
    expect(await refusal(customerRates(deps(), { inboxId: shop.id, contactId: who }, { rating: 3 }))).toBe("no_conversation");
    const { conversation } = await say(shop, who, "hello");
    expect(await refusal(customerRates(deps(), { inboxId: shop.id, contactId: who }, { rating: 3 }))).toBe("not_closed");
    const closed = await closedConversation();
    for (const rating of [0, 6, 3.5, Number.NaN]) expect(await refusal(customerRates(deps(), closed.key, { rating }))).toBe("bad_rating");
    expect(await refusal(customerRates(deps(), closed.key, { rating: 3, comment: "x".repeat(MAX_RATING_COMMENT + 1) }))).toBe("too_long");
    expect(await ratingsOf(conversation.id)).toEqual([]);
    expect(await ratingsOf(closed.conversation.id)).toEqual([]);
    expect(await refusal(customerRates(deps(), closed.key, { rating: 3, comment: "y".repeat(MAX_RATING_COMMENT) }))).toBe("stored");
  });

  test("agents viewing the conversation get the rating and the escaped comment in its timeline; the customer's tabs a rated frame", async () => {
    const { conversation, key } = await closedConversation();
    await customerRates(deps(), key, { rating: 4, comment: `<img src=x onerror="alert(1)"> great` });
    const pushed = bus.on(topics.conversationAgents(conversation.id)).at(-1);
    expect(pushed).toContain("The customer rated this conversation Good (4/5)");
    expect(pushed).toContain("&lt;img src=x onerror=");
    expect(pushed).not.toContain("<img");
    expect(JSON.parse(bus.on(topics.conversation(conversation.id)).at(-1)!)).toEqual({ type: "rated", rating: 4 });
    // Reopening the pane shows it too (the same partial, from the database).
    const pane = await conversations.conversationPane(database.db, conversation.id);
    expect(pane!.events.find((e) => e.type === "rated")).toMatchObject({ rating: 4, comment: `<img src=x onerror="alert(1)"> great`, actorName: null });
  });
});
