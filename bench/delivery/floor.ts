// The floor for the latency figures (issue 15 item 6): how long one committed single-row insert
// takes on this PostgreSQL while the step runs. It is measured in the same window as the messages,
// on a connection of its own, so it meets the same load; no chat can answer faster than it stores.
import postgres from "postgres";
import { dist, type Dist } from "../support/stats.ts";

/** Often enough for a stable median, rarely enough to add no load worth counting. */
const PROBE_EVERY_MS = 20;

export interface FloorProbe {
  /** Stops probing and returns the inserts' latencies (ms). */
  stop(): Promise<Dist>;
}

export async function startFloorProbe(databaseUrl: string): Promise<FloorProbe> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  await sql`create table if not exists bench_floor (id bigserial primary key, body text not null)`;
  const body = "x".repeat(200);
  // Warm: the connection and the statement are ready before the first timed insert.
  await sql`insert into bench_floor (body) values (${body})`;
  const samples: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      await sql`insert into bench_floor (body) values (${body})`;
      samples.push(performance.now() - started);
      await Bun.sleep(PROBE_EVERY_MS);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await sql`drop table if exists bench_floor`;
      await sql.end({ timeout: 2 });
      return dist(samples);
    },
  };
}
