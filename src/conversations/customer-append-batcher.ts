import type { Db } from "../db/database.ts";
import type { Context } from "@opentelemetry/api";
import { isConnectionFailure, isUniqueViolation } from "../db/rows.ts";
import { batchSpan, traceContextNow } from "../tracing/work-spans.ts";
import { appendCustomerMessagesFast, type FastAppendResult, type FastCustomerMessage } from "../messages/append-queries.ts";

/** Messages of one statement at most: enough to absorb bursts, small enough to keep it quick. */
const MAX_BATCH = 64;
/**
 * Under load, one statement in flight: the next batch fills while it commits (two in flight
 * measured slower there: smaller batches, more PostgreSQL CPU per message). When batches hold
 * about one message anyway, waiting for the statement ahead only adds its time to this one's
 * (half a millisecond at the median at 1,000 msgs/s), so a second one may start beside it.
 */
const MAX_IN_FLIGHT_BUSY = 1;
const MAX_IN_FLIGHT_QUIET = 2;
/** Quiet while the recent batches average at most this many messages (an EWMA over about ten). */
const QUIET_BATCH_SIZE = 1.5;
const EWMA_WEIGHT = 0.1;
/**
 * A message not stored by then is refused (the client resends it by its clientId), and a statement
 * not answered within a third of it gives up its slot to the next batch: one stuck statement (a lock
 * held by a stalled client, a connection that went silent) must not hold every customer's
 * messages. A statement takes milliseconds; the server ends a stuck one after its
 * statement_timeout (src/db/postgres.ts).
 */
export const DEADLINE_MS = 3000;

/** The message was not stored within the deadline; it may still be (a resend then finds it). */
export class AppendDeadline extends Error {
  constructor(ms: number) {
    super(`the message was not stored within ${ms} ms`);
  }
}

interface Pending {
  message: FastCustomerMessage;
  /** The sender's trace context (its frame's), when tracing is on. */
  trace: Context | undefined;
  resolve(result: FastAppendResult | null): void;
  reject(err: unknown): void;
  /** When it is refused if not stored by then (performance.now()). */
  due: number;
}

/**
 * Group commit for customers' messages. Under load, each commit's WAL flush and round trip is
 * shared by every message that arrived while the previous statements were running; with no
 * load a message goes out at once, alone, so nothing waits on a timer. One contact's messages
 * never share a statement or run in two at once, so they are stored in the order they came.
 */
export class CustomerAppendBatcher {
  private readonly queue: Pending[] = [];
  private readonly busyContacts = new Set<string>();
  private inFlight = 0;
  /** Recent messages per statement (starts quiet: an idle server sends each message at once). */
  private averageBatch = 1;
  /**
   * Messages not answered yet, oldest first: all have the same deadline from their arrival, so they
   * fall due in this order, and one timer for the oldest serves them all (none per message).
   */
  private readonly unanswered = new Set<Pending>();
  private deadlineTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly db: Db,
    private readonly deadlineMs = DEADLINE_MS,
  ) {}

  /**
   * The stored message (or the original under the same clientId); null when the conversation
   * needs the full path, or when a racing copy of this message won and the full path will find it.
   * Rejects with AppendDeadline when it is not stored within the deadline, counted from now.
   */
  append(message: FastCustomerMessage): Promise<FastAppendResult | null> {
    return new Promise((resolve, reject) => {
      // Settling twice is harmless: a message refused at its deadline may still be stored later.
      const pending: Pending = {
        message,
        trace: traceContextNow(),
        resolve: (result) => (this.unanswered.delete(pending), resolve(result)),
        reject: (err) => (this.unanswered.delete(pending), reject(err)),
        due: performance.now() + this.deadlineMs,
      };
      this.unanswered.add(pending);
      this.deadlineTimer ??= setTimeout(() => this.refuseOverdue(), this.deadlineMs);
      this.queue.push(pending);
      this.flush();
    });
  }

  /** Refuses every message past its deadline (taking it out of the queue), then waits for the next oldest. */
  private refuseOverdue(): void {
    this.deadlineTimer = null;
    const now = performance.now();
    for (const pending of this.unanswered) {
      if (pending.due > now) {
        this.deadlineTimer = setTimeout(() => this.refuseOverdue(), pending.due - now);
        return;
      }
      const queued = this.queue.indexOf(pending);
      if (queued >= 0) this.queue.splice(queued, 1);
      pending.reject(new AppendDeadline(this.deadlineMs));
    }
  }

  private flush(): void {
    while (this.inFlight < (this.averageBatch <= QUIET_BATCH_SIZE ? MAX_IN_FLIGHT_QUIET : MAX_IN_FLIGHT_BUSY)) {
      const batch = this.takeBatch();
      if (!batch.length) return;
      this.averageBatch += EWMA_WEIGHT * (batch.length - this.averageBatch);
      this.inFlight++;
      // The slot is given back when the statement ends or after a third of the deadline, whichever
      // comes first, so messages queued behind a stuck statement still have time to be stored.
      // Its contacts stay busy until it ends, so none of their later messages can overtake it.
      let slotHeld = true;
      const freeSlot = () => {
        clearTimeout(stuck);
        if (slotHeld) (slotHeld = false), this.inFlight--;
        this.flush();
      };
      const stuck = setTimeout(freeSlot, this.deadlineMs / 3);
      void this.run(batch).finally(() => {
        for (const p of batch) this.busyContacts.delete(contactKey(p.message));
        freeSlot();
      });
    }
  }

  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const inBatch = new Set<string>();
    for (let i = 0; i < this.queue.length && batch.length < MAX_BATCH; ) {
      const key = contactKey(this.queue[i]!.message);
      // A contact already in a statement (or earlier in the queue) waits: its order must hold.
      if (this.busyContacts.has(key) || inBatch.has(key)) {
        inBatch.add(key);
        i++;
        continue;
      }
      inBatch.add(key);
      batch.push(this.queue.splice(i, 1)[0]!);
    }
    for (const p of batch) this.busyContacts.add(contactKey(p.message));
    return batch;
  }

  private run(batch: Pending[]): Promise<void> {
    return batchSpan(batch.map((p) => p.trace), () => this.store(batch));
  }

  private async store(batch: Pending[]): Promise<void> {
    try {
      const results = await appendCustomerMessagesFast(this.db, batch.map((p) => p.message));
      for (const p of batch) p.resolve(results.get(p.message.id) ?? null);
    } catch (err) {
      // A lost connection fails every message alike: trying each alone would only queue more statements for it.
      if (batch.length === 1 || isConnectionFailure(err)) return batch.forEach((p) => settleAlone(p, err));
      // One bad message must not fail the others: each is tried again in a statement of its own.
      await Promise.all(
        batch.map((p) =>
          appendCustomerMessagesFast(this.db, [p.message]).then(
            (results) => p.resolve(results.get(p.message.id) ?? null),
            (alone) => settleAlone(p, alone),
          ),
        ),
      );
    }
  }
}

function settleAlone(p: Pending, err: unknown): void {
  // A racing copy of this very message won: the full path finds and returns it.
  if (isUniqueViolation(err)) p.resolve(null);
  else p.reject(err);
}

function contactKey(m: FastCustomerMessage): string {
  return `${m.inboxId}:${m.contactId}`;
}

const batchers = new WeakMap<Db, CustomerAppendBatcher>();

/** The process's one batcher for this database. */
export function customerAppends(db: Db): CustomerAppendBatcher {
  let batcher = batchers.get(db);
  if (!batcher) batchers.set(db, (batcher = new CustomerAppendBatcher(db)));
  return batcher;
}
