// The widget's rating of a closed conversation (docs/widget-protocol.md, "Satisfaction"): the
// socket's rate frame and POST /rating, and the ready/session answers saying whether it is rated.
import { describe, expect, test } from "bun:test";
import { conversationDeps } from "../app-context.ts";
import * as conversations from "../conversations/service.ts";
import { insertAgent } from "../testing/fixtures.ts";
import { storageMode } from "../testing/test-database.ts";
import { readyWidgetSocket } from "../testing/widget-client.ts";
import { bearer, call, postJson } from "./widget-api-testing.ts";
import { busMode, widgetSocketFixture } from "./socket-test-fixture.ts";

describe(`widget rating (${storageMode}, ${busMode})`, () => {
  const f = widgetSocketFixture();

  /** A customer who wrote, whose conversation an agent claimed and closed. */
  async function closedFor() {
    const customer = await f.customer(f.immediateKey);
    const conversationId = await f.start(customer);
    const agent = await insertAgent(f.t.database.db, "Rita");
    const deps = conversationDeps(f.t.ctx);
    await conversations.claim(deps, agent, conversationId);
    await conversations.close(deps, agent, conversationId);
    await customer.ws.waitForJson((fr) => fr.type === "status" && fr.status === "closed");
    return { ...customer, conversationId, agent, deps };
  }
  const rate = (token: string, body: unknown) => call(f.t, "/api/v1/widget/rating", postJson(body, bearer(token)));

  test("the rate frame is answered with a rated frame; a second one with already_rated; a reconnect is told it is rated", async () => {
    const c = await closedFor();
    c.ws.send({ type: "rate", rating: 4, comment: "Thanks!" });
    expect(await c.ws.waitForJson((fr) => fr.type === "rated")).toEqual({ type: "rated", rating: 4 });
    c.ws.send({ type: "rate", rating: 1 });
    const refused = await c.ws.waitForJson((fr) => fr.type === "error");
    expect(refused).toMatchObject({ code: "already_rated", message: expect.stringContaining("already rated") });
    const again = await readyWidgetSocket(f.base, c.token, "https://shop.example", f.open);
    expect(again.ready.conversation).toMatchObject({ status: "closed", rated: true });
  });

  test("over HTTP: 201, then 409 already_rated; an open conversation 409 not_closed; a bad rating 400", async () => {
    const c = await closedFor();
    expect((await rate(c.token, { rating: 7 })).res.status).toBe(400);
    const first = await rate(c.token, { rating: 5, comment: "Great help" });
    expect([first.res.status, first.data]).toEqual([201, { rating: 5 }]);
    const second = await rate(c.token, { rating: 2 });
    expect([second.res.status, second.data.error.code]).toEqual([409, "already_rated"]);
    const messages = await call(f.t, "/api/v1/widget/messages", { headers: bearer(c.token) });
    expect(messages.data.conversation).toMatchObject({ status: "closed", rated: true });
    // Reopened by the customer's next message: nothing to rate until it closes again.
    const from = c.ws.frames.length;
    c.ws.send({ type: "send", clientId: crypto.randomUUID(), body: "One more thing" });
    await c.ws.waitFor((fr) => fr.includes('"type":"status"') && !fr.includes('"closed"'), 5000, from);
    expect((await rate(c.token, { rating: 3 })).data.error.code).toBe("not_closed");
    await conversations.close(c.deps, c.agent, c.conversationId);
    expect((await rate(c.token, { rating: 3 })).res.status).toBe(201);
  });

  test("a rating with no conversation yet is refused with no_conversation", async () => {
    const { token } = await f.customer(f.immediateKey);
    const answer = await rate(token, { rating: 4 });
    expect([answer.res.status, answer.data.error.code]).toEqual([404, "no_conversation"]);
  });
});
