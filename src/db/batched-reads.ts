// Reads by key that arrive while one is under way go in the next, together: one statement for a
// batch instead of one per caller. Every read starts after its call, so a caller never gets a row
// from before it asked. A lone caller is read at once; callers arriving while a read is under way
// wait for it, then go together. What it is for: a reconnect storm, when thousands of widget
// sockets authenticate within seconds (bench/reconnect-storm.ts).

/** At most this many keys per statement. */
const MAX_BATCH = 500;

type Waiter<V> = { resolve: (value: V | undefined) => void; reject: (err: unknown) => void };

/** `readMany` answers for a batch of distinct keys: what it has no entry for resolves undefined. A failed read fails each of its callers. */
export function batchedReads<V>(readMany: (keys: string[]) => Promise<Map<string, V>>): (key: string) => Promise<V | undefined> {
  const pending = new Map<string, Waiter<V>[]>();
  let reading = false;

  async function readAll() {
    reading = true;
    while (pending.size > 0) {
      // The oldest MAX_BATCH keys, taken without copying the rest (a storm queues thousands).
      const batch: [string, Waiter<V>[]][] = [];
      for (const entry of pending) if (batch.push(entry) === MAX_BATCH) break;
      for (const [key] of batch) pending.delete(key);
      try {
        const found = await readMany(batch.map(([key]) => key));
        for (const [key, waiters] of batch) for (const w of waiters) w.resolve(found.get(key));
      } catch (err) {
        for (const [, waiters] of batch) for (const w of waiters) w.reject(err);
      }
    }
    reading = false;
  }

  return (key) =>
    new Promise((resolve, reject) => {
      const waiters = pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else pending.set(key, [{ resolve, reject }]);
      if (!reading) void readAll();
    });
}
