// The delivery bench's customers, in a worker process of their own: a widget socket each on
// instance A, sending at each step's rate and timing the acks.
import { dist, LagMeter, now } from "../support/stats.ts";
import { openSockets, run, serve, SHOP_ORIGIN, waitUntil, type Msg } from "../support/workers.ts";
import { GRACE_MS } from "./targets.ts";

/** A typing signal goes from the customer's socket to the agent's with no statement: the transport alone. */
const TYPING = JSON.stringify({ type: "typing", on: true });
const PROBE_EVERY_MS = 20;

export async function customersWorker() {
  const lag = new LagMeter();
  let sockets: WebSocket[] = [];
  const conversationOf: (string | null)[] = [];
  const ready: boolean[] = [];
  /** Current step's bookkeeping, by message number n. */
  let step = -1;
  let sentAt: Float64Array = new Float64Array(0);
  let ackedAt: Float64Array = new Float64Array(0);
  let ackCount: Uint16Array = new Uint16Array(0);
  let errors = new Map<string, number>();
  const warmAcks = new Set<string>();

  function onFrame(i: number, data: string) {
    // Acks and errors are what this side counts; message echoes and status frames pass by.
    if (data.startsWith('{"type":"message"')) return;
    const f = JSON.parse(data);
    if (f.type === "ack") {
      const id: string = f.clientId;
      if (id.startsWith("w")) return void warmAcks.add(id);
      const dash = id.lastIndexOf("-");
      if (Number(id.slice(1, dash)) !== step) return;
      const n = Number(id.slice(dash + 1));
      if (n < ackCount.length && ackCount[n]!++ === 0) ackedAt[n] = now();
    } else if (f.type === "ready") {
      ready[i] = true;
    } else if (f.type === "status" && typeof f.conversation === "string") {
      conversationOf[i] = f.conversation;
    } else if (f.type === "error") {
      errors.set(f.code, (errors.get(f.code) ?? 0) + 1);
    }
  }

  serve({
    async connect({ base, customers }: Msg) {
      const url = `${base.replace("http", "ws")}/ws/widget`;
      sockets = await openSockets(url, customers.length, (i) => ({ origin: SHOP_ORIGIN, "x-forwarded-for": customers[i].ip }), onFrame);
      sockets.forEach((ws, i) => ws.send(JSON.stringify({ type: "auth", token: customers[i].token })));
      await waitUntil("customers ready", () => sockets.every((_, i) => ready[i]), 30_000);
      // "Talk to a human": the conversation starts queued (and the inbox is in immediate mode anyway).
      sockets.forEach((ws) => ws.send(JSON.stringify({ type: "handoff" })));
      await waitUntil("conversations created", () => sockets.every((_, i) => conversationOf[i]), 60_000);
      return { conversations: conversationOf };
    },
    async warmup({ round, only }: Msg) {
      const targets: number[] = only ?? sockets.map((_, i) => i);
      for (const i of targets) sockets[i]!.send(JSON.stringify({ type: "send", clientId: `w${round}-${i}`, body: `w ${round} ${i}` }));
      await waitUntil("warm-up acks", () => targets.every((i) => warmAcks.has(`w${round}-${i}`)), 30_000);
      return {};
    },
    clock() {
      return { t: now() };
    },
    async step({ step: s, rate, seconds, bodyBytes }: Msg) {
      step = s;
      const total = Math.round(rate * seconds);
      sentAt = new Float64Array(total);
      ackedAt = new Float64Array(total);
      ackCount = new Uint16Array(total);
      errors = new Map();
      const pad = "x".repeat(Math.max(0, bodyBytes - 48));
      const n = sockets.length;
      lag.take();
      let sent = 0;
      // The transport probe: a typing signal from one customer after another (each one every
      // PROBE_EVERY_MS * n, within the typing limit), timed to the agent's socket like a message.
      const probes: Array<[socket: number, at: number]> = [];
      const prober = setInterval(() => {
        const i = probes.length % n;
        probes.push([i, now()]);
        sockets[i]!.send(TYPING);
      }, PROBE_EVERY_MS);
      const start = now();
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          const due = Math.min(total, Math.floor(((now() - start) / 1000) * rate));
          while (sent < due) {
            const k = sent++;
            const t = now();
            sentAt[k] = t;
            // The body carries the step, the message number and the send time, for the agents' side.
            sockets[k % n]!.send(JSON.stringify({ type: "send", clientId: `b${s}-${k}`, body: `b ${s} ${k} ${t.toFixed(3)} ${pad}` }));
          }
          if (sent >= total) {
            clearInterval(timer);
            resolve();
          }
        }, 1);
      });
      clearInterval(prober);
      const end = now();
      const sendLag = lag.take();
      const allAcked = () => ackCount.every((c) => c > 0);
      await waitUntil("acks", allAcked, GRACE_MS).catch(() => {});
      const ackLatency: number[] = [];
      const acked: number[] = [];
      let ackDup = 0;
      for (let k = 0; k < total; k++) {
        if (ackCount[k]! > 0) {
          acked.push(k);
          ackLatency.push(ackedAt[k]! - sentAt[k]!);
        }
        if (ackCount[k]! > 1) ackDup++;
      }
      return {
        total,
        start,
        end,
        acked,
        ackDup,
        ackLatency: dist(ackLatency),
        errors: Object.fromEntries(errors),
        lag: sendLag,
        drainLag: lag.take(),
        probes,
      };
    },
    /** After an overloaded step: waits for the backlog (every ack) so the next step starts clean. */
    async drain({ timeoutMs }: Msg) {
      const t = performance.now();
      const done = await waitUntil("backlog", () => ackCount.every((c) => c > 0), timeoutMs).then(() => true, () => false);
      return { done, ms: performance.now() - t };
    },
    close() {
      run.closing = true;
      for (const ws of sockets) ws.close();
      lag.stop();
      return {};
    },
  });
}
