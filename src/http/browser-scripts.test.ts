// Our own browser scripts never turn text into HTML: what pages show comes as HTML rendered and
// escaped on the server (views, checked by xss-scan) or is set as text (textContent, x-text,
// the Notification API). A script that used an HTML sink would be a place where a customer's or an
// agent's words could run; this fails on the first one (vendored libraries aside).
import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

const PUBLIC = join(import.meta.dir, "../../public");
const SINKS = /\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write|\beval\(|new Function\b|createContextualFragment|\.srcdoc\b|parseFromString/;
// The one exception, by name: the widget shows a message's `html`, which the server rendered and
// escaped, by parsing it in an inert document and copying it node by node through an allowlist
// (src/widget/embed-message-html.test.ts); it never assigns HTML to the page.
const ALLOWED = ["embed/message-html.js: export const messageNodes = (html) => copy(new DOMParser().parseFromString(String(html || \"\"), \"text/html\").body);"];

function scripts(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "vendor" ? [] : scripts(path);
    return entry.name.endsWith(".js") ? [path] : [];
  });
}

test("no hand-written browser script writes HTML from a string", () => {
  const files = scripts(PUBLIC);
  expect(files.length).toBeGreaterThan(10);
  const found = files.flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .map((line, i) => ({ line, at: `${relative(PUBLIC, file)}:${i + 1}` }))
      .filter(({ line }) => SINKS.test(line))
      .map(({ at, line }) => `${at}: ${line.trim()}`)
      .filter((found) => !ALLOWED.includes(found.replace(/:\d+:/, ":"))),
  );
  expect(found).toEqual([]);
});
