// POST /api/v1/inbound-email (issue 14 item 3): a mail service forwards the raw reply. The same
// rules as our SMTP listener, answered in HTTP: 202 accepted or duplicate, 422 with the reason,
// 413 over the size limit (declared or read), 401 without the secret, 404 when the route is off.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MAX_BODY_LENGTH } from "../messages/model.ts";
import { createTestApp, TEST_ORIGIN } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { readyWidgetSocket } from "../testing/widget-client.ts";
import type { TestSocket } from "../testing/ws-client.ts";
import { customerMessages, customerWhoLeft, deliverOverSmtp, INBOUND_DOMAIN, INBOUND_SECRET, inboundApp, messageCount, postInbound, sample, SAMPLE_TEXT, SAMPLES, TEST_MAX_BYTES, type InboundApp } from "./inbound-fixture.ts";
import { INBOUND_REASONS } from "./inbound-model.ts";
import { REPLY_ADDRESS_LIFETIME_MS, replyAddress } from "./signed-links.ts";

describe(`replies by email through the webhook (${storageMode})`, () => {
  let app: InboundApp;
  let base: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    app = await inboundApp();
    base = app.t.listen();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await app.t.close();
  });

  test("each sample is accepted once (202), a second delivery is a duplicate, and the customer sees it live", async () => {
    const { t } = app;
    for (const name of SAMPLES) {
      const kim = await customerWhoLeft(t, app.inbox);
      const { ws: widget } = await readyWidgetSocket(base, kim.token, TEST_ORIGIN, sockets);
      const raw = sample(name, { replyTo: kim.replyTo, from: kim.email });
      const first = await postInbound(t, raw);
      expect({ name, status: first.status, body: await first.json() }).toEqual({ name, status: 202, body: { status: "accepted", conversationId: kim.conversationId } });
      await widget.waitForJson((f) => f.type === "message" && f.message.body === SAMPLE_TEXT[name]);
      const again = await postInbound(t, raw, { type: "text/plain; charset=utf-8" });
      expect(await again.json()).toEqual({ status: "duplicate", conversationId: kim.conversationId });
      expect(await customerMessages(t, kim.conversationId)).toEqual(["Where is my invoice?", SAMPLE_TEXT[name]]);
    }
  });

  test("one email through the webhook and over SMTP is one message", async () => {
    const { t } = app;
    const kim = await customerWhoLeft(t, app.inbox);
    const raw = sample("outlook-reply", { replyTo: kim.replyTo, from: kim.email });
    expect((await postInbound(t, raw, { type: "application/octet-stream" })).status).toBe(202);
    const outcome = await deliverOverSmtp(app.smtpPort, raw, { from: kim.email, to: kim.replyTo });
    expect(outcome).toMatchObject({ accepted: true, response: expect.stringContaining("already received") });
    expect(await customerMessages(t, kim.conversationId)).toEqual(["Where is my invoice?", SAMPLE_TEXT["outlook-reply"]]);
  });

  test("an HTML-only reply lands as its text, without the quote", async () => {
    const { t } = app;
    const kim = await customerWhoLeft(t, app.inbox);
    const raw = sample("apple-mail-reply", { replyTo: kim.replyTo, from: kim.email });
    // The multipart/alternative without its text/plain part.
    const htmlOnly = raw.replace(/--Apple-Mail-[^\r]*\r\nContent-Type: text\/plain;[\s\S]*?(?=--Apple-Mail-)/, "");
    expect(htmlOnly).not.toContain("text/plain");
    expect((await postInbound(t, htmlOnly)).status).toBe(202);
    expect((await customerMessages(t, kim.conversationId)).at(-1)).toBe(SAMPLE_TEXT["apple-mail-reply"]);
  });

  test("?recipient= names the reply address when the headers do not carry it", async () => {
    const { t } = app;
    const kim = await customerWhoLeft(t, app.inbox);
    // Sent to a list that forwarded it: the reply address is only in the envelope.
    const raw = sample("gmail-reply", { replyTo: "help-list@example.com", from: kim.email });
    const without = await postInbound(t, raw);
    expect(without.status).toBe(422);
    expect(await without.json()).toEqual({ error: { code: "not_a_reply_address", message: INBOUND_REASONS.not_a_reply_address } });
    expect((await postInbound(t, raw, { recipient: kim.replyTo })).status).toBe(202);
    expect((await customerMessages(t, kim.conversationId)).at(-1)).toBe(SAMPLE_TEXT["gmail-reply"]);
  });

  test("refusals are 422 with their code and reason, and store nothing", async () => {
    const { t } = app;
    const kim = await customerWhoLeft(t, app.inbox);
    const before = await messageCount(t);
    const forged = kim.replyTo.replace(/([0-9a-f])@/, (_, c: string) => `${c === "0" ? "1" : "0"}@`);
    const expired = replyAddress(t.ctx.sessionSecret, INBOUND_DOMAIN, kim.conversationId, Date.now() - REPLY_ADDRESS_LIFETIME_MS - 86_400_000);
    const longReply = sample("outlook-reply", { replyTo: kim.replyTo, from: kim.email }).replace("Hi Ana,", `Hi Ana, ${"word ".repeat(MAX_BODY_LENGTH / 4)}`);
    const cases: Array<[string, string]> = [
      [sample("gmail-reply", { replyTo: forged, from: kim.email }), "bad_token"],
      [sample("gmail-reply", { replyTo: expired, from: kim.email }), "expired"],
      [sample("gmail-reply", { replyTo: kim.replyTo, from: "someone.else@example.com" }), "sender_mismatch"],
      [longReply, "too_long"],
    ];
    for (const [raw, code] of cases) {
      const res = await postInbound(t, raw);
      expect({ status: res.status, body: await res.json() }).toEqual({ status: 422, body: { error: { code, message: INBOUND_REASONS[code as keyof typeof INBOUND_REASONS] } } });
    }
    expect(await messageCount(t)).toBe(before);
  });

  test("over INBOUND_EMAIL_MAX_BYTES, declared or read, is 413; nothing is stored", async () => {
    const { t } = app;
    const kim = await customerWhoLeft(t, app.inbox);
    const before = await messageCount(t);
    const raw = sample("gmail-reply", { replyTo: kim.replyTo, from: kim.email });
    const declared = await postInbound(t, raw, { headers: { "content-length": String(TEST_MAX_BYTES + 1) } });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { error: { code: string } }).error.code).toBe("too_large");
    // No Content-Length: the body streams in until it passes the limit.
    const chunk = new TextEncoder().encode(`${"x".repeat(1023)}\n`);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ > TEST_MAX_BYTES / chunk.byteLength + 10) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const streamed = await postInbound(t, stream);
    expect(streamed.status).toBe(413);
    expect(await messageCount(t)).toBe(before);
  });

  test("garbage with the right secret is refused by name (4xx), never a server error", async () => {
    const { t } = app;
    const kim = await customerWhoLeft(t, app.inbox);
    const before = await messageCount(t);
    const withNul = sample("outlook-reply", { replyTo: kim.replyTo, from: kim.email }).replace("Hi Ana,", "Hi Ana,=00");
    const bodies: Array<[BodyInit, string | undefined]> = [
      ["", undefined],
      [new Uint8Array(4096).map((_, i) => (i * 7919) % 256), undefined],
      ["\u0000\ud800 not a mail at all", undefined],
      [withNul, undefined],
      [sample("gmail-reply", { replyTo: kim.replyTo, from: kim.email }), "x".repeat(3000)],
      [sample("gmail-reply", { replyTo: kim.replyTo, from: kim.email }), "a\u0000b@example.com"],
    ];
    const statuses: number[] = [];
    for (const [body, recipient] of bodies) statuses.push((await postInbound(t, body, { recipient })).status);
    expect(statuses).toEqual([422, 422, 422, 422, 400, 400]);
    expect(((await (await postInbound(t, withNul)).json()) as { error: { code: string } }).error.code).toBe("bad_text");
    expect(await messageCount(t)).toBe(before);
    expect(t.logs.filter((line) => line.includes("failed"))).toEqual([]);
  });

  test("without the bearer secret: 401; a body that is no raw mail: 415", async () => {
    const { t } = app;
    const kim = await customerWhoLeft(t, app.inbox);
    const raw = sample("gmail-reply", { replyTo: kim.replyTo, from: kim.email });
    for (const token of [null, "", "wrong", INBOUND_SECRET.slice(0, -1), `${INBOUND_SECRET}x`]) {
      const res = await postInbound(t, raw, { token });
      expect({ token, status: res.status }).toEqual({ token, status: 401 });
    }
    const json = await postInbound(t, JSON.stringify({ raw }), { type: "application/json" });
    expect(json.status).toBe(415);
    expect(await customerMessages(t, kim.conversationId)).toEqual(["Where is my invoice?"]);
  });
});

test(`the webhook is off (404) without INBOUND_EMAIL_SECRET (${storageMode})`, async () => {
  const t = await createTestApp();
  try {
    const res = await postInbound(t, "Subject: hi\r\n\r\nhello");
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
  } finally {
    await t.close();
  }
});
