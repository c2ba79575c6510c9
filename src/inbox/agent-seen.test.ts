// "Seen" on the customer's side when an agent reads the conversation in the inbox: the open pane
// (public/conversation.js) posts the highest seq it shows to /inbox/c/:id/viewed, the way a
// same-origin fetch sends it, and the customer's widget hears `read` at once.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { signedInTeam } from "../testing/fixtures.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { readyWidgetSocket, requestSession, widgetSocketSettled } from "../testing/widget-client.ts";
import type { TestSocket } from "../testing/ws-client.ts";

describe(`"Seen" from the agent's inbox (${storageMode})`, () => {
  let t: TestApp;
  let base: string;
  let ana: string;
  let publicKey: string;
  const open: TestSocket[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    base = t.listen();
    const team = await signedInTeam(t, { handoffMode: "immediate" });
    ana = team.ana.cookie;
    publicKey = team.inbox.publicKey;
  });
  afterAll(async () => {
    for (const socket of open) socket.close();
    await t.close();
  });

  /** A customer on the widget who has written `bodies`; their conversation and the seq of each message. */
  async function customerWrote(...bodies: string[]) {
    const { token } = (await (await requestSession(base, { inbox: publicKey })).json()) as { token: string };
    const { ws } = await readyWidgetSocket(base, token, "https://shop.example", open);
    const seqs: number[] = [];
    let conversationId = "";
    for (const body of bodies) {
      const clientId = crypto.randomUUID();
      ws.send({ type: "send", clientId, body });
      const ack = await ws.waitForJson((f) => f.type === "ack" && f.clientId === clientId);
      seqs.push(ack.message.seq);
      conversationId = ack.message.conversationId ?? conversationId;
    }
    if (!conversationId) conversationId = (await ws.waitForJson((f) => f.type === "status" && typeof f.conversation === "string")).conversation;
    return { ws, conversationId, seqs };
  }

  /** What public/conversation.js reads off the open pane. */
  async function pane(conversationId: string) {
    const html = await (await t.request(`/inbox/c/${conversationId}`, { headers: { cookie: ana, "hx-request": "true" } })).text();
    const section = /<section class="conversation"[^>]*>/.exec(html)?.[0] ?? "";
    return {
      reported: Number(/data-agent-read-seq="(\d+)"/.exec(section)?.[1]),
      customerSeqs: [...html.matchAll(/<article [^>]*data-seq="(\d+)" data-sender="customer"/g)].map((m) => Number(m[1])),
    };
  }

  /** POST /inbox/c/:id/viewed exactly as the page's fetch sends it. */
  const viewed = (conversationId: string, seq: number, site = { origin: TEST_ORIGIN, "sec-fetch-site": "same-origin" }) =>
    t.request(`/inbox/c/${conversationId}/viewed`, {
      method: "POST",
      headers: { cookie: ana, "content-type": "application/x-www-form-urlencoded", "sec-fetch-mode": "cors", ...site },
      body: `seq=${seq}`,
    });

  const reads = (ws: TestSocket) => ws.json().filter((f) => f.type === "read");

  test("the pane's report shows the customer 'Seen' once; the pane then knows it has nothing new to report", async () => {
    const { ws, conversationId, seqs } = await customerWrote("hello", "anyone there?");
    const before = await pane(conversationId);
    expect(before.reported).toBe(0);
    expect(before.customerSeqs).toEqual(seqs);

    const res = await viewed(conversationId, Math.max(...before.customerSeqs));
    expect(res.status).toBe(204);
    expect(await ws.waitForJson((f) => f.type === "read")).toEqual({ type: "read", seq: seqs[1]! });

    // Reopened, the pane says what was reported: with no newer customer message the page sends nothing.
    const after = await pane(conversationId);
    expect(after.reported).toBe(seqs[1]!);
    expect(Math.max(...after.customerSeqs)).toBeLessThanOrEqual(after.reported);

    // Had it sent the same again, the customer would not hear it twice.
    expect((await viewed(conversationId, seqs[1]!)).status).toBe(204);
    await widgetSocketSettled(ws);
    expect(reads(ws)).toHaveLength(1);
  });

  test("a report from another site is refused, and the customer hears nothing", async () => {
    const { ws, conversationId, seqs } = await customerWrote("private question");
    const forged = await viewed(conversationId, seqs[0]!, { origin: "https://evil.example", "sec-fetch-site": "cross-site" });
    expect(forged.status).toBe(403);
    await widgetSocketSettled(ws);
    expect(reads(ws)).toEqual([]);
    expect((await pane(conversationId)).reported).toBe(0);
  });
});
