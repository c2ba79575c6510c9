// Many widget clients in one worker process (bench/socket-memory.ts, bench/reconnect-storm.ts):
// each authenticates, may start a conversation, keeps its lastSeq as the widget does, and when its
// socket drops reconnects as the widget does, authenticates and resumes. The schedule is the widget's
// own module (public/embed/retry.js): a socket not open within timing.connectTimeoutMs is closed and
// tried again; the wait before each attempt is retryDelay(failures, the close was abnormal), with
// failures reset by `ready`.
// @ts-expect-error: a browser module without types
import { retryDelay, timing } from "../../public/embed/retry.js";
import { now } from "../support/stats.ts";
import { run, serve, SHOP_ORIGIN, waitUntil, type Msg } from "../support/workers.ts";

interface Client {
  ip: string;
  token: string;
  url: string;
  ws: WebSocket | null;
  conversation: string | null;
  /** The highest seq up to which this client has every message. */
  lastSeq: number;
  /** message frames received per seq (duplicates show as counts above 1). */
  frames: Map<number, number>;
  ready: boolean;
  /** ready.lastSeq of the current socket: resumed once lastSeq reaches it. */
  readyLastSeq: number;
  failures: number;
  lostAt: number;
  /** When the current attempt started, its socket opened and its `ready` came (0 until then): where a resume's time goes. */
  attemptedAt: number;
  openedAt: number;
  readyAt: number;
  resumedAt: number;
  errors: number;
}

const backoff = (c: Client, code: number): number => retryDelay(c.failures++, code === 1006);

