// The S3 store against a real S3-compatible server (moto). CI must run these: without moto they
// fail there, and are only skipped (with a warning) on a developer's machine.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { S3Client } from "bun";
import { createBucket, motoCommand, startMoto, unfinishedUploads, type MotoServer } from "../testing/moto-server.ts";
import { eventually } from "../testing/eventually.ts";
import { s3FileStore } from "./s3-store.ts";
import { fileStoreContract, patternChunks } from "./store-contract.ts";
import type { FileStore } from "./store.ts";

const MiB = 1024 * 1024;
const BUCKET = "attachments-test";
const PREFIX = "attachments/";
const command = motoCommand();

if (!command && process.env.CI) {
  test("moto_server is installed, for the S3 store's tests", () => {
    throw new Error("moto_server is not on PATH and MOTO_SERVER_CMD is unset: CI must run the S3 store's tests (scripts/test-all.sh installs moto)");
  });
} else if (!command) {
  console.warn("s3-store.test.ts: skipped, moto_server is not on PATH (set MOTO_SERVER_CMD, or run scripts/test-all.sh)");
}

(command ? describe : describe.skip)("S3 file store (moto)", () => {
  let moto: MotoServer;
  let store: FileStore;
  /** The bucket as it is, seen past the store (and its prefix). */
  let bucket: S3Client;
  const credentials = () => ({ endpoint: moto.endpoint, region: "us-east-1", accessKeyId: "test", secretAccessKey: "test" });
  const storeOn = (name: string) => s3FileStore({ bucket: name, ...credentials(), prefix: PREFIX });

  beforeAll(async () => {
    moto = await startMoto(command!);
    await createBucket(moto.endpoint, BUCKET);
    store = storeOn(BUCKET);
    bucket = new S3Client({ bucket: BUCKET, ...credentials() });
  });

  afterAll(async () => {
    await moto?.stop();
  });

  fileStoreContract(() => store);

  test("a 12 MiB file goes up in parts and comes back identical", async () => {
    const key = crypto.randomUUID();
    const size = 12 * MiB + 3;
    await store.put(key, patternChunks(size, 100_000));

    // A multipart object's ETag ends in "-<number of parts>": 5 + 5 + 2 MiB.
    expect((await bucket.stat(PREFIX + key)).etag).toMatch(/-3"$/);
    const bytes = new Uint8Array(await new Response(await store.get(key)).arrayBuffer());
    expect(bytes.byteLength).toBe(size);
    const expected = new Uint8Array(size).map((_, i) => i % 251);
    expect(Buffer.compare(bytes, expected)).toBe(0);
  });

  test("an upload cut after a part was sent leaves no object and no unfinished upload", async () => {
    const key = crypto.randomUUID();
    await expect(store.put(key, patternChunks(12 * MiB, 64 * 1024, 6 * MiB))).rejects.toThrow("upload cut");

    // The premise: the first part had reached the bucket before the cut (moto logs each request).
    await eventually(() => moto.output.join("").includes(`${key}?partNumber=1`), "moto logging part 1");
    expect(await store.get(key)).toBeNull();
    expect(await bucket.exists(PREFIX + key)).toBe(false);
    expect(await unfinishedUploads(moto.endpoint, BUCKET)).toEqual([]);
  });

  test("keys live under the prefix, so the bucket can hold other data", async () => {
    const key = crypto.randomUUID();
    await store.put(key, patternChunks(10));
    expect(await bucket.exists(PREFIX + key)).toBe(true);
    expect(await bucket.exists(key)).toBe(false);
  });

  test("a bucket that does not exist is an error, not a missing file", async () => {
    await expect(storeOn("no-such-bucket").get(crypto.randomUUID())).rejects.toMatchObject({ code: "NoSuchBucket" });
  });
});
