// With S3_* set, the app keeps files in the bucket: a customer's upload lands there under
// attachments/, and its signed link serves it back. (The store itself: s3-store.test.ts.)
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { S3Client } from "bun";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { createBucket, motoCommand, startMoto, type MotoServer } from "../testing/moto-server.ts";
import { bearer, call, insertInbox, okSession, send } from "../widget/widget-api-testing.ts";
import { PNG } from "./file-fixtures.ts";

const command = motoCommand();
const BUCKET = "sd-app-files";

// Without moto, s3-store.test.ts fails in CI and warns elsewhere: this one only skips.
(command ? describe : describe.skip)("the app on an S3 bucket (moto)", () => {
  let moto: MotoServer;
  let t: TestApp;
  beforeAll(async () => {
    moto = await startMoto(command!);
    await createBucket(moto.endpoint, BUCKET);
    t = await createTestApp({ env: { S3_BUCKET: BUCKET, S3_ENDPOINT: moto.endpoint, S3_ACCESS_KEY_ID: "test", S3_SECRET_ACCESS_KEY: "test" } });
  });
  afterAll(async () => {
    await t?.close();
    await moto?.stop();
  });

  test("an upload goes to the bucket and comes back through its signed link", async () => {
    const { publicKey } = await insertInbox(t.database.db, { handoffMode: "immediate" });
    const { token } = await okSession(t, { inbox: publicKey });
    const { data } = await call(t, "/api/v1/widget/files?name=shot.png", { method: "POST", headers: bearer(token), body: PNG });
    expect(data.file).toMatchObject({ type: "image/png", size: PNG.byteLength });
    await send(t, token, { clientId: "s3", body: "", files: [data.file.id] });
    const bucket = new S3Client({ bucket: BUCKET, endpoint: moto.endpoint, region: "us-east-1", accessKeyId: "test", secretAccessKey: "test" });
    expect(new Uint8Array(await bucket.file(`attachments/${data.file.id}`).arrayBuffer())).toEqual(PNG);
    const url = new URL(data.file.url);
    const got = await t.request(url.pathname + url.search);
    expect(got.status).toBe(200);
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(PNG);
  });
});
