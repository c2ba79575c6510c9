// A span per database statement, named as the metrics name it ("insert messages": its verb and
// first table, never its text or parameters), for statements made inside a kept trace's frame,
// request or job only. It is a statement observer (src/db/statement-observer.ts), beside the
// metrics' one: one Proxy over the driver serves both, transactions included.
import { SpanKind } from "@opentelemetry/api";
import { statementName } from "../db/statement-names.ts";
import { observers, type StatementObserver } from "../db/statement-observer.ts";
import { recordingParent, spanFailed, startSpan, tracingOn } from "./tracing.ts";

const NOTHING = () => {};

const statementSpans: StatementObserver = {
  poolSize: NOTHING,
  transaction: () => NOTHING,
  statement(sql) {
    if (!recordingParent()) return NOTHING;
    const { name, verb, table } = statementName(sql);
    const attributes: Record<string, string> = { "db.system.name": "postgresql", "db.operation.name": verb, "db.query.summary": name };
    if (table) attributes["db.collection.name"] = table;
    const span = startSpan(name, { kind: SpanKind.CLIENT, attributes });
    return (error) => {
      if (error !== undefined) spanFailed(span, error);
      span.end();
    };
  },
};

/**
 * The observers of the app's statements: the metrics' (when they are recorded) and, with tracing
 * on (it starts before the database opens), the spans'.
 */
export function statementObservers(metrics?: StatementObserver): StatementObserver | undefined {
  return observers(metrics, tracingOn() ? statementSpans : undefined);
}
