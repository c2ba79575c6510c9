import { describe, expect, test } from "bun:test";
import diagnostics from "node:diagnostics_channel";
import "./tracing-channel-subscribers.ts";
// ioredis's own switch: a command goes through diagnostics_channel only when someone listens.
import { traceCommand as tracedCommand } from "ioredis/built/tracing.js";

// Typed loosely: the test runs plain functions through it, not ioredis commands.
const traceCommand = tracedCommand as unknown as (fn: () => unknown, context: () => object) => unknown;

describe("tracing channels say whether anyone listens", () => {
  test("an ioredis command is run directly while no one subscribes to its channel", () => {
    expect(diagnostics.tracingChannel("ioredis:command").hasSubscribers).toBe(false);
    // Wrapped, the command's result would come back as a promise.
    expect(traceCommand(() => 42, () => ({}))).toBe(42);
  });

  test("a subscriber still receives ioredis's command events", async () => {
    const channel = diagnostics.tracingChannel("ioredis:command");
    const seen: string[] = [];
    const handlers = { start: () => seen.push("start"), end: () => {}, asyncStart: () => {}, asyncEnd: () => seen.push("asyncEnd"), error: () => {} };
    channel.subscribe(handlers);
    try {
      expect(channel.hasSubscribers).toBe(true);
      expect(await traceCommand(async () => 42, () => ({ command: "get" }))).toBe(42);
      expect(seen).toEqual(["start", "asyncEnd"]);
    } finally {
      channel.unsubscribe(handlers);
    }
    expect(channel.hasSubscribers).toBe(false);
  });
});
