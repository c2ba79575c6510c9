// Embedded mode's store: one file per key under DATA_DIR/files, in 256 folders (named by the key's
// last two hex digits: UUIDv7 keys share their first, time-ordered ones). A file is written under
// a temporary name and renamed when complete, so a reader never sees half of one.
import { mkdir, rename, rm, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { FileStore } from "./store.ts";

export function diskFileStore(root: string): FileStore {
  const pathOf = (key: string) => {
    if (!/^[0-9a-f-]{36}$/.test(key)) throw new Error("file keys are UUIDs"); // never a path of the caller's
    return join(root, key.slice(-2), key);
  };
  return {
    async put(key, chunks) {
      const path = pathOf(key);
      const temporary = `${path}.part`;
      await mkdir(join(root, key.slice(-2)), { recursive: true, mode: 0o700 });
      const sink = Bun.file(temporary).writer({ highWaterMark: 256 * 1024 });
      try {
        for await (const chunk of chunks) {
          sink.write(chunk);
          await sink.flush();
        }
        await sink.end();
        await rename(temporary, path);
      } catch (err) {
        await Promise.resolve(sink.end()).catch(() => {});
        await rm(temporary, { force: true });
        throw err;
      }
    },
    async get(key) {
      const file = Bun.file(pathOf(key));
      return (await file.exists()) ? file.stream() : null;
    },
    async remove(keys) {
      for (const key of keys) await unlink(pathOf(key)).catch((err: NodeJS.ErrnoException) => { if (err.code !== "ENOENT") throw err; });
    },
  };
}
