// Files as tests upload them: real magic numbers, made here (no fixture binaries in the repo).

/** Bytes that fetch takes as a body. */
export type Bytes = Uint8Array<ArrayBuffer>;

/** A 1×1 PNG. */
export const PNG: Bytes = new Uint8Array(Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64"));

/** A small, valid PDF. */
export const PDF: Bytes = new TextEncoder().encode("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

/** A Windows executable's header (what a renamed .exe starts with). */
export const EXE: Bytes = Uint8Array.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff, ...new Array(200).fill(0)]);

/** An SVG that would run script if a browser rendered it as a page. */
export const SVG: Bytes = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

/** `size` bytes of a PDF: the header, then filler. */
export function pdfOfSize(size: number): Bytes {
  const bytes = new Uint8Array(size).fill(0x20);
  bytes.set(PDF.subarray(0, 9));
  return bytes;
}

/** A body that arrives in `chunk`-byte pieces without a Content-Length (a chunked upload). */
export function streamOf(bytes: Uint8Array, chunk = 64 * 1024): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.slice(at, (at += chunk)));
    },
  });
}
