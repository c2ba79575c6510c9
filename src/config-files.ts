// Attachments' configuration: limits, and where the bytes are kept (src/files/open-store.ts).
import { ConfigError, parseCount, parseUrl, read, type Env } from "./config-parse.ts";

export interface S3Config {
  bucket: string;
  /** Unset: AWS's own endpoint for the region. */
  endpoint: string | null;
  region: string | null;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface AttachmentsConfig {
  /** The largest file taken, in bytes. */
  maxBytes: number;
  /** Files per message. */
  maxFiles: number;
  /** Set: files go to this bucket; unset: DATA_DIR/files (embedded) or the database (PostgreSQL). */
  s3: S3Config | null;
}

export const ATTACHMENTS_HELP: ReadonlyArray<[name: string, meaning: string]> = [
  ["ATTACHMENT_MAX_BYTES", "largest file customers and agents can send, in bytes (default 10485760, 10 MB)"],
  ["ATTACHMENT_MAX_FILES", "files per message (default 10)"],
  ["S3_BUCKET", "keep attachments in this S3-compatible bucket; unset: DATA_DIR/files (embedded) or the database (PostgreSQL)"],
  ["S3_ENDPOINT", "the bucket's endpoint (http(s)://...), for S3-compatible services; unset: AWS"],
  ["S3_REGION", "the bucket's region (default us-east-1)"],
  ["S3_ACCESS_KEY_ID", "with S3_SECRET_ACCESS_KEY: the bucket's credentials (required with S3_BUCKET)"],
  ["S3_SECRET_ACCESS_KEY", "the secret of S3_ACCESS_KEY_ID"],
];

function parseS3(env: Env): S3Config | null {
  const bucket = read(env, "S3_BUCKET");
  const others = ["S3_ENDPOINT", "S3_REGION", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"].filter((name) => read(env, name) !== undefined);
  if (!bucket) {
    if (others.length) throw new ConfigError(`S3_BUCKET must be set when ${others[0]} is set`);
    return null;
  }
  const accessKeyId = read(env, "S3_ACCESS_KEY_ID");
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) throw new ConfigError("S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set when S3_BUCKET is set");
  const rawEndpoint = read(env, "S3_ENDPOINT");
  const endpoint = rawEndpoint ? parseUrl("S3_ENDPOINT", rawEndpoint, ["http:", "https:"]).toString().replace(/\/$/, "") : null;
  return { bucket, endpoint, region: read(env, "S3_REGION") ?? null, accessKeyId, secretAccessKey };
}

export function parseAttachments(env: Env): AttachmentsConfig {
  return {
    // 1 KB to 1 GB: below is a typo, above is a different product (and a different upload path).
    maxBytes: parseCount("ATTACHMENT_MAX_BYTES", read(env, "ATTACHMENT_MAX_BYTES"), 1024, 1024 ** 3, 10 * 1024 * 1024),
    maxFiles: parseCount("ATTACHMENT_MAX_FILES", read(env, "ATTACHMENT_MAX_FILES"), 1, 100, 10),
    s3: parseS3(env),
  };
}
