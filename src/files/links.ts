// Where a reader fetches a file. Agents: /files/{id}/{name}, checked against their session cookie.
// The widget: a signed link that works without any credential until it expires (an <img> sends no
// Authorization header, and a visitor token must never sit in a URL, where logs and referrers keep
// it). Expiries are rounded up to five minutes, so one message renders the same link for everyone
// who receives it in that window (a push is rendered once for every socket).
import { timingSafeEqual } from "node:crypto";
import type { StoredFile, WireFile } from "./model.ts";
import { isInlineImage } from "./model.ts";

/** How long a signed link works. */
export const LINK_TTL_SECONDS = 3600;
const ROUND_SECONDS = 300;

export interface FileLinks {
  /** The file as the widget sees it, with a signed link that works for about an hour from `now`. */
  forWidget(file: StoredFile, now?: number): WireFile;
  /** "ok" when `signature` is this server's for the file and `expires` (unix seconds) is still ahead. */
  verify(id: string, expires: string | undefined, signature: string | undefined, now?: number): "ok" | "expired" | "bad";
}

export const agentFileUrl = (file: Pick<StoredFile, "id" | "name">) => `/files/${file.id}/${encodeURIComponent(file.name)}`;

export function fileLinks(sessionSecret: string, publicUrl: URL, clock: () => number = Date.now): FileLinks {
  // A key of its own, derived from the session secret: a file link's signature is worth nothing as a cookie's.
  const key = new Bun.CryptoHasher("sha256").update(`supportdesk file links\0${sessionSecret}`).digest();
  const sign = (id: string, expires: number) => new Bun.CryptoHasher("sha256", key).update(`${id}.${expires}`).digest("base64url");
  const base = publicUrl.origin;
  return {
    forWidget(file, now = clock()) {
      const expires = Math.ceil((now / 1000 + LINK_TTL_SECONDS) / ROUND_SECONDS) * ROUND_SECONDS;
      const url = `${base}/api/v1/widget/files/${file.id}?e=${expires}&s=${sign(file.id, expires)}`;
      return { ...file, image: isInlineImage(file.type), url };
    },
    verify(id, expires, signature, now = clock()) {
      if (!expires || !signature || !/^\d{1,12}$/.test(expires)) return "bad";
      const expected = Buffer.from(sign(id, Number(expires)));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "bad";
      return Number(expires) * 1000 > now ? "ok" : "expired";
    },
  };
}
