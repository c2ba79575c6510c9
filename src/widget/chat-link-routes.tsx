import { Elysia } from "elysia";
import { widgetDeps, type AppContext } from "../app-context.ts";
import { widgetContentSecurityPolicy } from "../http/security-headers.ts";
import { ChatLinkExpiredPage } from "../../views/widget/chat-link-expired.tsx";
import { EmbedPage } from "../../views/widget/embed-page.tsx";
import { openChatLink } from "./chat-link.ts";
import { chatPageProps } from "./embed-routes.tsx";
import { catalogs, widgetLocale } from "./locales/index.ts";

/**
 * GET /chat/{link}: the hosted chat page a conversation email links to. The widget's chat, full
 * page, as the link's customer. The link in the address bar logs its holder in, so it is sent on
 * nowhere (no-referrer), kept by no cache (no-store), framed by no page, and written into nothing
 * the page stores: the page carries a visitor session instead (src/widget/chat-link.ts).
 */
export function chatLinkRoutes(ctx: AppContext) {
  return new Elysia().get("/chat/:token", async ({ params, request, set }) => {
    set.headers["content-security-policy"] = widgetContentSecurityPolicy(ctx.config.publicUrl, "'none'");
    set.headers["referrer-policy"] = "no-referrer";
    set.headers["cache-control"] = "no-store";
    set.headers["content-type"] = "text/html; charset=utf-8";
    const opened = await openChatLink(widgetDeps(ctx), params.token);
    if (!opened.ok) {
      // No word on why: a forged link learns nothing from the answer but its status.
      set.status = opened.expired ? 410 : 404;
      const locale = widgetLocale(request.headers.get("accept-language"));
      return <ChatLinkExpiredPage locale={locale} s={catalogs[locale]} />;
    }
    const { inbox, locale, session } = opened;
    return <EmbedPage {...chatPageProps(inbox, locale, ctx.config.attachments)} hostOrigin="" session={session} />;
  });
}
