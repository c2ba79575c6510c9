// The attachments' store and links of an app, made on first use from its context: a folder in
// DATA_DIR when embedded, the database on PostgreSQL, a bucket when S3_BUCKET is set.
import { join } from "node:path";
import type { AppContext } from "../app-context.ts";
import { databaseFileStore } from "./database-store.ts";
import { diskFileStore } from "./disk-store.ts";
import { fileLinks, type FileLinks } from "./links.ts";
import { s3FileStore } from "./s3-store.ts";
import type { FileStore } from "./store.ts";

export interface Files {
  store: FileStore;
  links: FileLinks;
  maxBytes: number;
  maxFiles: number;
}

const made = new WeakMap<AppContext, Files>();

export function openFileStore(ctx: Pick<AppContext, "config" | "database">): FileStore {
  const s3 = ctx.config.attachments.s3;
  if (s3) return s3FileStore({ ...s3, endpoint: s3.endpoint ?? undefined, region: s3.region ?? "us-east-1", prefix: "attachments/" });
  if (ctx.database.kind === "pglite") return diskFileStore(join(ctx.config.dataDir, "files"));
  return databaseFileStore(() => ctx.database.db);
}

export function filesOf(ctx: AppContext): Files {
  let files = made.get(ctx);
  if (!files) {
    const { maxBytes, maxFiles } = ctx.config.attachments;
    files = { store: openFileStore(ctx), links: fileLinks(ctx.sessionSecret, ctx.config.publicUrl), maxBytes, maxFiles };
    made.set(ctx, files);
  }
  return files;
}
