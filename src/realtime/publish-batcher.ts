// The publishes one instance makes within one task leave as one Redis message.
import { batchEnvelope } from "./bus-envelope.ts";

/**
 * A customer's message is two publishes (the agents' partial and the customer's frame), a list
 * flush one per topic: sent together they are one command for this instance to write, one for
 * Redis to fan out and one for each subscriber to read and parse, instead of one each. They go at
 * the end of the task that made them (a microtask), in the order they were made.
 */
export class PublishBatcher {
  private pending: string[] = [];

  constructor(
    private readonly instanceId: string,
    private readonly send: (message: string) => void,
  ) {}

  add(envelope: string): void {
    if (this.pending.push(envelope) === 1) queueMicrotask(this.flush);
  }

  private readonly flush = () => {
    const envelopes = this.pending;
    this.pending = [];
    // One alone goes as it is: the plain envelope every instance reads.
    this.send(envelopes.length === 1 ? envelopes[0]! : batchEnvelope(this.instanceId, envelopes));
  };
}
