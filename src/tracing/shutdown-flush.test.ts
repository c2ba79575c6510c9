// A graceful stop sends the spans still buffered: with an export delay longer than the test, the
// only way the receiver gets the request's span is the flush at SIGTERM.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startInstance } from "../testing/instance-process.ts";
import { otlpReceiver, type OtlpReceiver } from "../testing/otlp-receiver.ts";
import { freshDatabase, storageMode, type TestDatabase } from "../testing/test-database.ts";

describe(`tracing at shutdown (${storageMode})`, () => {
  let receiver: OtlpReceiver;
  let database: TestDatabase | undefined;
  let dataDir: string;
  beforeAll(async () => {
    receiver = otlpReceiver();
    dataDir = mkdtempSync(join(tmpdir(), "sd-trace-flush-"));
    if (storageMode === "postgres") database = await freshDatabase();
  });
  afterAll(async () => {
    receiver.stop();
    await database?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("SIGTERM sends the spans still buffered before the process exits", async () => {
    const instance = await startInstance({
      name: "flush",
      dataDir,
      env: {
        ...(database?.url ? { DATABASE_URL: database.url } : {}),
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        // Ten minutes: nothing is sent on the timer while the test runs.
        OTEL_BSP_SCHEDULE_DELAY: "600000",
      },
    });
    expect((await fetch(`${instance.origin}/login`, { redirect: "manual" })).status).toBeLessThan(400);
    expect(receiver.bodies).toEqual([]);
    instance.proc.kill("SIGTERM");
    expect(await instance.proc.exited).toBe(0);
    if (!receiver.spans.some((s) => s.name === "GET /login")) throw new Error(`no span of GET /login; the instance said: ${instance.output.join("")}`);
  }, 40_000);
});
