// The widget's iframe and the page that frames it: a website the inbox does not allow gets a frame
// that only says so (issue 18 item 3), and the first sighting on a website of the team's own is
// recorded for the onboarding checklist (inboxes.widget_seen_at).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { inboxes } from "../db/schema/index.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { embedAllowed } from "./embed-policy.ts";
import { markWidgetSeen } from "./queries.ts";

const frame = (key: string, origin?: string) => `/embed/widget?inbox=${key}${origin ? `&origin=${encodeURIComponent(origin)}` : ""}`;

describe(`the page that frames the widget (${storageMode})`, () => {
  let t: TestApp;
  const seenAt = async (publicKey: string) => (await t.database.db.select({ at: inboxes.widgetSeenAt }).from(inboxes).where(eq(inboxes.publicKey, publicKey)))[0]!.at;

  beforeAll(async () => {
    t = await createTestApp();
    await t.database.db.insert(inboxes).values([
      { name: "Shop", publicKey: "pk_origin_shop", identitySecret: "s", allowedOrigins: ["https://shop.example"] },
      { name: "Demo only", publicKey: "pk_origin_demo", identitySecret: "s" },
      { name: "Twice", publicKey: "pk_origin_twice", identitySecret: "s" },
      { name: "Typo", publicKey: "pk_origin_typo", identitySecret: "s", allowedOrigins: ["https://shop.example"] },
    ]);
  });
  afterAll(() => t.close());

  test("a website that is not in the inbox's list gets a frame without the chat that tells the loader so", async () => {
    const res = await t.request(frame("pk_origin_shop", "https://shop.exmaple"));
    expect(res.status).toBe(200);
    // Any page may frame it (else the browser shows a broken frame and the loader hears nothing); it holds nothing of the inbox.
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors *;");
    const html = await res.text();
    expect(html).toContain('<script src="/public/widget-refused.js" defer></script>');
    expect(html).not.toContain("sd-config");
    expect(html).not.toContain("Shop");
    expect((await t.request("/public/widget-refused.js")).status).toBe(200);
  });

  test("a listed website, or a page that names no origin, gets the chat, framed by the list only", async () => {
    for (const origin of ["https://shop.example", undefined]) {
      const res = await t.request(frame("pk_origin_shop", origin));
      expect(await res.text()).toContain('id="sd-config"');
      expect(res.headers.get("content-security-policy")).toContain(`frame-ancestors ${TEST_ORIGIN} https://shop.example;`);
    }
  });

  test("the list as the header reads it: a trailing slash is forgiven, a path or another scheme is not", () => {
    const list = ["https://shop.example/", "https://a.example/path"];
    expect(embedAllowed(list, "https://shop.example", TEST_ORIGIN)).toBe(true);
    expect(embedAllowed(list, TEST_ORIGIN, TEST_ORIGIN)).toBe(true);
    expect(embedAllowed(list, "http://shop.example", TEST_ORIGIN)).toBe(false);
    expect(embedAllowed(list, "https://a.example", TEST_ORIGIN)).toBe(false);
    expect(embedAllowed([], "https://anything.example", TEST_ORIGIN)).toBe(true);
  });

  test("the widget's first sighting is recorded for a website of the team's, not for our own /demo nor a refused website", async () => {
    await t.request(frame("pk_origin_demo", TEST_ORIGIN));
    await t.request(frame("pk_origin_demo"));
    expect(await seenAt("pk_origin_demo")).toBeNull();
    await t.request(frame("pk_origin_typo", "https://shop.exmaple"));
    expect(await seenAt("pk_origin_typo")).toBeNull();

    await t.request(frame("pk_origin_typo", "https://shop.example"));
    const first = await seenAt("pk_origin_typo");
    expect(first).toBeInstanceOf(Date);
    expect(Date.now() - first!.getTime()).toBeLessThan(60_000);
  });

  test("markWidgetSeen keeps the first time", async () => {
    const [inbox] = await t.database.db.select().from(inboxes).where(eq(inboxes.publicKey, "pk_origin_twice"));
    await markWidgetSeen(t.database.db, inbox!.id, new Date("2026-01-01T00:00:00Z"));
    await t.database.db.update(inboxes).set({ widgetSeenAt: null }).where(eq(inboxes.id, inbox!.id));
    // Written once per process: a second call does not even ask the database.
    await markWidgetSeen(t.database.db, inbox!.id, new Date("2026-02-01T00:00:00Z"));
    expect(await seenAt("pk_origin_twice")).toBeNull();
  });
});
