// Database statement time and pool use, from the statement observer (src/db/statement-observer.ts).
// A statement is known by a name such as "insert messages": its verb and the first of our tables it
// names. Never its parameters, and never free text: the verbs and tables are fixed sets, so the
// label has a few dozen values at most.
import { Gauge, Histogram, type Registry } from "prom-client";
import type { StatementObserver } from "../db/statement-observer.ts";
import { statementName } from "../db/statement-names.ts";

/** Seconds: a keyed lookup takes a fraction of a millisecond, a report over a month a second or more. */
const STATEMENT_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export function statementMetrics(registers: Registry[]): StatementObserver {
  let size = 0;
  let transactions = 0;
  /** Statements outside a transaction: each takes a connection of its own while it runs. */
  let alone = 0;
  let inFlight = 0;
  const duration = new Histogram({
    name: "supportdesk_db_statement_duration_seconds",
    help: "Time from a statement's issue (waiting for a connection included) to its result, by statement name (verb and first table).",
    labelNames: ["statement"] as const,
    buckets: STATEMENT_BUCKETS,
    registers,
  });
  new Gauge({
    name: "supportdesk_db_statements_in_flight",
    help: "Statements issued and not yet answered.",
    registers,
    collect() {
      this.set(inFlight);
    },
  });
  new Gauge({
    name: "supportdesk_db_pool_size",
    help: "Connections the database pool may open (DATABASE_URL: 10; the embedded database: 1).",
    registers,
    collect() {
      this.set(size);
    },
  });
  // The driver does not say how many of its connections are busy; this counts what asks for one:
  // each open transaction holds one, and each statement outside a transaction needs one while it runs.
  new Gauge({
    name: "supportdesk_db_pool_connections",
    help: "Connections of the pool by state: busy (serving a statement or held by a transaction), waiting (statements and transactions queued for one).",
    labelNames: ["state"] as const,
    registers,
    collect() {
      const wanted = transactions + alone;
      const cap = size || wanted;
      this.set({ state: "busy" }, Math.min(wanted, cap));
      this.set({ state: "waiting" }, Math.max(0, wanted - cap));
    },
  });
  return {
    poolSize(n) {
      size = n;
    },
    statement(sql, inTransaction) {
      const start = performance.now();
      const { name } = statementName(sql);
      inFlight++;
      if (!inTransaction) alone++;
      return () => {
        inFlight--;
        if (!inTransaction) alone--;
        duration.observe({ statement: name }, (performance.now() - start) / 1000);
      };
    },
    transaction() {
      transactions++;
      return () => void transactions--;
    },
  };
}
