// Node's `TracingChannel.hasSubscribers` (Node 20.13 / 22), which Bun 1.4 lacks. ioredis asks it
// before every command and pipeline ("!== false"), so under Bun it wrapped each one in
// diagnostics_channel's tracePromise (an extra promise and context object) for no listener:
// about 0.5 µs of CPU per command. Defined with Node's meaning: any of the five channels has one.
import diagnostics from "node:diagnostics_channel";

type SubChannel = { hasSubscribers?: boolean } | undefined;
type TracingChannelShape = { start?: SubChannel; end?: SubChannel; asyncStart?: SubChannel; asyncEnd?: SubChannel; error?: SubChannel };

const prototype = Object.getPrototypeOf(diagnostics.tracingChannel("supportdesk:probe")) as object;
if (!("hasSubscribers" in prototype)) {
  Object.defineProperty(prototype, "hasSubscribers", {
    configurable: true,
    get(this: TracingChannelShape): boolean {
      return Boolean(this.start?.hasSubscribers || this.end?.hasSubscribers || this.asyncStart?.hasSubscribers || this.asyncEnd?.hasSubscribers || this.error?.hasSubscribers);
    },
  });
}
