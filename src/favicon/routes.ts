import { Elysia, t } from "elysia";
import { join } from "node:path";
import { PUBLIC_DIR } from "../paths.ts";
import { faviconWithCount } from "./badge.ts";

/** A day: the icon changes only with a release; each count's variant is its own address. */
const CACHE = "public, max-age=86400";

/**
 * The app's icon: /favicon.svg, which pages link to (with `?unread=N`, the inbox's count drawn on
 * it: public/favicon-count.js asks for it), and /favicon.ico for whatever asks the old way.
 */
export function faviconRoutes() {
  const svg = Bun.file(join(PUBLIC_DIR, "favicon.svg")).text();
  return new Elysia({ name: "favicon" })
    .get(
      "/favicon.svg",
      async ({ query, set }) => {
        set.headers["content-type"] = "image/svg+xml";
        set.headers["cache-control"] = CACHE;
        return faviconWithCount(await svg, Number(query.unread ?? 0));
      },
      { query: t.Object({ unread: t.Optional(t.String({ maxLength: 6 })) }) },
    )
    .get("/favicon.ico", ({ set }) => {
      set.headers["cache-control"] = CACHE;
      return Bun.file(join(PUBLIC_DIR, "favicon.ico"));
    });
}
