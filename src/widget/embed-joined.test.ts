// "Sam joined the chat" in the widget (issue 18 item 7): the customer is told once who is with
// them now, not each internal hop. The widget's modules in happy-dom (embed-dom.ts), a fake clock.
import { afterAll, afterEach, beforeAll, beforeEach, expect, jest, test } from "bun:test";
import { FakeSocket, loadEmbed, type Frame } from "./embed-dom.ts";

let embed: Awaited<ReturnType<typeof loadEmbed>>;
let socket: FakeSocket;
let joined: { joinTiming: { settleMs: number } };
beforeAll(async () => {
  embed = await loadEmbed();
  socket = await embed.connect();
  joined = await import(new URL("../../public/embed/joined.js", import.meta.url).href);
});
afterAll(() => embed.unload());

let seq = 0;
const notes = () => embed.chat.notes.map((note: Frame) => note.text);
const status = (state: string, agent: string | null = null) => socket.receive({ type: "status", status: state, queuePosition: state === "queued" ? 1 : null, agent: agent && { name: agent } });
const wait = (ms: number) => jest.advanceTimersByTime(ms);
const settle = () => wait(joined.joinTiming.settleMs);

beforeEach(() => {
  // A conversation of its own for each test, waiting in the queue, as the page first hears of it.
  Object.assign(embed.chat, { conv: null, notes: [], msgs: [], lastSeq: 0 });
  socket.receive({ type: "status", status: "queued", conversation: `c-${crypto.randomUUID()}`, queuePosition: 1 });
  jest.useFakeTimers();
});
afterEach(() => jest.useRealTimers());

test("a lead who claims and at once hands over to Sam: one line, for Sam, once the assignment has held", () => {
  status("assigned", "Lead");
  wait(1000);
  status("assigned", "Sam");
  wait(joined.joinTiming.settleMs - 1);
  expect(notes()).toEqual([]);
  wait(1);
  expect(notes()).toEqual(["Sam joined the chat"]);
  expect(embed.chat.agentName).toBe("Sam");
});

test("hops that end where they began say nothing; the same agent after a requeue is not told again", () => {
  status("assigned", "Sam");
  settle();
  status("assigned", "Lead");
  wait(500);
  status("assigned", "Sam");
  settle();
  status("queued");
  settle();
  status("assigned", "Sam");
  settle();
  expect(notes()).toEqual(["Sam joined the chat"]);
  // A real change of agent is told.
  status("assigned", "Lead");
  settle();
  expect(notes()).toEqual(["Sam joined the chat", "Lead joined the chat"]);
});

test("an agent who writes before the moment is over: the line comes first, then the message", () => {
  status("assigned", "Sam");
  socket.receive({ type: "message", message: { id: `m-${++seq}`, seq: 1, body: "Hi, Sam here", sender: "agent", agentName: "Sam", createdAt: new Date().toISOString() } });
  expect(embed.chat.rows.filter((row: Frame) => row.kind !== "day").map((row: Frame) => row.text ?? row.body)).toEqual(["Sam joined the chat", "Hi, Sam here"]);
  settle();
  expect(notes()).toEqual(["Sam joined the chat"]);
});

test("a page that opens on a conversation already with Sam says nothing; after a close, the next episode's agent is told", () => {
  Object.assign(embed.chat, { conv: null });
  embed.storage.save("with", "");
  status("assigned", "Sam"); // the first status this page has (a reload, the next page)
  settle();
  expect(notes()).toEqual([]);
  status("closed");
  status("queued");
  status("assigned", "Sam");
  settle();
  expect(notes()).toEqual(["Conversation closed. Write a message to reopen it.", "Sam joined the chat"]);
});
