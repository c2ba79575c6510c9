// What an attachment is to the rest of the app, and why one is refused.
import { Refusal } from "../http/refusal.ts";

/** A file as a message stores it (messages.attachments) and as its row describes it. */
export interface StoredFile {
  id: string;
  name: string;
  size: number;
  /** The MIME type found in the bytes (content-type.ts). */
  type: string;
}

/** A file as clients see it: `url` is where this reader fetches it (a signed link for the widget). */
export interface WireFile extends StoredFile {
  image: boolean;
  url: string;
}

/** Raster images: the only files shown inline (an SVG can carry script; it is never among them). */
const INLINE_IMAGES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);
export const isInlineImage = (type: string) => INLINE_IMAGES.has(type);

/** The longest file name kept; longer ones are shortened, keeping the extension. */
export const MAX_NAME_LENGTH = 255;

export type FileRefusalCode = "too_large" | "file_type" | "no_file" | "bad_files";

const STATUS: Record<FileRefusalCode, number> = { too_large: 413, file_type: 415, no_file: 400, bad_files: 400 };

export class FileRefused extends Refusal {
  override name = "FileRefused";
  constructor(
    override readonly code: FileRefusalCode,
    message: string,
  ) {
    super(STATUS[code], code, message);
  }
}

/** "10 MB", "1.2 MB", "340 KB": sizes as people read them (decimal units, as file managers show). */
export function humanSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const [value, unit] = bytes < 1e6 ? [bytes / 1e3, "KB"] : bytes < 1e9 ? [bytes / 1e6, "MB"] : [bytes / 1e9, "GB"];
  return `${value < 10 ? Math.round(value * 10) / 10 : Math.round(value)} ${unit}`;
}

/** An unknown file, and one the reader may not see, alike. */
export const noSuchFile = () => new Refusal(404, "not_found", "There is no such file.");

export const tooLarge = (maxBytes: number) => new FileRefused("too_large", `Files can be at most ${humanSize(maxBytes)}.`);
export const wrongType = () =>
  new FileRefused("file_type", "This kind of file cannot be sent. Send images, PDF, text or office documents.");

/**
 * The name as it is kept: no folders (browsers send "C:\fakepath\x.png" in places), no control or
 * bidirectional-override characters (a name that reads "gpj.exe" backwards), at most 255 characters.
 */
export function cleanFileName(raw: string | null | undefined): string {
  const base = (raw ?? "").split(/[\\/]/).pop() ?? "";
  const clean = base.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "").trim();
  if (!clean || clean === "." || clean === "..") return "file";
  if (clean.length <= MAX_NAME_LENGTH) return clean;
  const dot = clean.lastIndexOf(".");
  const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : "";
  return clean.slice(0, MAX_NAME_LENGTH - ext.length) + ext;
}
