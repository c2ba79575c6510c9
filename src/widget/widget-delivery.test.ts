// One delivery per message (docs/widget-protocol.md): the sender's socket gets each of its
// messages as one `message` frame plus the `ack`, for the message that starts the conversation as
// for any later one; another tab of the same visitor gets each message once.
import { describe, expect, test } from "bun:test";
import { storageMode } from "../testing/test-database.ts";
import { readyWidgetSocket } from "../testing/widget-client.ts";
import type { TestSocket } from "../testing/ws-client.ts";
import { busMode, widgetSocketFixture, type Customer } from "./socket-test-fixture.ts";

describe(`one delivery per message (${storageMode}, ${busMode})`, () => {
  const f = widgetSocketFixture();

  /**
   * Waits until the socket has had everything its earlier frames caused: frames are handled in
   * order, and a second auth is answered with an error, so that error comes after all of it.
   */
  async function barrier(c: Customer) {
    const from = c.ws.frames.length;
    c.ws.send({ type: "auth", token: c.token });
    await c.ws.waitFor((frame) => frame.includes("Already authenticated"), 5000, from);
  }

  /** The widget's part: on a status frame naming a conversation it did not know, resume from its own lastSeq. */
  async function resumeOnNewConversation(ws: TestSocket, lastSeq: number) {
    await ws.waitForJson((frame) => frame.type === "status" && typeof frame.conversation === "string");
    ws.send({ type: "resume", lastSeq });
  }

  const copiesOf = (ws: TestSocket, clientId: string) => ({
    messages: ws.json().filter((frame) => frame.type === "message" && frame.message.clientId === clientId).length,
    acks: ws.json().filter((frame) => frame.type === "ack" && frame.clientId === clientId).length,
  });

  const messageIds = (ws: TestSocket) => ws.json().flatMap((frame) => (frame.type === "message" ? [frame.message.id as string] : []));

  test("the first message reaches its sender once, beside its ack; so does a later one; each message of the conversation once", async () => {
    const c = await f.customer();
    c.ws.send({ type: "send", clientId: "first", body: "Where is my order?" });
    await resumeOnNewConversation(c.ws, 0);
    await barrier(c);
    console.log(`frames for the first message: ${c.ws.json().map((frame) => frame.type).join(", ")}`);
    expect(copiesOf(c.ws, "first")).toEqual({ messages: 1, acks: 1 });
    // The greeting, the message and the bot's answer: each once.
    expect(messageIds(c.ws)).toHaveLength(3);
    expect(new Set(messageIds(c.ws)).size).toBe(3);

    const before = c.ws.frames.length;
    c.ws.send({ type: "send", clientId: "later", body: "It is #1234" });
    await barrier(c);
    expect(copiesOf(c.ws, "later")).toEqual({ messages: 1, acks: 1 });
    console.log(`frames for a later message: ${c.ws.json().slice(before).map((frame) => frame.type).join(", ")}`);
    expect(new Set(messageIds(c.ws)).size).toBe(messageIds(c.ws).length);
  });

  test("another tab of the visitor hears of the new conversation and gets each of its messages once", async () => {
    const c = await f.customer();
    const { ws: otherTab } = await readyWidgetSocket(f.base, c.token, "https://shop.example", f.open);
    c.ws.send({ type: "send", clientId: "from-tab-1", body: "Hello from tab 1" });
    await resumeOnNewConversation(otherTab, 0);
    await barrier({ ...c, ws: otherTab });
    expect(copiesOf(otherTab, "from-tab-1")).toEqual({ messages: 1, acks: 0 });
    expect(messageIds(otherTab)).toHaveLength(3);
    expect(new Set(messageIds(otherTab)).size).toBe(3);
  });
});
