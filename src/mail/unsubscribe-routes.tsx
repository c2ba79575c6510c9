import { Elysia, t } from "elysia";
import type { AppContext } from "../app-context.ts";
import { UnsubscribeConfirmPage, UnsubscribedPage, UnsubscribeLinkBrokenPage } from "../../views/email/unsubscribe-page.tsx";
import { contactOfLink, unsubscribe } from "./unsubscribe.ts";

const TokenParams = t.Object({ token: t.String({ maxLength: 200 }) });

/**
 * /email/unsubscribe/{token}, the link in every conversation email's footer and List-Unsubscribe
 * header. GET only asks (mail scanners open links); POST unsubscribes: the page's button, or a mail
 * provider's RFC 8058 one-click request (`List-Unsubscribe=One-Click`, sent by its server with no
 * Origin header, which the same-origin guard lets through). The body is not read: the signed
 * token is the whole authority, and both kinds of POST mean the same.
 */
export function unsubscribeRoutes(ctx: AppContext) {
  const db = ctx.database.db;
  return new Elysia({ name: "email-unsubscribe", prefix: "/email/unsubscribe" })
    .onAfterHandle(({ set }) => {
      // The URL holds the contact's token: keep it out of other sites' Referer headers and shared
      // caches. Not "no-referrer": browsers then send `Origin: null` with the form's POST.
      set.headers["referrer-policy"] = "same-origin";
      set.headers["cache-control"] = "no-store";
    })
    .get(
      "/:token",
      ({ params, set }) => {
        if (!contactOfLink(ctx.sessionSecret, params.token)) {
          set.status = 404;
          return <UnsubscribeLinkBrokenPage />;
        }
        return <UnsubscribeConfirmPage action={`/email/unsubscribe/${params.token}`} />;
      },
      { params: TokenParams },
    )
    .post(
      "/:token",
      async ({ params, set }) => {
        const contactId = contactOfLink(ctx.sessionSecret, params.token);
        if (!contactId) {
          set.status = 404;
          return <UnsubscribeLinkBrokenPage />;
        }
        // A contact deleted since gets no email either: the answer is the same.
        await unsubscribe(db, contactId);
        ctx.log.info("contact unsubscribed from conversation emails", { contact: contactId });
        return <UnsubscribedPage />;
      },
      { params: TokenParams },
    );
}
