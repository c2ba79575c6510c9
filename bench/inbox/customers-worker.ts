// The inbox bench's customers, in a worker process of their own: a widget socket each on a
// seeded open conversation, writing at the rate asked, and counting acks.
import { dist, LagMeter, now } from "../support/stats.ts";
import { openSockets, run, serve, SHOP_ORIGIN, waitUntil, type Msg } from "../support/workers.ts";

export async function customersWorker() {
  const lag = new LagMeter();
  let sockets: WebSocket[] = [];
  const ready: boolean[] = [];
  let round = "";
  let sentAt = new Float64Array(0);
  let ackedAt = new Float64Array(0);
  let errors = new Map<string, number>();

  function onFrame(i: number, data: string) {
    // Acks and errors are what this side counts; message echoes, statuses and queue places pass by.
    if (data.startsWith('{"type":"message"')) return;
    const f = JSON.parse(data);
    if (f.type === "ack") {
      const id: string = f.clientId;
      const dash = id.lastIndexOf("-");
      if (id.slice(0, dash) !== round) return;
      const n = Number(id.slice(dash + 1));
      if (n < ackedAt.length && ackedAt[n] === 0) ackedAt[n] = now();
    } else if (f.type === "ready") {
      ready[i] = true;
    } else if (f.type === "error") {
      errors.set(f.code, (errors.get(f.code) ?? 0) + 1);
    }
  }

  serve({
    async connect({ base, customers }: Msg) {
      const url = `${(base as string).replace("http", "ws")}/ws/widget`;
      sockets = await openSockets(url, customers.length, (i) => ({ origin: SHOP_ORIGIN, "x-forwarded-for": customers[i].ip }), onFrame);
      sockets.forEach((ws, i) => ws.send(JSON.stringify({ type: "auth", token: customers[i].token })));
      await waitUntil("customers ready", () => sockets.every((_, i) => ready[i]), 60_000);
      return { connected: sockets.length };
    },
    async run({ name, rate, seconds, bodyBytes }: Msg) {
      round = name;
      const total = Math.round(rate * seconds);
      sentAt = new Float64Array(total);
      ackedAt = new Float64Array(total);
      errors = new Map();
      const pad = "x".repeat(Math.max(0, bodyBytes - 40));
      const n = sockets.length;
      // A random order of the sockets per pass: messages land on conversations all over the list.
      let order = shuffled(n);
      lag.take();
      let sent = 0;
      const start = now();
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          const due = Math.min(total, Math.floor(((now() - start) / 1000) * rate));
          while (sent < due) {
            const k = sent++;
            if (k % n === 0 && k > 0) order = shuffled(n);
            sentAt[k] = now();
            sockets[order[k % n]!]!.send(JSON.stringify({ type: "send", clientId: `${name}-${k}`, body: `Customer message ${k} ${pad}` }));
          }
          if (sent >= total) {
            clearInterval(timer);
            resolve();
          }
        }, 1);
      });
      const end = now();
      const sendLag = lag.take();
      await waitUntil("acks", () => ackedAt.every((t) => t > 0), 10_000).catch(() => {});
      const ackLatency: number[] = [];
      let acked = 0;
      for (let k = 0; k < total; k++) {
        if (ackedAt[k]! > 0) {
          acked++;
          ackLatency.push(ackedAt[k]! - sentAt[k]!);
        }
      }
      return { total, start, end, acked, ackLatency: dist(ackLatency), errors: Object.fromEntries(errors), lag: sendLag };
    },
    close() {
      run.closing = true;
      for (const ws of sockets) ws.close();
      lag.stop();
      return {};
    },
  });
}

function shuffled(n: number): Uint32Array {
  const a = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
