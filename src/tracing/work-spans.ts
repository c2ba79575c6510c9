// Spans of the units of work that start a trace: a frame a socket received, a job run, and the
// statement that stores a batch of customers' messages (which several frames' traces share).
import { context, SpanKind, trace, type Context, type Link } from "@opentelemetry/api";
import { idAttributes, type TracedIds } from "./hashed-ids.ts";
import { inSpan, tracingOn } from "./tracing.ts";

/**
 * One frame received on a socket (`widget` or `inbox`), handled inside a span named by its type
 * ("widget frame send"); `ids` are read when the span starts and go into it hashed.
 */
export function frameSpan<T>(socket: "widget" | "inbox", frameType: string, ids: () => TracedIds, handle: () => T): T {
  if (!tracingOn()) return handle();
  // A frame starts its own trace: the socket's upgrade request ended long ago.
  return inSpan(`${socket} frame ${frameType}`, { kind: SpanKind.SERVER, root: true }, (span) => {
    // Attributes (ids hashed) only for a span that is kept: most are not, with a sampling ratio,
    // and the SDK copies and checks whatever a span is started with, kept or not.
    if (span.isRecording()) span.setAttributes({ "supportdesk.socket.kind": socket, "supportdesk.frame.type": frameType, ...idAttributes(ids()) });
    return handle();
  });
}

export type JobOutcome = "done" | "retry" | "failed" | "lease_lost";

/** One run of a job, with its kind, attempt and outcome. */
export function jobSpan(kind: string, attempt: number, run: () => Promise<JobOutcome>): Promise<JobOutcome> {
  if (!tracingOn()) return run();
  return inSpan(`job ${kind}`, { kind: SpanKind.CONSUMER, attributes: { "supportdesk.job.kind": kind, "supportdesk.job.attempt": attempt }, root: true }, async (span) => {
    const outcome = await run();
    span.setAttribute("supportdesk.job.outcome", outcome);
    return outcome;
  });
}

/** Where a message was handed to the batcher: its frame's context, to continue in the batch's span. */
export function traceContextNow(): Context | undefined {
  return tracingOn() ? context.active() : undefined;
}

/** A context whose span the sampler kept (and that has not ended). */
const isKept = (c: Context | undefined): c is Context => c !== undefined && trace.getSpan(c)?.isRecording() === true;

/**
 * The statement that stores a batch of messages. Only the kept traces matter (the others are never
 * sent): with one kept message in the batch (nearly always, with a sampling ratio) the statement
 * simply belongs to that message's trace; with several, it runs in a span of its own, a child of
 * the first one's context and linked to the others'.
 */
export function batchSpan<T>(contexts: ReadonlyArray<Context | undefined>, store: () => Promise<T>): Promise<T> {
  if (!tracingOn()) return store();
  // One pass; no array unless several traces were kept (nearly never, with a sampling ratio).
  let first: Context | undefined;
  let others: Context[] | undefined;
  for (const c of contexts) {
    if (!isKept(c)) continue;
    if (first === undefined) first = c;
    else (others ??= []).push(c);
  }
  if (first === undefined) return store();
  if (others === undefined) return context.with(first, store);
  const links: Link[] = others.map((other) => ({ context: trace.getSpanContext(other)! }));
  const attributes = { "supportdesk.batch.messages": contexts.length };
  return inSpan("store customer messages", { kind: SpanKind.INTERNAL, attributes, links }, store, first);
}