export async function widgetFleetWorker() {
  let clients: Client[] = [];
  const dupes = { read: 0, later: 0 };
  const errorCodes: Record<string, number> = {};
  /** Where a dropped client reconnects (the surviving instance, as a load balancer would route it). */
  let reconnectUrl: string | null = null;
  /** From the retarget on: attempts, those given up unopened, and the closes of the others by code. */
  const retries = { attempts: 0, timedOut: 0, closes: {} as Record<number, number> };

  function resumedIfCaughtUp(c: Client) {
    if (c.ready && c.resumedAt === 0 && c.lastSeq >= c.readyLastSeq) c.resumedAt = now();
  }

  function onFrame(c: Client, data: string) {
    const f = JSON.parse(data);
    if (f.type === "message") {
      const seq: number = f.message.seq;
      const before = c.frames.get(seq) ?? 0;
      c.frames.set(seq, before + 1);
      // A second copy of a message that the current socket's join had already read (replayed and pushed), or a later one (a redelivery).
      if (before > 0) (seq <= c.readyLastSeq ? dupes.read++ : dupes.later++);
      while (c.frames.has(c.lastSeq + 1)) c.lastSeq++;
      resumedIfCaughtUp(c);
    } else if (f.type === "ready") {
      c.ready = true;
      c.readyAt = now();
      c.failures = 0;
      c.readyLastSeq = f.lastSeq;
      if (f.conversation) {
        c.conversation = f.conversation.id;
        c.ws!.send(JSON.stringify({ type: "resume", lastSeq: c.lastSeq }));
      }
      resumedIfCaughtUp(c);
    } else if (f.type === "status" && typeof f.conversation === "string" && c.conversation === null) {
      c.conversation = f.conversation;
      c.ws!.send(JSON.stringify({ type: "resume", lastSeq: c.lastSeq }));
    } else if (f.type === "error") {
      c.errors++;
      const key = `${f.code}: ${f.message}`;
      errorCodes[key] = (errorCodes[key] ?? 0) + 1;
    }
  }

  function connect(c: Client, url: string) {
    const ws = new WebSocket(url, { headers: { origin: SHOP_ORIGIN, "x-forwarded-for": c.ip } } as unknown as string[]);
    c.ws = ws;
    c.ready = false;
    c.attemptedAt = now();
    if (reconnectUrl) retries.attempts++;
    const opening = setTimeout(() => {
      if (ws.readyState !== WebSocket.CONNECTING) return;
      if (reconnectUrl) retries.timedOut++;
      ws.close();
    }, timing.connectTimeoutMs);
    ws.onopen = () => {
      clearTimeout(opening);
      c.openedAt = now();
      ws.send(JSON.stringify({ type: "auth", token: c.token }));
    };
    ws.onmessage = (e) => onFrame(c, e.data as string);
    ws.onclose = (e) => {
      clearTimeout(opening);
      if (c.ws !== ws || run.closing) return;
      c.ws = null;
      c.ready = false;
      if (!reconnectUrl) return;
      retries.closes[e.code] = (retries.closes[e.code] ?? 0) + 1;
      if (c.lostAt === 0) c.lostAt = now();
      c.resumedAt = c.openedAt = c.readyAt = 0;
      setTimeout(() => connect(c, reconnectUrl!), backoff(c, e.code));
    };
  }

  serve({
    /** Opens a socket per customer (added to those it holds), 50 upgrades at a time, and waits until all are ready (and, with `handoff`, in a conversation). */
    async connect({ url, customers, handoff }: Msg) {
      const added: Client[] = customers.map((k: { ip: string; token: string }) => ({
        ...k, url, ws: null, conversation: null, lastSeq: 0, frames: new Map(), ready: false, readyLastSeq: 0, failures: 0, lostAt: 0, attemptedAt: 0, openedAt: 0, readyAt: 0, resumedAt: 0, errors: 0,
      }));
      clients.push(...added);
      for (let i = 0; i < added.length; i += 50) {
        const batch = added.slice(i, i + 50);
        batch.forEach((c) => connect(c, url));
        await waitUntil("sockets ready", () => batch.every((c) => c.ready), 60_000);
      }
      if (handoff) {
        // 100 at a time: thousands of conversations started at once are a setup, not what is measured.
        for (let i = 0; i < added.length; i += 100) {
          const batch = added.slice(i, i + 100);
          for (const c of batch) c.ws!.send(JSON.stringify({ type: "handoff" }));
          await waitUntil("conversations", () => batch.every((c) => c.conversation !== null), 120_000);
        }
      }
      return { conversations: added.map((c) => c.conversation) };
    },
    /** Each client writes one message, so that the conversations have history to resume from. */
    async say() {
      for (let i = 0; i < clients.length; i += 100) {
        const batch = clients.slice(i, i + 100);
        batch.forEach((c, j) => c.ws!.send(JSON.stringify({ type: "send", clientId: `hello-${i + j}`, body: `hello ${i + j}` })));
        await waitUntil("first messages", () => batch.every((c) => c.lastSeq >= 1), 120_000);
      }
      return {};
    },
    /** From now on, dropped clients reconnect to `url`. */
    retarget({ url }: Msg) {
      reconnectUrl = url;
      return {};
    },
    /** Waits until every client that lost its socket is back and caught up; then when each was lost and resumed. */
    async resumed({ timeoutMs }: Msg) {
      // A killed instance's sockets all close within moments (the kernel resets its connections).
      await waitUntil("sockets dropped", () => clients.every((c) => c.lostAt > 0), 30_000).catch(() => {});
      const lost = () => clients.filter((c) => c.lostAt > 0);
      // Polled every 5 ms over every client: no array made per poll, so the bench's own clients take less of the cores the instance needs.
      await waitUntil("resumed", () => clients.every((c) => c.lostAt === 0 || c.resumedAt > 0), timeoutMs).catch(() => {});
      const l = lost();
      return {
        lost: l.length,
        lostAt: l.map((c) => c.lostAt),
        attemptedAt: l.map((c) => c.attemptedAt),
        openedAt: l.map((c) => c.openedAt),
        readyAt: l.map((c) => c.readyAt),
        resumedAt: l.map((c) => c.resumedAt),
        errors: errorCodes,
        dupes,
        retries,
      };
    },
    /** Per client: its conversation and the message frames it received per seq above `after`. */
    received({ after }: Msg) {
      return {
        dupes,
        clients: clients.map((c) => ({ conversation: c.conversation, lastSeq: c.lastSeq, seqs: [...c.frames].filter(([s]) => s > after) })),
      };
    },
    close() {
      run.closing = true;
      for (const c of clients) c.ws?.close();
      return {};
    },
  });
}
