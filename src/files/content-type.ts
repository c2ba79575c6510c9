// Which files are taken, decided by their bytes (file-type reads the magic numbers), never by the
// name or the type the browser declared. Plain text has no magic number: it is taken when the
// first bytes are UTF-8 without NUL or other binary control characters.
import { fileTypeFromBuffer } from "file-type";

/** Enough of a file's start for file-type to tell an Office document from any other zip. */
export const SNIFF_BYTES = 64 * 1024;

/** The types taken, as file-type names them. Everything else is refused. */
const ALLOWED = new Set([
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "image/heic",
  "image/avif",
  "application/pdf",
  "application/rtf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  "application/vnd.oasis.opendocument.text",
  "application/vnd.oasis.opendocument.spreadsheet",
  "application/vnd.oasis.opendocument.presentation",
  "application/x-cfb",
]);
/** Word 97–2003, Excel, PowerPoint: a Compound File; file-type does not say which of the three. */
const SERVED_AS: Record<string, string> = { "application/x-cfb": "application/octet-stream" };

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Text: UTF-8 (a character cut at the sample's end is fine) with no NUL and few control characters. */
function looksLikeText(head: Uint8Array, complete: boolean): boolean {
  if (head.length === 0) return false;
  let cut = head.length;
  // Drop a multi-byte character the sample cut in two (up to 3 continuation bytes back).
  if (!complete) for (let i = head.length - 1; i >= Math.max(0, head.length - 4); i--) if ((head[i]! & 0xc0) !== 0x80) { if (head[i]! >= 0xc0) cut = i; break; }
  try {
    utf8.decode(head.subarray(head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0, cut));
  } catch {
    return false;
  }
  for (const byte of head) if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) return false;
  return true;
}

/**
 * The type a file is kept and served as, from its first SNIFF_BYTES (`complete`: that is the
 * whole file); null when it is not allowed.
 */
export async function allowedTypeOf(head: Uint8Array, complete: boolean): Promise<string | null> {
  const found = await fileTypeFromBuffer(head);
  if (found) return ALLOWED.has(found.mime) ? (SERVED_AS[found.mime] ?? found.mime) : null;
  return looksLikeText(head, complete) ? "text/plain" : null;
}
