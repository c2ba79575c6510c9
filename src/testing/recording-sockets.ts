// Sockets that record everything they receive, for tests that follow pushes across real
// processes (src/realtime/two-instances.test.ts): the customer's widget socket (JSON frames) and
// an agent's inbox socket (HTML partials), and a poll that waits for what they should get.

/** Generous but bounded: every cross-instance step normally takes a few milliseconds. */
export const WAIT_MS = 5000;

/** Polls `probe` until it returns something other than undefined/false, or fails with `what`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await Bun.sleep(10);
  }
}

export type Frame = { type: string; [key: string]: any };

/** A widget socket that records every frame it receives, in order. */
export class CustomerSocket {
  readonly frames: Frame[] = [];
  readonly ws: WebSocket;
  closed = false;
  onFrame: ((frame: Frame) => void) | null = null;

  constructor(base: string, headers: Record<string, string>) {
    this.ws = new WebSocket(`${base.replace("http", "ws")}/ws/widget`, { headers } as unknown as string[]);
    this.ws.onmessage = (e) => {
      const frame = JSON.parse(String(e.data)) as Frame;
      this.frames.push(frame);
      this.onFrame?.(frame);
    };
    this.ws.onclose = () => (this.closed = true);
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.ws.readyState === WebSocket.OPEN) return resolve();
      this.ws.onopen = () => resolve();
      this.ws.onerror = () => reject(new Error("widget socket did not open"));
    });
  }

  send(frame: Frame) {
    this.ws.send(JSON.stringify(frame));
  }

  /** The first frame from `from` on that matches. */
  waitFor(what: string, match: (f: Frame) => boolean, from = 0): Promise<Frame> {
    return waitFor(`customer: ${what} (got ${JSON.stringify(this.frames.slice(from))})`, () => this.frames.slice(from).find(match));
  }
}

/** The agent's socket: HTML partials, recorded as text. */
export class AgentSocket {
  readonly partials: string[] = [];
  readonly ws: WebSocket;

  constructor(base: string, headers: Record<string, string>) {
    this.ws = new WebSocket(`${base.replace("http", "ws")}/ws/inbox`, { headers } as unknown as string[]);
    this.ws.onmessage = (e) => this.partials.push(String(e.data));
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws.onopen = () => resolve();
      this.ws.onerror = () => reject(new Error("agent socket did not open"));
    });
  }

  send(frame: Record<string, unknown>) {
    this.ws.send(JSON.stringify(frame));
  }

  waitFor(what: string, match: (p: string) => boolean, from = 0): Promise<string> {
    return waitFor(`agent: ${what} (got ${this.partials.length - from} partials)`, () => this.partials.slice(from).find(match));
  }

  /** Every message article pushed live to this socket: id -> seq. */
  messages(conversationId: string): Map<string, number> {
    const seen = new Map<string, number>();
    for (const p of this.partials) {
      if (!p.startsWith(`<div id="messages-${conversationId}"`)) continue;
      for (const m of p.matchAll(/<article id="msg-([0-9a-f-]+)"[^>]*data-seq="(\d+)"/g)) seen.set(m[1]!, Number(m[2]));
    }
    return seen;
  }
}

/** The text of the first message in a push, when it is one paragraph (the body is rendered Markdown). */
export const bodyOf = (partial: string) => /<div class="message-body"><p>([\s\S]*?)<\/p><\/div>/.exec(partial)?.[1]?.trim();

/** A customer's outbox (sent, not yet acked: clientId -> body), the message ids acked for each clientId, and what records an ack in both. */
export function ackLedger() {
  const outbox = new Map<string, string>();
  const acks = new Map<string, string[]>();
  const recordAck = (f: Frame) => {
    if (f.type !== "ack") return;
    outbox.delete(f.clientId);
    acks.set(f.clientId, [...(acks.get(f.clientId) ?? []), f.message.id]);
  };
  return { outbox, acks, recordAck };
}
