// What an idle widget socket costs the server: an instance holds tens of thousands of them, so a
// socket must not keep its upgrade request (with its headers) once it is open. Measured numbers
// are bench/socket-memory.ts's; this guards the shape of what stays behind.
import { heapStats } from "bun:jsc";
import { describe, expect, test } from "bun:test";
import { storageMode } from "../testing/test-database.ts";
import { readyWidgetSocket } from "../testing/widget-client.ts";
import { busMode, widgetSocketFixture } from "./socket-test-fixture.ts";

const SOCKETS = 60;

/** Live objects of the types an upgrade brings, after a full collection. */
function upgradeObjects() {
  Bun.gc(true);
  const counts = heapStats().objectTypeCounts;
  return { requests: counts.Request ?? 0, headers: counts.Headers ?? 0 };
}

describe(`an idle widget socket's memory (${storageMode}, ${busMode})`, () => {
  const f = widgetSocketFixture();

  test("open, authenticated sockets keep no upgrade request or headers", async () => {
    // One visitor with many tabs: one session, many sockets.
    const { token } = await f.session();
    await readyWidgetSocket(f.base, token, "https://shop.example", f.open);
    const before = upgradeObjects();
    for (let i = 0; i < SOCKETS; i++) await readyWidgetSocket(f.base, token, "https://shop.example", f.open);
    const after = upgradeObjects();
    // A few may be in flight or cached elsewhere; one per socket would be SOCKETS more.
    expect(after.requests - before.requests).toBeLessThan(SOCKETS / 4);
    expect(after.headers - before.headers).toBeLessThan(SOCKETS / 4);
  });
});
