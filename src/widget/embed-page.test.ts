// The widget's iframe page: its config, its escaping, its catalogs, and what it weighs on the wire.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";
import { EmbedPage } from "../../views/widget/embed-page.tsx";
import { PUBLIC_DIR } from "../paths.ts";
import { servedModule } from "./embed-modules.ts";
import { EMBED_FILES, LATER_MODULES } from "./embed-routes.tsx";
import { catalogs, type WidgetLocale } from "./locales/index.ts";

const HOSTILE = "</script><img src=x onerror=alert(1)>";

const render = (locale: WidgetLocale, inboxName = "Website") =>
  EmbedPage({
    publicKey: "pk_test",
    inboxName,
    color: "#2563eb",
    onColor: "#fff",
    position: "right",
    hostOrigin: "https://shop.example",
    locale,
    strings: catalogs[locale],
    maxLength: 5000,
    maxFileBytes: 10485760,
    maxFiles: 10,
    modules: ["chat-state.js"],
  });

function config(html: string) {
  const json = html.match(/<script type="application\/json" id="sd-config">([\s\S]*?)<\/script>/)?.[1];
  expect(json).toBeDefined();
  return JSON.parse(json!);
}

describe("the widget's iframe page", () => {
  for (const locale of ["en", "de"] as const) {
    test(`in ${locale}, carries its config and catalog as JSON and loads the app before Alpine`, () => {
      const html = render(locale);
      expect(html).toContain(`<html lang="${locale}">`);
      const cfg = config(html);
      expect(cfg).toMatchObject({ publicKey: "pk_test", inboxName: "Website", color: "#2563eb", hostOrigin: "https://shop.example", locale });
      expect(cfg.strings).toEqual(catalogs[locale]);
      expect(html).toContain(`<label for="sd-msg" class="sr-only">${catalogs[locale].message}</label>`);
      const app = html.indexOf('src="/public/embed/widget-app.js"');
      expect(app).toBeGreaterThan(0);
      expect(html.indexOf('src="/public/vendor/alpine-csp.min.js"')).toBeGreaterThan(app);
      // No x-html (Alpine's CSP build refuses it); the one HTML binding shows a message's rendering
      // made on the server (src/messages/render-body.ts), copied through an allowlist (public/embed/message-html.js).
      expect(html).not.toContain("x-html");
      expect(html.match(/x-message-html="[^"]*"/g)).toEqual(['x-message-html="r.html"']);
      // The field says what formatting the chat shows.
      expect(html).toContain(`<span id="sd-hint" class="sd-hint" x-show="!$store.chat.error">${catalogs[locale].formatHint}</span>`);
      expect(html).toContain('aria-describedby="sd-hint sd-err sd-count"');
    });
  }

  test("a hostile inbox name cannot break out of the config or the markup", () => {
    const html = render("en", HOSTILE);
    expect(html).not.toContain("<img src=x");
    expect(html.match(/<\/script>/g)?.length).toBe(3);
    expect(config(html).inboxName).toBe(HOSTILE);
  });
});

describe("the widget's catalogs", () => {
  test("English and German have the same keys, none of them empty", () => {
    const { en, de } = catalogs;
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
    for (const catalog of [en, de]) for (const value of Object.values(catalog)) expect(value.trim()).not.toBe("");
  });

  test("German placeholders match the English ones", () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, value] of Object.entries(catalogs.en)) expect(names(catalogs.de[key as keyof typeof catalogs.de])).toEqual(names(value));
  });
});

describe("the widget's weight", () => {
  const brotli = (text: string) => brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).byteLength;
  const sum = (sizes: number[]) => sizes.reduce((a, b) => a + b, 0);
  // As served: each module without its comments and whitespace (embed-modules.ts).
  const moduleSizes = (modules: string[]) => modules.map((f) => brotli(servedModule(readFileSync(join(PUBLIC_DIR, "embed", f), "utf8"))));

  // 40 KB until attachments (issue 16): the paperclip, the chips, a message's files in the
  // transcript, their strings in two languages and the outbox's waiting for uploads are on the
  // page from the start (a customer may attach at any moment, and any message may hold files):
  // about 2 KB, which the code it replaced could not give back, and 64 B more so that a screen reader
  // reads a message of files alone by their names. The uploads themselves load later.
  test("app, stylesheet, Alpine and page together stay within 41.56 KB brotli", () => {
    // The app is every module of public/embed/ that the page loads (each compressed on its own, as served), with the stylesheet.
    const app = EMBED_FILES.filter((f) => f.endsWith(".js") && !LATER_MODULES.includes(f));
    const [css, alpine] = ["embed/widget.css", "vendor/alpine-csp.min.js"].map((f) => brotli(readFileSync(join(PUBLIC_DIR, f), "utf8")));
    const appSize = sum(moduleSizes(app)), page = brotli(render("de"));
    const total = appSize + css! + alpine! + page;
    console.log(`widget iframe, brotli q11: app ${appSize} (${app.length} modules) + css ${css} + alpine ${alpine} + page ${page} = ${total} bytes (budget 42560)`);
    expect(total).toBeLessThanOrEqual(42560);
  });

  test("a module as served keeps its imports and exports, and says nothing of its comments", () => {
    for (const file of EMBED_FILES.filter((f) => f.endsWith(".js"))) {
      const source = readFileSync(join(PUBLIC_DIR, "embed", file), "utf8");
      const served = servedModule(source);
      const specifiers = (text: string) => [...text.matchAll(/(?:from|import\()\s*"(\.\/[\w-]+\.js)"/g)].map((m) => m[1]).sort();
      expect({ file, imports: specifiers(served) }).toEqual({ file, imports: specifiers(source) });
      expect(served).not.toContain("//");
      expect(served.length).toBeLessThan(source.length);
    }
  });

  test("the modules loaded on first use (uploads, renewing a file's link) stay within 6 KB brotli, and the page does not preload them", () => {
    expect(LATER_MODULES.every((f) => EMBED_FILES.includes(f))).toBe(true);
    const later = sum(moduleSizes(LATER_MODULES));
    console.log(`loaded on first use, brotli q11: ${LATER_MODULES.join(" + ")} = ${later} bytes (budget 6144)`);
    expect(later).toBeLessThanOrEqual(6144);
  });
});
