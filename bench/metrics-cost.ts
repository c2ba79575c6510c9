// What the metrics cost on the hot path, per call: a statement observed (named from its text,
// timed into the histogram), a message's write to a kind of socket timed, a message counted and
// its commit-to-publish timed. `bun bench/metrics-cost.ts`; prints nanoseconds per call.
import { epochNow } from "../src/metrics/metrics.ts";
import { createMetrics } from "../src/metrics/prometheus-metrics.ts";

const metrics = createMetrics();
const statements = [
  `select "id", "status" from "conversations" where "conversations"."id" = $1`,
  `insert into "messages" ("id", "body") values ($1, $2)`,
  `update "jobs" set "status" = $1 where "id" = $2`,
];
const N = 300_000;

function perCall(run: (i: number) => void): string {
  const start = performance.now();
  for (let i = 0; i < N; i++) run(i);
  return `${Math.round(((performance.now() - start) / N) * 1e6)} ns`;
}

for (const round of [1, 2, 3]) {
  const statement = perCall((i) => metrics.statement(statements[i % 3]!, false)());
  const written = perCall(() => metrics.messageWritten("conv:0192", "local", epochNow()));
  const stored = perCall(() => {
    metrics.messageStored("customer");
    metrics.messagePublished(performance.now());
  });
  console.log(`round ${round}: statement ${statement}, publish-to-write ${written}, stored + commit-to-publish ${stored}`);
}
