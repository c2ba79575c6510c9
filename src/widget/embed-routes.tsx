import { readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { Elysia, t } from "elysia";
import type { AppContext } from "../app-context.ts";
import type { AttachmentsConfig } from "../config-files.ts";
import { CompressedAsset, lazyAsset } from "../http/compressed-asset.ts";
import { findInboxByPublicKey, listInboxes, type Inbox } from "../inboxes/service.ts";
import { widgetContentSecurityPolicy } from "../http/security-headers.ts";
import { PUBLIC_DIR } from "../paths.ts";
import { EmbedPage } from "../../views/widget/embed-page.tsx";
import { DemoPage } from "../../views/widget/demo-page.tsx";
import { EmbedRefusedPage } from "../../views/widget/embed-refused.tsx";
import { MAX_BODY_LENGTH } from "../messages/model.ts";
import { catalogs, widgetLocale, type WidgetLocale } from "./locales/index.ts";
import { brandColours } from "./brand-colours.ts";
import { embedAllowed, frameAncestors, parseOrigin } from "./embed-policy.ts";
import { markWidgetSeen } from "./queries.ts";
import { servedModule } from "./embed-modules.ts";
import { loaderText } from "./loader.ts";

const JS = "text/javascript; charset=utf-8";
/** The loader's URL never changes, so it is cached briefly: a deploy reaches every site within minutes. */
const LOADER_CACHE = "public, max-age=300";
const ASSET_CACHE = "public, max-age=3600";

const TYPES: Record<string, string> = { ".js": JS, ".css": "text/css; charset=utf-8" };

/**
 * The iframe's files: every script and stylesheet in public/embed/ (read once; the binary embeds
 * the directory), served compressed (the static plugin would send them as they are).
 */
export const EMBED_FILES = readdirSync(join(PUBLIC_DIR, "embed")).filter((file) => Object.hasOwn(TYPES, extname(file)));
/** Modules the chat imports only when it needs them (uploads.js when a file is attached, file-links.js when a link expired), apart from the first load. */
export const LATER_MODULES = ["uploads.js", "file-links.js"];
/** The chat's ES modules that widget-app.js imports, which the page preloads. */
export const CHAT_MODULES = EMBED_FILES.filter((file) => file.endsWith(".js") && file !== "widget-app.js" && !LATER_MODULES.includes(file));

/** What the chat page takes from its inbox, language and the attachment limits: the widget's iframe and the hosted chat page alike. */
export function chatPageProps(
  inbox: Pick<Inbox, "publicKey" | "name" | "color" | "position">,
  locale: WidgetLocale,
  attachments: Pick<AttachmentsConfig, "maxBytes" | "maxFiles">,
  colorOverride?: string,
) {
  const { color, onColor } = brandColours(colorOverride, inbox.color);
  const { maxBytes: maxFileBytes, maxFiles } = attachments;
  return { publicKey: inbox.publicKey, inboxName: inbox.name, color, onColor, position: inbox.position, locale, strings: catalogs[locale], maxLength: MAX_BODY_LENGTH, maxFileBytes, maxFiles, modules: CHAT_MODULES };
}

/**
 * Everything a website loads to show the widget: the loader, its type declaration, the iframe
 * page and its files; plus /demo, a host page to try it. The snippets are on /settings
 * (src/inboxes/settings-routes.tsx).
 */
export function embedRoutes(ctx: AppContext) {
  const publicUrl = ctx.config.publicUrl.href;
  const ownOrigin = ctx.config.publicUrl.origin;

  /** Text compressed on first request (`text` reads it then). */
  const compressed = (text: () => Promise<string>, type: string, cache: string) => {
    const asset = lazyAsset(async () => new CompressedAsset(await text(), type, cache));
    return async ({ request }: { request: Request }) => (await asset()).response(request);
  };
  const publicFile = (file: string, type: string, cache = ASSET_CACHE) => compressed(() => readFile(join(PUBLIC_DIR, file), "utf8"), type, cache);
  const embedModule = (file: string) => compressed(async () => servedModule(await readFile(join(PUBLIC_DIR, "embed", file), "utf8")), JS, ASSET_CACHE);
  const embedFiles = new Map(EMBED_FILES.map((file) => [file, extname(file) === ".js" ? embedModule(file) : publicFile(`embed/${file}`, TYPES[extname(file)]!)]));

  return new Elysia()
    .get("/widget.js", compressed(loaderText, JS, LOADER_CACHE))
    .get("/widget.d.ts", publicFile("widget.d.ts", "text/plain; charset=utf-8", LOADER_CACHE))
    .get("/public/embed/:file", ({ params, request, set }) => {
      const serve = embedFiles.get(params.file);
      if (serve) return serve({ request });
      set.status = 404;
      return "Not found";
    })
    .get("/public/vendor/alpine-csp.min.js", publicFile("vendor/alpine-csp.min.js", JS))
    .get("/public/widget-refused.js", publicFile("widget-refused.js", JS))
    .get(
      "/embed/widget",
      async ({ query, set }) => {
        const inbox = await findInboxByPublicKey(ctx.database.db, query.inbox);
        if (!inbox) {
          set.status = 404;
          return "No inbox has this public key.";
        }
        const locale = widgetLocale(query.locale);
        const hostOrigin = parseOrigin(query.origin);
        // Stricter than the app's same-origin: the host page's address is not ours to pass on.
        set.headers["referrer-policy"] = "no-referrer";
        set.headers["content-type"] = "text/html; charset=utf-8";
        // A page that says it is not one of the inbox's websites (a typo in the list, say) gets a
        // frame that only tells the loader so: no launcher, and a word in the console.
        if (hostOrigin && !embedAllowed(inbox.allowedOrigins, hostOrigin, ownOrigin)) {
          set.headers["content-security-policy"] = widgetContentSecurityPolicy(ctx.config.publicUrl, "*");
          return <EmbedRefusedPage />;
        }
        // For the onboarding checklist; the chat is served whether or not it could be written.
        if (hostOrigin && hostOrigin !== ownOrigin) await markWidgetSeen(ctx.database.db, inbox.id).catch((err: unknown) => ctx.log.warn("widget sighting not recorded", { inbox: inbox.id, error: String(err) }));
        // Only the inbox's websites (and our own /demo) may frame the widget. The other security
        // headers come from the app-wide plugin (src/http/security-headers.ts).
        set.headers["content-security-policy"] = widgetContentSecurityPolicy(ctx.config.publicUrl, frameAncestors(inbox.allowedOrigins, ownOrigin));
        return <EmbedPage {...chatPageProps(inbox, locale, ctx.config.attachments, query.color)} hostOrigin={hostOrigin ?? ""} />;
      },
      {
        query: t.Object({
          inbox: t.String({ maxLength: 100 }),
          origin: t.Optional(t.String({ maxLength: 500 })),
          locale: t.Optional(t.String({ maxLength: 35 })),
          /** The colour the site gave to boot (ignored unless it is a hex colour). */
          color: t.Optional(t.String({ maxLength: 7 })),
        }),
      },
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
