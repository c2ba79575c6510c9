// PostgreSQL mode's default store: files in the database itself (every instance sees them, and a
// pg_dump backs them up), as rows of 256 KiB (file_chunks) so that no statement carries a whole
// file. Each chunk commits on its own: an upload holds no transaction (nor its connection) while
// the customer's network is slow; a cut upload deletes what it wrote.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { fileChunks } from "../db/schema/index.ts";
import type { FileStore } from "./store.ts";

export const CHUNK_BYTES = 256 * 1024;

/** The incoming bytes regrouped into CHUNK_BYTES pieces (the last one shorter; one empty piece for an empty file). */
async function* rechunk(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let buffer = new Uint8Array(CHUNK_BYTES), filled = 0, any = false;
  for await (let chunk of chunks) {
    while (chunk.byteLength > 0) {
      const n = Math.min(CHUNK_BYTES - filled, chunk.byteLength);
      buffer.set(chunk.subarray(0, n), filled);
      filled += n;
      chunk = chunk.subarray(n);
      if (filled === CHUNK_BYTES) {
        yield buffer;
        any = true;
        buffer = new Uint8Array(CHUNK_BYTES);
        filled = 0;
      }
    }
  }
  if (filled > 0 || !any) yield buffer.subarray(0, filled);
}

export function databaseFileStore(db: () => Db): FileStore {
  return {
    async put(key, chunks) {
      let n = 0;
      try {
        for await (const data of rechunk(chunks)) {
          // As base64 text that the server decodes: the driver sends a bytea as hex, twice the size,
          // built in three copies (a fifth less memory in all with 20 uploads at once: README, Files).
          const base64 = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("base64");
          await db().execute(sql`insert into ${fileChunks} (key, n, data) values (${key}, ${n++}, decode(${base64}, 'base64'))`);
        }
      } catch (err) {
        await db().delete(fileChunks).where(eq(fileChunks.key, key));
        throw err;
      }
    },
    async get(key) {
      const chunk = async (n: number) => (await db().select({ data: fileChunks.data }).from(fileChunks).where(and(eq(fileChunks.key, key), eq(fileChunks.n, n))))[0];
      // The first chunk says whether the file exists, and is the first thing read.
      let next = await chunk(0);
      if (!next) return null;
      let n = 0;
      // One chunk per pull: a slow reader holds one chunk, not the file.
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          const row = next ?? (await chunk(n));
          next = undefined;
          n++;
          if (!row) return controller.close();
          if (row.data.byteLength > 0) controller.enqueue(new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength));
          else controller.close();
        },
      }, { highWaterMark: 0 });
    },
    async remove(keys) {
      if (keys.length) await db().delete(fileChunks).where(inArray(fileChunks.key, keys));
    },
  };
}
