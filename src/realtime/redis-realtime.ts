// Everything REDIS_URL brings, in one module that is imported only when REDIS_URL is set: ioredis
// and the code around it cost a start several MiB of memory that the embedded mode never uses.
export { redisLimiterStore } from "../limits/redis-store.ts";
export { redisBus } from "./redis-bus.ts";
export { redisPresence } from "./redis-presence.ts";
export { redisProbe } from "./redis.ts";
export { redisViewers } from "../collision/redis-viewers.ts";
