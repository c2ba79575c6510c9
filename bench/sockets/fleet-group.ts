// Several widget-fleet workers (widget-fleet.ts) acting as one: a storm's clients spread over
// processes, as real ones are spread over browsers. In one process, the 9,500 reconnects of a storm
// queued behind each other: every client made one attempt, yet attempts scheduled within 2 s of
// the kill started up to 10-15 s after it, while that process sat in `new WebSocket`.
import type { Msg, Worker } from "../support/workers.ts";

type Counts = Record<string, number>;

/** widget-fleet's `received`: per client, its conversation and the message frames it got per seq. */
export interface Received {
  clients: { conversation: string; lastSeq: number; seqs: [number, number][] }[];
  dupes: { read: number; later: number };
}

const addCounts = (into: Counts, from: Counts) => {
  for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n;
  return into;
};

export class FleetGroup {
  constructor(private readonly workers: Worker[]) {}

  get pids(): number[] {
    return this.workers.map((w) => w.proc.pid);
  }

  private each(cmd: string, args: Msg = {}): Promise<Msg[]> {
    return Promise.all(this.workers.map((w) => w.call(cmd, args)));
  }

  /** Splits `customers` into contiguous parts, one per worker: the conversations come back in the order given. */
  async connect(args: { url: string; customers: unknown[]; handoff?: boolean }): Promise<{ conversations: (string | null)[] }> {
    const per = Math.ceil(args.customers.length / this.workers.length);
    const results = await Promise.all(this.workers.map((w, i) => w.call("connect", { ...args, customers: args.customers.slice(i * per, (i + 1) * per) })));
    return { conversations: results.flatMap((r) => r.conversations as (string | null)[]) };
  }

  async say(): Promise<void> {
    await this.each("say");
  }

  async retarget(url: string): Promise<void> {
    await this.each("retarget", { url });
  }

  /** widget-fleet's `resumed`, of every worker's clients together. */
  async resumed(timeoutMs: number): Promise<Msg> {
    const parts = await this.each("resumed", { timeoutMs });
    const lists = ["lostAt", "attemptedAt", "openedAt", "readyAt", "resumedAt"] as const;
    const merged: Msg = { lost: 0, errors: {}, dupes: { read: 0, later: 0 }, retries: { attempts: 0, timedOut: 0, closes: {} } };
    for (const name of lists) merged[name] = parts.flatMap((p) => p[name] as number[]);
    for (const p of parts) {
      merged.lost += p.lost;
      addCounts(merged.errors, p.errors);
      addCounts(merged.dupes, p.dupes);
      merged.retries.attempts += p.retries.attempts;
      merged.retries.timedOut += p.retries.timedOut;
      addCounts(merged.retries.closes, p.retries.closes);
    }
    return merged;
  }

  /** widget-fleet's `received`, of every worker's clients together. */
  async received(after: number): Promise<Received> {
    const parts = await this.each("received", { after });
    const dupes = { read: 0, later: 0 };
    for (const p of parts) addCounts(dupes, p.dupes);
    return { clients: parts.flatMap((p) => p.clients), dupes };
  }
}
