// Limiters that count in this process: one instance without Redis, and tests.
import { RateLimiterMemory } from "rate-limiter-flexible";
import type { LimiterStore } from "./limiter-store.ts";

export function memoryLimiterStore(): LimiterStore {
  return {
    kind: "memory",
    limiter: (_keyPrefix, window) => new RateLimiterMemory({ points: window.points, duration: window.seconds }),
    ready: null,
    close: async () => {},
  };
}
