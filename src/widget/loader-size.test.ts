// The embed loader (public/widget.js) as GET /widget.js serves it: minified by Bun.build, the
// strings placeholder replaced by the launcher strings. It must stay small (≤ 3 KB brotli) and
// parse as plain script.
import { expect, test } from "bun:test";
import { brotliCompressSync, constants } from "node:zlib";
import { minifyLoader, servedLoader } from "./loader.ts";

const raw = await Bun.file(`${import.meta.dir}/../../public/widget.js`).text();
const served = servedLoader(await minifyLoader());

test("the loader has exactly one strings placeholder", () => {
  expect(raw.split("__SD_STRINGS__").length).toBe(2);
});

test("the launcher's stylesheet is inlined, without its comments", () => {
  expect(served).not.toContain("__SD_LAUNCHER_CSS__");
  expect(served).toContain(":host(.left)");
  expect(served).not.toContain("/*");
});

test("the served loader is at most 3 KB brotli-compressed", () => {
  const size = brotliCompressSync(Buffer.from(served), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log(`widget.js: ${Buffer.byteLength(raw)} bytes written, ${Buffer.byteLength(served)} served, ${size} bytes brotli`);
  expect(size).toBeLessThanOrEqual(3072);
});

test("the served loader parses", () => {
  expect(() => new Function(served)).not.toThrow();
});

test("the loader works under a strict CSP and Trusted Types (no eval, no inline script, no HTML strings)", () => {
  expect(served).not.toMatch(/\beval\(|new Function|innerHTML|outerHTML|insertAdjacentHTML|document\.write|setAttribute\(["']style/);
});

test("what is served is the minified loader, not its source", () => {
  expect(served.length).toBeLessThan(raw.length * 0.75);
  expect(served).not.toContain("Calls made before <body> exists");
});
