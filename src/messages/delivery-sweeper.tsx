// The readers' own catch-up (ARCHITECTURE §4): pub/sub is only the fast path, so each instance
// checks the database for messages its own readers should have received and did not: a process
// that died between commit and publish, a Redis message lost in an outage. Cheap by design: one
// indexed query per tick over the conversations this instance's sockets are watching.
import type { Db } from "../db/database.ts";
import { errorMessage, type Logger } from "../log/logger.ts";
import type { Bus, SeqMark } from "../realtime/bus.ts";
import { realClock, type Clock, type ClockTimer } from "../realtime/clock.ts";
import { noMetrics, type Metrics } from "../metrics/metrics.ts";
import { messagePushes, type WidgetFileLinks } from "./message-pushes.tsx";
import { lastSeqsOf } from "./queries.ts";
import { messagesAfter } from "./service.ts";

/** How often the database is asked; a lost message reaches its readers within about two of these. */
const SWEEP_INTERVAL_MS = 1000;

/** PostgreSQL takes at most 65,535 parameters per statement. */
const IDS_PER_QUERY = 5000;

interface Watch {
  /** Local sockets (widget and agents) watching this conversation. */
  watchers: number;
  /** Every seq up to here has reached this instance (or was history when the first reader joined). */
  watermark: number;
  /** Delivered seqs above the watermark: they arrived out of order, the gap below is still open. */
  above: Set<number>;
  /** The database's lastSeq when a gap was first seen; repaired if still open at the next tick. */
  suspectUpTo: number | null;
}

export class DeliverySweeper {
  private readonly watched = new Map<string, Watch>();
  private timer: ClockTimer | null = null;
  private running = false;
  private sweeping: Promise<void> | null = null;
  private readonly clock: Clock;

  constructor(
    private readonly deps: { db: Db; bus: Bus; log: Logger; clock?: Clock; metrics?: Pick<Metrics, "redelivered">; fileLinks?: WidgetFileLinks },
    private readonly intervalMs = SWEEP_INTERVAL_MS,
  ) {
    this.clock = deps.clock ?? realClock;
    deps.bus.onDelivered((mark) => this.delivered(mark));
    // After a lost subscription the gaps are known to be real: repair at once, without the grace tick.
    deps.bus.onResync(() => void this.sweep(true));
  }

  /** The app's file links, known once its context is (createApp): a redelivered file message needs them. */
  useFileLinks(links: WidgetFileLinks): void {
    this.deps.fileLinks = links;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** The next tick comes an interval after this one's pass ended (a slow database never stacks passes). */
  private schedule(): void {
    this.timer = this.clock.setTimeout(async () => {
      this.timer = null;
      await this.sweep(false);
      if (this.running && !this.timer) this.schedule();
    }, this.intervalMs);
  }

  /** A local socket now shows this conversation up to `seenSeq` (what it read when it joined). */
  watch(conversationId: string, seenSeq: number): void {
    const entry = this.watched.get(conversationId);
    if (entry) entry.watchers++;
    else this.watched.set(conversationId, { watchers: 1, watermark: seenSeq, above: new Set(), suspectUpTo: null });
  }

  unwatch(conversationId: string): void {
    const entry = this.watched.get(conversationId);
    if (entry && --entry.watchers <= 0) this.watched.delete(conversationId);
  }

  get watchedCount(): number {
    return this.watched.size;
  }

  private delivered(mark: SeqMark): void {
    const entry = this.watched.get(mark.conversationId);
    if (!entry || mark.seq <= entry.watermark) return;
    entry.above.add(mark.seq);
    while (entry.above.delete(entry.watermark + 1)) entry.watermark++;
  }

  /** One pass; `now` skips the grace tick. Passes never overlap. */
  sweep(now: boolean): Promise<void> {
    this.sweeping ??= this.pass(now)
      .catch((err: unknown) => this.deps.log.warn("delivery sweep failed", { error: errorMessage(err) }))
      .finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async pass(now: boolean): Promise<void> {
    const ids = [...this.watched.keys()];
    for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
      await this.check(ids.slice(i, i + IDS_PER_QUERY), now);
    }
  }

  private async check(ids: string[], now: boolean): Promise<void> {
    const rows = await lastSeqsOf(this.deps.db, ids);
    for (const row of rows) {
      const entry = this.watched.get(row.id);
      if (!entry || row.lastSeq <= entry.watermark) {
        if (entry) entry.suspectUpTo = null;
        continue;
      }
      // A gap seen for the first time may be a publish still on its way: give it one tick.
      const upTo = now ? row.lastSeq : entry.suspectUpTo;
      entry.suspectUpTo = row.lastSeq;
      if (upTo !== null && upTo > entry.watermark) await this.repair(row.id, entry, upTo);
    }
  }

  /** Publishes to this instance's sockets the messages up to `upTo` that never reached them. */
  private async repair(conversationId: string, entry: Watch, upTo: number): Promise<void> {
    const missing = (await messagesAfter(this.deps.db, conversationId, entry.watermark)).filter(
      (m) => m.seq <= upTo && !entry.above.has(m.seq),
    );
    if (missing.length) {
      this.deps.log.info("redelivering messages whose publish was lost", { conversationId, count: missing.length });
      (this.deps.metrics ?? noMetrics).redelivered(missing.length);
    }
    for (const message of missing) {
      const mark = { conversationId, seq: message.seq };
      for (const [topic, data] of await messagePushes(conversationId, message, this.deps.fileLinks)) this.deps.bus.publishLocal(topic, data, mark);
    }
  }
}
