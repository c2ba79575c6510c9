import type { Db } from "../db/database.ts";
import type { Context } from "@opentelemetry/api";
import { isUniqueViolation } from "../db/rows.ts";
import { batchSpan, traceContextNow } from "../tracing/work-spans.ts";
import { appendCustomerMessagesFast, type FastAppendResult, type FastCustomerMessage } from "../messages/append-queries.ts";

/** Messages of one statement at most: enough to absorb bursts, small enough to keep it quick. */
const MAX_BATCH = 64;
/** One statement in flight: the next batch fills while it commits (two in flight measured slower: smaller batches, more PostgreSQL CPU per message). */
const MAX_IN_FLIGHT = 1;

interface Pending {
  message: FastCustomerMessage;
  /** The sender's trace context (its frame's), when tracing is on. */
  trace: Context | undefined;
  resolve(result: FastAppendResult | null): void;
  reject(err: unknown): void;
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

  constructor(private readonly db: Db) {}

  /**
   * The stored message (or the original under the same clientId); null when the conversation
   * needs the full path, or when a racing copy of this message won and the full path will find it.
   */
  append(message: FastCustomerMessage): Promise<FastAppendResult | null> {
    return new Promise((resolve, reject) => {
      this.queue.push({ message, resolve, reject, trace: traceContextNow() });
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < MAX_IN_FLIGHT) {
      const batch = this.takeBatch();
      if (!batch.length) return;
      this.inFlight++;
      void this.run(batch).finally(() => {
        for (const p of batch) this.busyContacts.delete(contactKey(p.message));
        this.inFlight--;
        this.flush();
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
      if (batch.length === 1) return settleAlone(batch[0]!, err);
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
