// The delivery bench's agents, in a worker process of their own: an inbox socket on instance B
// per conversation, each an agent of its own (team.ts) on the inbox page (following the inbox
// list on one tab) with that conversation open,
// timing each message's arrival; and a few sockets of agents on the tickets page, which show no
// conversation: what they receive per customer message is what a page pays for topics it does
// not show (issue 13: before, every agent socket heard the inbox and the tickets topics).
import { dist, LagMeter, now } from "../support/stats.ts";
import { openSockets, run, serve, waitUntil, type Msg } from "../support/workers.ts";
import { GRACE_MS } from "./targets.ts";

/** What the agent sockets on one tab received in a step. */
export interface TabTally {
  sockets: number;
  frames: number;
  bytes: number;
  /** The list pushes among them (rows and "the list is stale"). */
  listFrames: number;
  listBytes: number;
}

export async function agentsWorker() {
  const lag = new LagMeter();
  let sockets: WebSocket[] = [];
  let step = -1;
  let received: Uint16Array = new Uint16Array(0);
  let latency: number[] = [];
  let foreign = 0;
  /** Conversations (by index) whose agent socket has received a warm-up message. */
  const warmSeen = new Set<number>();
  let frames = 0;
  let bytes = 0;
  let messageFrames = 0;
  let ticketSockets: WebSocket[] = [];
  let ticketPageFrames = 0;
  let ticketPageBytes = 0;
  /** Each socket's tab, and what the sockets on each tab received: every frame, and the list pushes among them. */
  let tabs: string[] = [];
  let byTab = new Map<string, TabTally>();

  const BODY = '<div class="message-body"><p>';
  const TYPING_ON = 'class="typing" data-on="true"';
  let typingSeen: Array<[socket: number, at: number]> = [];
  function onFrame(i: number, data: string) {
    // The customers' typing probes (customers-worker.ts): when each reached its agent's socket; not
    // part of what a customer message costs the pages.
    if (data.includes(TYPING_ON)) return void typingSeen.push([i, now()]);
    frames++;
    const size = Buffer.byteLength(data);
    bytes += size;
    const tally = byTab.get(tabs[i]!);
    if (tally) {
      tally.frames++;
      tally.bytes += size;
      if (data.startsWith("{") && data.includes('"stale":"inbox"')) {
        tally.listFrames++;
        tally.listBytes += size;
      }
    }
    // Everything else (the inbox rows, statuses) is looked at no further.
    if (data.indexOf(BODY) < 0) return;
    messageFrames++;
    const t = now();
    let at = data.indexOf(BODY);
    while (at >= 0) {
      const from = at + BODY.length;
      const body = data.slice(from, data.indexOf("</p>", from)).trim();
      const parts = body.split(" ");
      if (parts[0] === "w") warmSeen.add(Number(parts[2]));
      else if (parts[0] === "b") {
        const s = Number(parts[1]);
        const k = Number(parts[2]);
        if (s !== step || k >= received.length) foreign++;
        else if (received[k]!++ === 0) latency.push(t - Number(parts[3]));
      }
      at = data.indexOf(BODY, from);
    }
  }

  serve({
    async connect({ base, cookie, cookies, inboxTabs, origin, conversations, ticketPages }: Msg) {
      const url = `${base.replace("http", "ws")}/ws/inbox`;
      tabs = inboxTabs;
      sockets = await openSockets(url, conversations.length, (i) => ({ cookie: cookies[i], origin }), (i, data) => onFrame(i, data));
      // A server before the follow frame ignores it (and sent the inbox list to every socket anyway);
      // one before the tab in it ignores the tab (and sent every row to every inbox page).
      sockets.forEach((ws, i) => {
        ws.send(JSON.stringify(tabs[i] === "none" ? { type: "follow", page: "inbox" } : { type: "follow", page: "inbox", tab: tabs[i] }));
        ws.send(JSON.stringify({ type: "view", conversation: conversations[i] }));
      });
      const onTicketPageFrame = (data: string) => {
        ticketPageFrames++;
        ticketPageBytes += Buffer.byteLength(data);
      };
      ticketSockets = await openSockets(url, ticketPages, () => ({ cookie, origin }), (_, data) => onTicketPageFrame(data));
      for (const ws of ticketSockets) ws.send(JSON.stringify({ type: "follow", page: "tickets" }));
      return {};
    },
    warmStatus({ count }: Msg) {
      const missing: number[] = [];
      for (let i = 0; i < count; i++) if (!warmSeen.has(i)) missing.push(i);
      return { missing };
    },
    clock() {
      return { t: now() };
    },
    begin({ step: s, total }: Msg) {
      step = s;
      received = new Uint16Array(total);
      latency = [];
      foreign = 0;
      typingSeen = [];
      frames = 0;
      bytes = 0;
      messageFrames = 0;
      ticketPageFrames = 0;
      ticketPageBytes = 0;
      byTab = new Map(tabs.map((tab) => [tab, { sockets: tabs.filter((t) => t === tab).length, frames: 0, bytes: 0, listFrames: 0, listBytes: 0 }]));
      lag.take();
      return {};
    },
    async finish({ acked }: Msg) {
      const sendLag = lag.take();
      // Lost = acked but not delivered within the grace period after the step.
      await waitUntil("deliveries", () => (acked as number[]).every((k) => received[k]! > 0), GRACE_MS).catch(() => {});
      const lost: number[] = (acked as number[]).filter((k) => received[k] === 0);
      let duplicated = 0;
      let delivered = 0;
      for (const c of received) {
        if (c > 0) delivered++;
        if (c > 1) duplicated += c - 1;
      }
      return { delivered, lost: lost.length, lostSample: lost.slice(0, 5), duplicated, foreign, latency: dist(latency), typingSeen, lag: sendLag, frames, bytes, messageFrames, ticketPageFrames, ticketPageBytes, ticketPages: ticketSockets.length, byTab: [...byTab].map(([tab, tally]) => ({ tab, ...tally })) };
    },
    /** After a backlog drained: is every message of the step delivered (once) by now? */
    async settle({ timeoutMs }: Msg) {
      await waitUntil("all delivered", () => received.every((c) => c > 0), timeoutMs).catch(() => {});
      let delivered = 0;
      let duplicated = 0;
      for (const c of received) {
        if (c > 0) delivered++;
        if (c > 1) duplicated += c - 1;
      }
      return { delivered, duplicated };
    },
    close() {
      run.closing = true;
      for (const ws of [...sockets, ...ticketSockets]) ws.close();
      lag.stop();
      return {};
    },
  });
}
