// Batched reads, with a reader the test answers by hand: a call made while a read is under way
// waits for the next read (it never gets what was read before it asked), callers arriving together
// share it, and a failed read fails its own callers only.
import { describe, expect, test } from "bun:test";
import { batchedReads } from "./batched-reads.ts";

/** A readMany whose reads the test answers: `reads` lists each read's keys and its answer. */
function handReader() {
  const reads: { keys: string[]; answer: (values: Record<string, number>) => void; fail: (err: Error) => void }[] = [];
  const readMany = (keys: string[]) =>
    new Promise<Map<string, number>>((resolve, reject) => {
      reads.push({ keys, answer: (values) => resolve(new Map(Object.entries(values))), fail: reject });
    });
  return { reads, read: batchedReads(readMany) };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("batched reads", () => {
  test("a key asked for again while its read is under way gets the next read's answer, not the one under way", async () => {
    const { reads, read } = handReader();
    const first = read("k");
    await tick();
    expect(reads.map((r) => r.keys)).toEqual([["k"]]);
    const second = read("k");
    const other = read("j");
    reads[0]!.answer({ k: 1 });
    expect(await first).toBe(1);
    await tick();
    // The second read has both callers that arrived meanwhile, together.
    expect(reads.map((r) => r.keys)).toEqual([["k"], ["k", "j"]]);
    reads[1]!.answer({ k: 2 });
    expect(await second).toBe(2);
    expect(await other).toBeUndefined();
  });

  test("a failed read fails its callers; the next read answers the callers after them", async () => {
    const { reads, read } = handReader();
    const failing = read("k");
    await tick();
    const later = read("k");
    reads[0]!.fail(new Error("database gone"));
    await expect(failing).rejects.toThrow("database gone");
    await tick();
    reads[1]!.answer({ k: 3 });
    expect(await later).toBe(3);
  });
});
