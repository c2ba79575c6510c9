import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { brotliDecompressSync } from "node:zlib";
import { PUBLIC_DIR } from "../paths.ts";
import { inboxes } from "../db/schema/index.ts";
import { cookieFrom, createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { frameAncestors } from "./embed-policy.ts";
import { LATER_MODULES } from "./embed-routes.tsx";

describe(`what a website loads to show the widget (${storageMode})`, () => {
  let t: TestApp;
  let defaultKey: string;

  beforeAll(async () => {
    t = await createTestApp();
    await t.post("/setup", { name: "Ana", email: "ana@example.com", password: "12345678" });
    await t.database.db.insert(inboxes).values([
      // Created apart: in one statement they would tie, and an update (the widget's first sighting) reorders ties.
      { name: "Shop", publicKey: "pk_embed_shop", identitySecret: "s", allowedOrigins: ["https://shop.example", "https://www.shop.example"], createdAt: new Date(Date.now() - 60_000) },
      { name: "Anywhere", publicKey: "pk_embed_any", identitySecret: "s" },
    ]);
    const [first] = await t.database.db.select().from(inboxes).orderBy(inboxes.createdAt).limit(1);
    defaultKey = first!.publicKey;
  });
  afterAll(() => t.close());

  test("/widget.js is the loader with its strings filled in, brotli-compressed within 3 KB", async () => {
    const res = await t.request("/widget.js", { headers: { "accept-encoding": "gzip, deflate, br" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("javascript");
    expect(res.headers.get("content-encoding")).toBe("br");
    const compressed = new Uint8Array(await res.arrayBuffer());
    console.log(`widget.js: ${compressed.byteLength} bytes brotli`);
    expect(compressed.byteLength).toBeLessThanOrEqual(3072);
    const source = brotliDecompressSync(compressed).toString("utf8");
    expect(source).not.toContain("__SD_STRINGS__");
    expect(source).toContain("Open chat");
    expect(source).toContain("Chat öffnen");

    // A client without brotli still gets it; a repeat visit with the ETag gets 304.
    const plain = await t.request("/widget.js");
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(await plain.text()).toBe(source);
    const again = await t.request("/widget.js", { headers: { "if-none-match": res.headers.get("etag")! } });
    expect(again.status).toBe(304);
  });

  test("/widget.d.ts declares the SDK", async () => {
    const res = await t.request("/widget.d.ts");
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain("SupportDesk");
    for (const command of ["boot", "open", "close", "toggle", "identify", "shutdown", "showNewMessage", "unreadCountChange"]) {
      expect(text).toContain(command);
    }
  });

  test("the widget page may be framed only by the inbox's websites (and our own demo)", async () => {
    const res = await t.request("/embed/widget?inbox=pk_embed_shop&origin=https%3A%2F%2Fshop.example");
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain(`frame-ancestors ${TEST_ORIGIN} https://shop.example https://www.shop.example;`);
    expect(res.headers.get("x-frame-options")).toBeNull();

    const any = await t.request("/embed/widget?inbox=pk_embed_any");
    expect(any.headers.get("content-security-policy")).toContain("frame-ancestors *;");

    expect((await t.request("/embed/widget?inbox=pk_nope")).status).toBe(404);
  });

  test("frame-ancestors leaves out stored values that are not plain origins", () => {
    expect(frameAncestors(["https://a.example", "https://b.example/path", "javascript:alert(1)", "https://c.example; script-src *"], "https://desk.example")).toBe(
      "https://desk.example https://a.example",
    );
  });

  test("the widget page speaks German to a German browser and English otherwise", async () => {
    const de = await (await t.request("/embed/widget?inbox=pk_embed_any&locale=de-AT")).text();
    expect(de).toContain('lang="de"');
    const fr = await (await t.request("/embed/widget?inbox=pk_embed_any&locale=fr")).text();
    expect(fr).toContain('lang="en"');
  });

  test("a hostile origin parameter cannot get into the page", async () => {
    const html = await (await t.request(`/embed/widget?inbox=pk_embed_any&origin=${encodeURIComponent('"></script><script>alert(1)</script>')}`)).text();
    expect(html).not.toContain("<script>alert(1)</script>");
  });

  test("the iframe's files are served compressed", async () => {
    for (const path of ["/public/embed/widget-app.js", "/public/embed/widget.css", "/public/vendor/alpine-csp.min.js"]) {
      const res = await t.request(path, { headers: { "accept-encoding": "br" } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-encoding")).toBe("br");
    }
  });

  test("every module of the chat (public/embed/*.js) is served compressed as JavaScript, and the page preloads those the app imports", async () => {
    const modules = readdirSync(`${PUBLIC_DIR}/embed`).filter((file) => file.endsWith(".js"));
    expect(modules.length).toBeGreaterThan(5);
    const page = await (await t.request("/embed/widget?inbox=pk_embed_any")).text();
    for (const module of modules) {
      const res = await t.request(`/public/embed/${module}`, { headers: { "accept-encoding": "br" } });
      expect({ module, status: res.status, type: res.headers.get("content-type"), encoding: res.headers.get("content-encoding") }).toEqual({
        module,
        status: 200,
        type: "text/javascript; charset=utf-8",
        encoding: "br",
      });
      // Those loaded on first use (uploads) are not: a chat without files never fetches them.
      const preload = `<link rel="modulepreload" href="/public/embed/${module}"`;
      if (LATER_MODULES.includes(module)) expect(page).not.toContain(preload);
      else if (module !== "widget-app.js") expect(page).toContain(preload);
    }
    expect(page).toContain('<script type="module" src="/public/embed/widget-app.js"></script>');
    expect((await t.request("/public/embed/nothing-here.js")).status).toBe(404);
  });

  test("/demo is a plain host page with the default inbox's snippet", async () => {
    const html = await (await t.request("/demo")).text();
    expect(html).toContain(`<script src="${TEST_ORIGIN}/widget.js" data-inbox="${defaultKey}" async></script>`);
  });

  test("the settings page shows each inbox's snippet to copy, to signed-in agents only", async () => {
    const anonymous = await t.request("/settings");
    expect(anonymous.status).toBe(303);
    const cookie = cookieFrom(await t.post("/login", { email: "ana@example.com", password: "12345678" }), "sd_session")!;
    const html = await (await t.request("/settings", { headers: { cookie } })).text();
    expect(html).toContain("Copy snippet");
    expect(html).toContain("data-inbox=&quot;pk_embed_shop&quot;");
    expect(html).toContain("https://shop.example, https://www.shop.example");
  });
});
