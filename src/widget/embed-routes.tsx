import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Elysia, t } from "elysia";
import type { AppContext } from "../app-context.ts";
import { CompressedAsset, lazyAsset } from "../http/compressed-asset.ts";
import { findInboxByPublicKey, listInboxes } from "../inboxes/service.ts";
import { widgetContentSecurityPolicy } from "../http/security-headers.ts";
import { PUBLIC_DIR } from "../paths.ts";
import { EmbedPage } from "../../views/widget/embed-page.tsx";
import { DemoPage } from "../../views/widget/demo-page.tsx";
import { catalogs, launcherStrings, widgetLocale } from "./locales/index.ts";
import { frameAncestors, parseOrigin } from "./embed-policy.ts";

const JS = "text/javascript; charset=utf-8";
/** The loader's URL never changes, so it is cached briefly: a deploy reaches every site within minutes. */
const LOADER_CACHE = "public, max-age=300";
const ASSET_CACHE = "public, max-age=3600";

/** Files of the iframe, served compressed (the static plugin would send them as they are). */
const IFRAME_ASSETS = {
  "/public/embed/widget-app.js": JS,
  "/public/embed/widget.css": "text/css; charset=utf-8",
  "/public/vendor/alpine-csp.min.js": JS,
} as const;

/**
 * public/widget.js as GET /widget.js serves it: the launcher's few strings, from the same catalogs
 * as the rest of the widget, in place of its placeholder (a function replacement: no `$&` surprises).
 */
export function servedLoader(source: string): string {
  return source.replace("__SD_STRINGS__", () => JSON.stringify(launcherStrings()));
}

/**
 * Everything a website loads to show the widget: the loader, its type declaration, the iframe
 * page and its files; plus /demo, a host page to try it. The snippets are on /settings
 * (src/inboxes/settings-routes.tsx).
 */
export function embedRoutes(ctx: AppContext) {
  const publicUrl = ctx.config.publicUrl.href;
  const ownOrigin = ctx.config.publicUrl.origin;

  /** A file under public/, compressed on first request; `transform` adjusts its text first. */
  const publicAsset = (file: string, type: string, cache: string, transform = (text: string) => text) => {
    const asset = lazyAsset(async () => new CompressedAsset(transform(await readFile(join(PUBLIC_DIR, file), "utf8")), type, cache));
    return async ({ request }: { request: Request }) => (await asset()).response(request);
  };
  const iframeAsset = (path: keyof typeof IFRAME_ASSETS) => publicAsset(path.slice("/public/".length), IFRAME_ASSETS[path], ASSET_CACHE);

  return new Elysia()
    .get("/widget.js", publicAsset("widget.js", JS, LOADER_CACHE, servedLoader))
    .get("/widget.d.ts", publicAsset("widget.d.ts", "text/plain; charset=utf-8", LOADER_CACHE))
    .get("/public/embed/widget-app.js", iframeAsset("/public/embed/widget-app.js"))
    .get("/public/embed/widget.css", iframeAsset("/public/embed/widget.css"))
    .get("/public/vendor/alpine-csp.min.js", iframeAsset("/public/vendor/alpine-csp.min.js"))
    .get(
      "/embed/widget",
      async ({ query, set }) => {
        const inbox = await findInboxByPublicKey(ctx.database.db, query.inbox);
        if (!inbox) {
          set.status = 404;
          return "No inbox has this public key.";
        }
        const locale = widgetLocale(query.locale);
        // Only the inbox's websites (and our own /demo) may frame the widget. The other security
        // headers come from the app-wide plugin (src/http/security-headers.ts).
        set.headers["content-security-policy"] = widgetContentSecurityPolicy(ctx.config.publicUrl, frameAncestors(inbox.allowedOrigins, ownOrigin));
        // Stricter than the app's same-origin: the host page's address is not ours to pass on.
        set.headers["referrer-policy"] = "no-referrer";
        set.headers["content-type"] = "text/html; charset=utf-8";
        return (
          <EmbedPage
            publicKey={inbox.publicKey}
            inboxName={inbox.name}
            color={inbox.color}
            position={inbox.position}
            hostOrigin={parseOrigin(query.origin) ?? ""}
            locale={locale}
            strings={catalogs[locale]}
          />
        );
      },
      { query: t.Object({ inbox: t.String({ maxLength: 100 }), origin: t.Optional(t.String({ maxLength: 500 })), locale: t.Optional(t.String({ maxLength: 35 })) }) },
    )
    .get("/demo", async ({ set }) => {
      const [inbox] = await listInboxes(ctx.database.db);
      if (!inbox) {
        set.status = 404;
        return "No inbox yet.";
      }
      set.headers["content-type"] = "text/html; charset=utf-8";
      return <DemoPage publicUrl={publicUrl} publicKey={inbox.publicKey} inboxName={inbox.name} />;
    });
}
