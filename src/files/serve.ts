// How a stored file goes back out: as a download (a raster image may show inline), with the
// type found in its bytes, never sniffed again by the browser, and under a policy that runs
// nothing even when opened as a page of its own.
import { isInlineImage, type StoredFile } from "./model.ts";

/** `attachment; filename="a.pdf"; filename*=UTF-8''a.pdf`: an ASCII name for old clients, the real one for the rest. */
export function contentDisposition(inline: boolean, name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${inline ? "inline" : "attachment"}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** The policy of every file we serve: no script, no plugin, no form, and a sandbox even for the document itself. */
export const FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

export function fileResponse(file: StoredFile, body: ReadableStream<Uint8Array>, options: { maxAgeSeconds: number; crossOrigin: boolean }): Response {
  const inline = isInlineImage(file.type);
  return new Response(body, {
    headers: {
      "content-type": file.type === "text/plain" ? "text/plain; charset=utf-8" : file.type,
      "content-length": String(file.size),
      "content-disposition": contentDisposition(inline, file.name),
      "x-content-type-options": "nosniff",
      "content-security-policy": FILE_CSP,
      "cross-origin-resource-policy": options.crossOrigin ? "cross-origin" : "same-origin",
      "cache-control": `private, max-age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
      "referrer-policy": "no-referrer",
    },
  });
}
