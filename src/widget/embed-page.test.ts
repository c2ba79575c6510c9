// The widget's iframe page: its config, its escaping, its catalogs, and what it weighs on the wire.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";
import { EmbedPage } from "../../views/widget/embed-page.tsx";
import { PUBLIC_DIR } from "../paths.ts";
import { EMBED_FILES } from "./embed-routes.tsx";
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
    expect(html).not.toContain("<img");
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
  test("app, stylesheet, Alpine and page together stay within 40 KB brotli", () => {
    // The app is every module of public/embed/ (each compressed on its own, as served), with the stylesheet.
    const app = EMBED_FILES.filter((f) => f.endsWith(".js")).map((f) => `embed/${f}`);
    const files = [...app, "embed/widget.css", "vendor/alpine-csp.min.js"].map((f) => readFileSync(join(PUBLIC_DIR, f), "utf8"));
    const brotli = (text: string) => brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).byteLength;
    const sizes = [...files, render("de")].map(brotli);
    const total = sizes.reduce((a, b) => a + b, 0);
    const appSize = sizes.slice(0, app.length).reduce((a, b) => a + b, 0);
    const [css, alpine, page] = sizes.slice(app.length);
    console.log(`widget iframe, brotli q11: app ${appSize} (${app.length} modules) + css ${css} + alpine ${alpine} + page ${page} = ${total} bytes (budget 40960)`);
    expect(total).toBeLessThanOrEqual(40960);
  });
});
