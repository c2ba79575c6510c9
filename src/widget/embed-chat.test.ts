// The widget's outbox and transcript (public/embed/), in a DOM (happy-dom) against a fake server.
import { afterAll, afterEach, beforeAll, describe, expect, jest, test } from "bun:test";
import { EMBED_CONFIG, FakeSocket, loadEmbed, type Frame } from "./embed-dom.ts";

let embed: Awaited<ReturnType<typeof loadEmbed>>;
let socket: FakeSocket;
beforeAll(async () => {
  embed = await loadEmbed();
  socket = await embed.connect();
});
afterAll(() => embed.unload());

const message = (seq: number, fields: Frame = {}) => ({ id: `m${seq}`, seq, body: `message ${seq}`, sender: "agent", agentName: "Ana", createdAt: new Date().toISOString(), ...fields });

describe("the outbox", () => {
  const stored = () => JSON.parse(embed.window.localStorage.getItem(`sd:${EMBED_CONFIG.publicKey}:outbox`) ?? "[]");
  const sendsOf = (clientId: string) => socket.sent.filter((frame) => frame.type === "send" && frame.clientId === clientId).length;
  /** Writes a message and returns its clientId. */
  const write = (body: string) => {
    embed.outbox.queue(body);
    return embed.chat.outbox.at(-1).clientId as string;
  };
  afterEach(() => {
    jest.useRealTimers();
    for (const entry of [...embed.chat.outbox]) embed.outbox.remove(entry.clientId);
    embed.chat.error = embed.chat.draft = "";
  });

  test("a message stays in the outbox and in storage, sending, until its ack; the ack puts it in the transcript", () => {
    const clientId = write("Where is my order?");
    expect(socket.sent.at(-1)).toEqual({ type: "send", clientId, body: "Where is my order?" });
    expect(stored()).toEqual([{ clientId, body: "Where is my order?", at: expect.any(String) }]);
    expect(embed.chat.rows.at(-1)).toMatchObject({ kind: "message", mine: true, body: "Where is my order?", state: "sending" });
    socket.receive({ type: "ack", clientId, message: message(1, { id: "own-1", sender: "customer", clientId, body: "Where is my order?" }) });
    expect(embed.chat.outbox).toEqual([]);
    expect(stored()).toEqual([]);
    expect(embed.chat.rows.filter((row: Frame) => row.body === "Where is my order?")).toEqual([expect.objectContaining({ key: "own-1", state: "" })]);
  });

  test("a message written while the socket is down is sent, with the same clientId, when the next socket is ready", async () => {
    jest.useFakeTimers();
    socket.close();
    await Promise.resolve();
    const clientId = write("Written in a tunnel");
    expect(sendsOf(clientId)).toBe(0);
    jest.advanceTimersByTime(500); // the reconnect's backoff after a first failure: at most 0.5 s
    const next = FakeSocket.opened.at(-1)!;
    expect(next).not.toBe(socket);
    next.receive({ type: "ready", conversation: null, lastSeq: 1, agentsOnline: true });
    socket = next;
    expect(next.sent.filter((frame) => frame.type === "send")).toEqual([{ type: "send", clientId, body: "Written in a tunnel" }]);
  });

  test("what the server could not store is sent again after about 1 s, 3 s and 9 s, then shown as failed; Retry sends it once more", () => {
    jest.useFakeTimers();
    const clientId = write("Flaky");
    const refuse = () => socket.receive({ type: "error", code: "server_error", message: "Not saved.", clientId });
    for (const [wait, sends] of [[1500, 2], [3500, 3], [9500, 4]] as const) {
      refuse();
      jest.advanceTimersByTime(wait - 600);
      expect(sendsOf(clientId)).toBe(sends - 1);
      jest.advanceTimersByTime(600);
      expect(sendsOf(clientId)).toBe(sends);
    }
    refuse();
    expect(embed.chat.outbox[0]).toMatchObject({ clientId, failed: true });
    expect(embed.chat.rows.at(-1)).toMatchObject({ state: "failed", clientId });
    expect(embed.chat.error).toBe(EMBED_CONFIG.strings.errServer);
    embed.outbox.retry(clientId);
    expect(sendsOf(clientId)).toBe(5);
    expect(embed.chat.outbox[0].failed).toBe(false);
  });

  test("past a rate limit it waits retryAfter seconds, and says so in seconds, or in minutes from 90 s on", () => {
    jest.useFakeTimers();
    const clientId = write("Too fast");
    socket.receive({ type: "error", code: "rate_limited", message: "Too many messages.", retryAfter: 20, clientId });
    expect(embed.chat.error).toBe("Too many messages. Trying again in 20 s.");
    jest.advanceTimersByTime(19_999);
    expect(sendsOf(clientId)).toBe(1);
    jest.advanceTimersByTime(1);
    expect(sendsOf(clientId)).toBe(2);
    socket.receive({ type: "error", code: "rate_limited", message: "Too many new conversations.", retryAfter: 3412, clientId });
    expect(embed.chat.error).toBe("Too many messages. Trying again in 57 min.");
    expect(embed.chat.outbox[0]).toMatchObject({ clientId, failed: false, waiting: true });
  });

  test("a message the server refuses for good leaves the outbox, and its text goes back into an empty field", () => {
    const clientId = write("x".repeat(10));
    socket.receive({ type: "error", code: "too_long", message: "Too long.", clientId });
    expect(embed.chat.outbox).toEqual([]);
    expect(embed.chat.draft).toBe("x".repeat(10));
    expect(embed.chat.error).toBe("A message can have at most 5,000 characters.");
  });

  test("not acknowledged within 15 s, a message is shown as failed, and the next ready sends it again", () => {
    jest.useFakeTimers();
    const clientId = write("Into the void");
    jest.advanceTimersByTime(14_999);
    expect(embed.chat.outbox[0].failed).toBe(false);
    jest.advanceTimersByTime(1);
    expect(embed.chat.outbox[0].failed).toBe(true);
    socket.receive({ type: "ready", conversation: null, lastSeq: 1, agentsOnline: true });
    expect(sendsOf(clientId)).toBe(2);
  });

  test("what is read back from storage keeps only usable messages; a date that does not parse becomes now", () => {
    embed.storage.save("outbox", [{ clientId: "a", body: "kept", at: "2026-01-02T03:04:05.000Z" }, { clientId: 7, body: "no" }, "junk", { clientId: "b", body: "dated now", at: "not a date" }]);
    const restored = embed.outbox.storedOutbox();
    expect(restored.map((entry: Frame) => entry.body)).toEqual(["kept", "dated now"]);
    expect(restored[0].at).toBe("2026-01-02T03:04:05.000Z");
    expect(Date.now() - Date.parse(restored[1].at)).toBeLessThan(5000);
    embed.storage.save("outbox", { not: "a list" });
    expect(embed.outbox.storedOutbox()).toEqual([]);
  });
});

