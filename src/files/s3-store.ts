// Attachment bytes in an S3-compatible bucket (AWS S3, MinIO, R2, ...), through Bun's own S3
// client. Uploads stream as multipart parts of PART_BYTES: the process holds at most about one
// part per upload, however large the file or slow the bucket.
import { S3Client } from "bun";
import type { FileStore } from "./store.ts";

export interface S3StoreOptions {
  bucket: string;
  /** The server's URL; unset for AWS, where `region` picks it. */
  endpoint?: string;
  region?: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Put before every key, e.g. "attachments/", to share a bucket with other data. */
  prefix?: string;
  /** `https://<bucket>.<endpoint>/<key>` instead of `https://<endpoint>/<bucket>/<key>`. */
  virtualHostedStyle?: boolean;
}

/** S3's smallest part (all but the last must be at least this), and our memory bound. */
const PART_BYTES = 5 * 1024 * 1024;
/** Deletions in flight at once: S3 has a batch delete, Bun's client does not. */
const REMOVE_CONCURRENCY = 8;

export function s3FileStore(options: S3StoreOptions): FileStore {
  const client = new S3Client({
    bucket: options.bucket,
    endpoint: options.endpoint,
    region: options.region,
    accessKeyId: options.accessKeyId,
    secretAccessKey: options.secretAccessKey,
    virtualHostedStyle: options.virtualHostedStyle,
  });
  const prefix = options.prefix ?? "";
  const object = (key: string) => client.file(prefix + key);

  return {

    async put(key, chunks) {
      const file = object(key);
      const writer = file.writer({ partSize: PART_BYTES });
      let unflushed = 0;
      try {
        for await (const chunk of chunks) {
          await writer.write(chunk);
          unflushed += chunk.byteLength;
          // write() only buffers; once a part's worth is in, flush() resolves when that part has
          // been sent. Waiting for it is the backpressure that keeps memory at about one part.
          if (unflushed >= PART_BYTES) {
            await writer.flush();
            unflushed = 0;
          }
        }
        await writer.end();
      } catch (error) {
        await discard(writer, file);
        throw error;
      }
    },

    async get(key) {
      return openOrNull(object(key).stream());
    },

    async remove(keys) {
      for (let i = 0; i < keys.length; i += REMOVE_CONCURRENCY) {
        await Promise.all(keys.slice(i, i + REMOVE_CONCURRENCY).map((key) => deleteIfThere(object(key))));
      }
    },
  };
}

/**
 * Leaves nothing under the key after a failed upload. Bun's writer has no abort: end(error) and
 * close(error) both complete the multipart upload (measured on Bun 1.4.5), and an upload that is
 * never ended stays open in the bucket, invisible but billed. So the parts sent are completed into
 * an object and that object is deleted. When the bucket itself failed, Bun has already aborted
 * the upload and end() resolves at once.
 */
async function discard(writer: Bun.NetworkSink, file: Bun.S3File): Promise<void> {
  try {
    await writer.end();
  } catch {
    // Nothing was completed, so there is nothing to delete; the delete below is harmless.
  }
  await deleteIfThere(file);
}

/** A missing object is what we wanted; S3 answers 204 for it, some compatible servers 404. */
async function deleteIfThere(file: Bun.S3File): Promise<void> {
  try {
    await file.delete();
  } catch (error) {
    if (!isNoSuchKey(error)) throw error;
  }
}

function isNoSuchKey(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "NoSuchKey";
}

type ReadResult = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>["read"]>>;

/**
 * The object's stream, or null when there is no such object. Reading the first chunk is what sends
 * the GET, so a missing key is learnt from that one request (no HEAD before, and no race with a
 * delete in between); the chunk is then handed on in front of the rest.
 */
async function openOrNull(stream: ReadableStream<Uint8Array>): Promise<ReadableStream<Uint8Array> | null> {
  const reader = stream.getReader();
  let first: ReadResult;
  try {
    first = await reader.read();
  } catch (error) {
    if (isNoSuchKey(error)) return null;
    throw error;
  }
  let pending: ReadResult | null = first;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = pending ?? (await reader.read());
      pending = null;
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}
