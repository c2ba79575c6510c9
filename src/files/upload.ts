// Receiving a file: the request's bytes stream through a size count into the store, after the
// first 64 KiB have shown what the file is. Nothing is buffered beyond that first sample, so
// memory stays bounded however many uploads run (bench/uploads.ts measures it).
import type { Db } from "../db/database.ts";
import { allowedTypeOf, SNIFF_BYTES } from "./content-type.ts";
import { cleanFileName, FileRefused, tooLarge, wrongType, type StoredFile } from "./model.ts";
import { insertAttachment, type Uploader } from "./queries.ts";
import type { FileStore } from "./store.ts";

export interface UploadDeps {
  db: Db;
  store: FileStore;
  maxBytes: number;
}

/**
 * Every 16 MiB received (all uploads together), a hint to collect garbage: a request's chunks are
 * garbage once stored, but their bytes live outside the JS heap, so the engine does not count them
 * and lets hundreds of MiB of them pile up before it collects (bench/uploads.ts: 20 uploads of 40
 * MiB grew RSS by 270 MiB without the hint, 74 MiB with it).
 */
const COLLECT_EVERY_BYTES = 16 * 1024 * 1024;
let sinceCollect = 0;
function received(bytes: number) {
  sinceCollect += bytes;
  if (sinceCollect < COLLECT_EVERY_BYTES) return;
  sinceCollect = 0;
  Bun.gc(false);
}

/** Reads until `SNIFF_BYTES` are in hand or the body ends. */
async function readHead(reader: ReadableStreamDefaultReader<Uint8Array>, maxBytes: number) {
  const parts: Uint8Array[] = [];
  let length = 0, done = false;
  while (length < SNIFF_BYTES) {
    const next = await reader.read();
    if (next.done) { done = true; break; }
    parts.push(next.value);
    length += next.value.byteLength;
    if (length > maxBytes) throw tooLarge(maxBytes);
  }
  return { head: Buffer.concat(parts), done };
}

/** The head, then the rest of the body, counted into `total`, refusing the upload once it passes `maxBytes`. */
async function* bodyChunks(head: Uint8Array, reader: ReadableStreamDefaultReader<Uint8Array>, done: boolean, maxBytes: number, total: { bytes: number }) {
  total.bytes = head.byteLength;
  yield head;
  while (!done) {
    const next = await reader.read();
    if (next.done) return;
    total.bytes += next.value.byteLength;
    if (total.bytes > maxBytes) throw tooLarge(maxBytes);
    received(next.value.byteLength);
    yield next.value;
  }
}

/** The request's Content-Length, when it gives a whole number. */
export const declaredLength = (request: Request): number | null => {
  const raw = request.headers.get("content-length");
  return raw !== null && /^\d+$/.test(raw) ? Number(raw) : null;
};

/**
 * Stores an upload and records it as `uploader`'s, unsent. `declaredLength` (Content-Length)
 * lets a file known to be too large be refused before a byte is read.
 */
export async function receiveUpload(deps: UploadDeps, uploader: Uploader, rawName: string | null | undefined, body: ReadableStream<Uint8Array> | null, declaredLength: number | null): Promise<StoredFile> {
  if (declaredLength !== null && declaredLength > deps.maxBytes) throw tooLarge(deps.maxBytes);
  if (!body || declaredLength === 0) throw new FileRefused("no_file", "The file is empty.");
  const reader = body.getReader();
  try {
    const { head, done } = await readHead(reader, deps.maxBytes);
    if (head.byteLength === 0) throw new FileRefused("no_file", "The file is empty.");
    const type = await allowedTypeOf(head, done);
    if (!type) throw wrongType();
    const file: StoredFile = { id: Bun.randomUUIDv7(), name: cleanFileName(rawName), size: 0, type };
    const total = { bytes: 0 };
    await deps.store.put(file.id, bodyChunks(head, reader, done, deps.maxBytes, total));
    file.size = total.bytes;
    try {
      await insertAttachment(deps.db, file, uploader);
    } catch (err) {
      await deps.store.remove([file.id]);
      throw err;
    }
    return file;
  } finally {
    // A refused upload stops reading: the rest of the body is not stored anywhere.
    await reader.cancel().catch(() => {});
  }
}