describe("the transcript", () => {
  const state = () => ({ msgs: [] as Frame[], notes: [] as Frame[], outbox: [] as Frame[], conv: null as Frame | null, lastSeq: 0 });

  test("messages that arrive out of order are kept in seq order, each once; lastSeq stops at a gap until it closes", () => {
    const s = state();
    expect(embed.transcript.addMessage(s, message(2))).toBe(true);
    expect(s.lastSeq).toBe(0);
    expect(embed.transcript.addMessage(s, message(3))).toBe(true);
    expect(embed.transcript.addMessage(s, message(2))).toBe(false);
    expect(embed.transcript.addMessage(s, message(1))).toBe(true);
    expect(s.msgs.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(s.lastSeq).toBe(3);
    embed.transcript.addMessage(s, message(5));
    expect(s.lastSeq).toBe(3);
  });

  test("rows: a heading per day, the author when it changes, notes where they happened, then the outbox; Seen under the last own message", () => {
    const today = new Date(2026, 4, 20, 12, 0);
    const at = (daysAgo: number, hour = 10) => new Date(2026, 4, 20 - daysAgo, hour).toISOString();
    const s = state();
    s.msgs = [
      message(1, { sender: "bot", createdAt: at(400) }),
      message(2, { sender: "customer", createdAt: at(3) }),
      message(3, { createdAt: at(1) }),
      message(4, { createdAt: at(1, 11) }),
      message(5, { sender: "customer", createdAt: at(0) }),
    ];
    s.notes = [{ key: "n0", kind: "note", text: "Ana joined the chat", after: 2, at: at(1, 9) }];
    s.outbox = [{ clientId: "c9", body: "on its way", at: at(0, 11), failed: false }];
    s.conv = { agentReadSeq: 5 };
    const rows = embed.transcript.transcriptRows(s, today);
    expect(rows.map((row: Frame) => (row.kind === "message" ? `${row.author || "-"}:${row.body}` : `${row.kind}:${row.text}`))).toEqual([
      "day:April 15, 2025",
      "Assistant:message 1",
      "day:Sunday, May 17",
      "-:message 2",
      "day:Yesterday",
      "note:Ana joined the chat",
      "Ana:message 3",
      "-:message 4",
      "day:Today",
      "-:message 5",
      "-:on its way",
    ]);
    expect(rows.filter((row: Frame) => row.seen).map((row: Frame) => row.body)).toEqual(["message 5"]);
    expect(rows.at(-1)).toMatchObject({ key: "oc9", mine: true, state: "sending", clientId: "c9" });
  });

  test("a message shows the server's rendering; one still in the outbox, or from a server without it, its text", () => {
    const s = state();
    const html = '<p><strong>UPS</strong> <a href="https://example.com" rel="noopener noreferrer nofollow ugc" target="_blank">https://example.com</a></p>';
    s.msgs = [message(1, { body: "**UPS** https://example.com", html }), message(2, { body: "**plain**" })];
    // Whatever a pending entry carries (storage is the host page's when the frame has none), it is shown as text.
    s.outbox = [{ clientId: "c1", body: "**not yet**", html: "<img src=x onerror=alert(1)>", at: new Date().toISOString(), failed: false }];
    const rows = embed.transcript.transcriptRows(s).filter((row: Frame) => row.kind === "message");
    expect(rows.map((row: Frame) => [row.body, row.html])).toEqual([
      ["**UPS** https://example.com", html],
      ["**plain**", ""],
      ["**not yet**", ""],
    ]);
  });
});
