// Which files are taken is decided by their bytes: the names and declared types never enter.
import { describe, expect, test } from "bun:test";
import { allowedTypeOf, SNIFF_BYTES } from "./content-type.ts";
import { cleanFileName, humanSize } from "./model.ts";
import { EXE, PDF, PNG, SVG } from "./file-fixtures.ts";

const text = (s: string) => new TextEncoder().encode(s);

/** A zip whose entries are stored (not compressed): enough for file-type to see what is inside. */
function storedZip(entries: Record<string, string>): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [name, content] of Object.entries(entries)) {
    const nameBytes = text(name), data = text(content);
    const header = new DataView(new ArrayBuffer(30));
    header.setUint32(0, 0x04034b50, true); // local file header
    header.setUint16(4, 20, true);
    header.setUint32(18, data.byteLength, true); // compressed size
    header.setUint32(22, data.byteLength, true); // size
    header.setUint16(26, nameBytes.byteLength, true);
    parts.push(new Uint8Array(header.buffer), nameBytes, data);
  }
  return Buffer.concat(parts);
}

const DOCX = storedZip({
  "[Content_Types].xml": `<?xml version="1.0"?><Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
  "word/document.xml": "<w:document/>",
});

describe("the type check", () => {
  test.each([
    ["a PNG", PNG, "image/png"],
    ["a JPEG", Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]), "image/jpeg"],
    ["a GIF", text("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), "image/gif"],
    ["a PDF", PDF, "application/pdf"],
    ["a Word document", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
    ["plain text with accents and emoji", text("Grüße, 👋\r\ncsv;1;2\n"), "text/plain"],
    ["an SVG (text: never an image)", SVG, "text/plain"],
  ])("%s is taken as %s", async (_what, bytes, type) => {
    expect(await allowedTypeOf(bytes, true)).toBe(type);
  });

  test.each([
    ["a Windows executable", EXE],
    ["a Linux executable", Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...new Array(60).fill(0)])],
    ["a zip archive of other things", storedZip({ "run.sh": "#!/bin/sh\nrm -rf /\n" })],
    ["binary bytes without a known signature", Uint8Array.from([0x00, 0x01, 0x02, 0x03, 0x10, 0x00])],
    ["text with a NUL in it", text("hello\u0000world")],
    ["Latin-1 that is not UTF-8", Uint8Array.from([0x47, 0x72, 0xfc, 0xdf, 0x65])],
  ])("%s is refused", async (_what, bytes) => {
    expect(await allowedTypeOf(bytes, true)).toBeNull();
  });

  test("a character cut in two at the end of the sample is still text; at the end of the file it is not", async () => {
    const head = Buffer.concat([Buffer.alloc(SNIFF_BYTES - 1, 0x61), Buffer.from("é").subarray(0, 1)]);
    expect(await allowedTypeOf(head, false)).toBe("text/plain");
    expect(await allowedTypeOf(head, true)).toBeNull();
  });
});

describe("file names and sizes as people read them", () => {
  test.each([
    ["C:\\fakepath\\report.pdf", "report.pdf"],
    ["../../etc/passwd", "passwd"],
    ["invoice\u202egpj.exe", "invoicegpj.exe"],
    ["tab\there.txt", "tabhere.txt"],
    ["", "file"],
    ["..", "file"],
  ])("%j is kept as %j", (raw, kept) => expect(cleanFileName(raw)).toBe(kept));

  test("a very long name is shortened to 255 characters, keeping its extension", () => {
    const name = cleanFileName(`${"a".repeat(400)}.pdf`);
    expect(name).toHaveLength(255);
    expect(name.endsWith("a.pdf")).toBe(true);
  });

  test.each([
    [999, "999 B"],
    [1500, "1.5 KB"],
    [10 * 1024 * 1024, "10 MB"],
    [1_234_567, "1.2 MB"],
  ])("%d bytes read %s", (bytes, shown) => expect(humanSize(bytes)).toBe(shown));
});
