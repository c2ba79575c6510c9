import { describe, expect, test } from "bun:test";
import { parseConfig } from "./config.ts";

describe("attachment settings", () => {
  test("10 MB and 10 files per message by default, files kept by the database mode", () => {
    expect(parseConfig({}).attachments).toEqual({ maxBytes: 10 * 1024 * 1024, maxFiles: 10, s3: null });
  });

  test("limits and a bucket from the environment", () => {
    const env = { ATTACHMENT_MAX_BYTES: "2048", ATTACHMENT_MAX_FILES: "3", S3_BUCKET: "sd-files", S3_ENDPOINT: "http://minio:9000/", S3_ACCESS_KEY_ID: "id", S3_SECRET_ACCESS_KEY: "secret" };
    expect(parseConfig(env).attachments).toEqual({
      maxBytes: 2048,
      maxFiles: 3,
      s3: { bucket: "sd-files", endpoint: "http://minio:9000", region: null, accessKeyId: "id", secretAccessKey: "secret" },
    });
  });

  test.each([
    [{ ATTACHMENT_MAX_BYTES: "10MB" }, "ATTACHMENT_MAX_BYTES must be a whole number from 1024 to 1073741824"],
    [{ ATTACHMENT_MAX_FILES: "0" }, "ATTACHMENT_MAX_FILES must be a whole number from 1 to 100"],
    [{ S3_BUCKET: "sd-files" }, "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set when S3_BUCKET is set"],
    [{ S3_ENDPOINT: "http://minio:9000" }, "S3_BUCKET must be set when S3_ENDPOINT is set"],
    [{ S3_BUCKET: "b", S3_ACCESS_KEY_ID: "i", S3_SECRET_ACCESS_KEY: "s", S3_ENDPOINT: "minio:9000" }, "S3_ENDPOINT must be a URL starting with http: or https:"],
  ])("%j is refused with one line that says why", (env, message) => {
    expect(() => parseConfig(env)).toThrow(message);
  });
});
