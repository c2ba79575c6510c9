// What every FileStore must do, as tests: each backend's test file runs these against a real
// backend (a folder, PGlite or PostgreSQL, an S3-compatible server).
import { expect, test } from "bun:test";
import type { FileStore } from "./store.ts";

/** `size` bytes of a repeating pattern, in chunks of `chunk` bytes. */
export async function* patternChunks(size: number, chunk = 64 * 1024, failAfter = Infinity): AsyncGenerator<Uint8Array> {
  for (let sent = 0; sent < size; sent += chunk) {
    if (sent >= failAfter) throw new Error("upload cut");
    const n = Math.min(chunk, size - sent);
    yield Uint8Array.from({ length: n }, (_, i) => (sent + i) % 251);
  }
}

async function bytesOf(stream: ReadableStream<Uint8Array> | null): Promise<Uint8Array | null> {
  return stream ? new Uint8Array(await new Response(stream).arrayBuffer()) : null;
}

function expectPattern(bytes: Uint8Array | null, size: number) {
  expect(bytes?.byteLength).toBe(size);
  for (const at of [0, 1, 250, 251, size - 1].filter((i) => i >= 0 && i < size)) expect(bytes![at]).toBe(at % 251);
}

/** The contract; `store()` gives the backend under test (opened by the caller's beforeAll). */
export function fileStoreContract(store: () => FileStore) {
  const key = () => crypto.randomUUID();

  test("a file comes back byte for byte, however it was chunked", async () => {
    const k = key();
    await store().put(k, patternChunks(3 * 1024 * 1024 + 17, 100_000));
    expectPattern(await bytesOf(await store().get(k)), 3 * 1024 * 1024 + 17);
  });

  test("an empty file and a one-byte file are kept as they are", async () => {
    const [empty, one] = [key(), key()];
    await store().put(empty, patternChunks(0));
    await store().put(one, patternChunks(1));
    expect((await bytesOf(await store().get(empty)))?.byteLength).toBe(0);
    expectPattern(await bytesOf(await store().get(one)), 1);
  });

  test("an unknown key has no bytes", async () => {
    expect(await store().get(key())).toBeNull();
  });

  test("an upload that fails halfway leaves nothing behind", async () => {
    const k = key();
    await expect(store().put(k, patternChunks(1024 * 1024, 64 * 1024, 512 * 1024))).rejects.toThrow("upload cut");
    expect(await store().get(k)).toBeNull();
  });

  test("removed files are gone, others stay, and unknown keys are skipped", async () => {
    const [a, b, c] = [key(), key(), key()];
    for (const k of [a, b, c]) await store().put(k, patternChunks(1000));
    await store().remove([a, c, key()]);
    expect(await store().get(a)).toBeNull();
    expect(await store().get(c)).toBeNull();
    expectPattern(await bytesOf(await store().get(b)), 1000);
  });
}
