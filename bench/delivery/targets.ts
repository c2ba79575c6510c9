// What the delivery bench waits for, and what it aims at.

/** How long after its step a message may still be acked or delivered before it counts as missing or lost. */
export const GRACE_MS = 5000;

/** Target P1: p99 of send -> agent receipt at 2,000 msgs/s across two instances. */
export const P99_TARGET_MS = 20;
