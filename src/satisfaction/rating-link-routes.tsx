import { Elysia } from "elysia";
import { conversationDeps, type AppContext } from "../app-context.ts";
import { RatingAlreadyGivenPage, RatingFormPage, RatingLinkExpiredPage, RatingThanksPage } from "../../views/satisfaction/rating-pages.tsx";
import { RatingRefused, type RatingInput } from "./model.ts";
import { openRatingLink, rateByLink, type OpenedRatingLink } from "./rating-link.ts";
import { ratingPageStrings } from "./rating-page-strings.ts";

/** The form's fields as the browser posts them; anything else becomes a rating checkRating refuses. */
function formInput(body: unknown): RatingInput & { comment: string } {
  const form = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const rating = typeof form.rating === "string" && /^[1-5]$/.test(form.rating) ? Number(form.rating) : Number.NaN;
  return { rating, comment: typeof form.comment === "string" ? form.comment : "" };
}

/**
 * /rate/{token}: one answer of the "How was your conversation?" links at the end of a reply email
 * (src/mail/reply-email-content.tsx). GET only shows the form with that answer chosen, because mail
 * scanners and link previews open every link; its button POSTs (the same-origin guard applies: the
 * form is ours) and the rating is recorded as the widget's is. The signed token is the authority.
 */
export function ratingLinkRoutes(ctx: AppContext) {
  const db = ctx.database.db;
  const secret = ctx.sessionSecret;

  /** The link asks about nothing (any more): 410 for a genuine one past its time or episode, else 404, in the same words. */
  const gone = (set: { status?: number | string }, link: Extract<OpenedRatingLink, { ok: false }>, request: Request) => {
    set.status = link.expired ? 410 : 404;
    const s = ratingPageStrings(link.target ? { contactLocale: link.target.locale } : { acceptLanguage: request.headers.get("accept-language") });
    return <RatingLinkExpiredPage s={s} />;
  };

  return new Elysia({ name: "rating-link", prefix: "/rate" })
    .onAfterHandle(({ set }) => {
      // The URL holds the token: keep it out of other sites' Referer headers and shared caches.
      // Not "no-referrer": browsers then send `Origin: null` with the form's POST.
      set.headers["referrer-policy"] = "same-origin";
      set.headers["cache-control"] = "no-store";
    })
    .get("/:token", async ({ params, request, set }) => {
      const link = await openRatingLink(db, secret, params.token);
      if (!link.ok) return gone(set, link, request);
      const s = ratingPageStrings({ contactLocale: link.target.locale });
      if (link.target.rated) return <RatingAlreadyGivenPage s={s} />;
      return <RatingFormPage s={s} action={`/rate/${params.token}`} inboxName={link.target.inboxName} rating={link.claims.rating} comment="" />;
    })
    .post("/:token", async ({ params, body, request, set }) => {
      const link = await openRatingLink(db, secret, params.token);
      if (!link.ok) return gone(set, link, request);
      const s = ratingPageStrings({ contactLocale: link.target.locale });
      const input = formInput(body);
      try {
        await rateByLink(conversationDeps(ctx), link, input);
      } catch (err) {
        if (!(err instanceof RatingRefused)) throw err;
        if (err.code === "already_rated") {
          set.status = 409;
          return <RatingAlreadyGivenPage s={s} />;
        }
        if (err.code !== "bad_rating" && err.code !== "too_long") return gone(set, { ok: false, expired: true, target: link.target }, request);
        set.status = 400;
        const error = err.code === "bad_rating" ? { field: "rating" as const, message: s.badRating } : { field: "comment" as const, message: s.tooLong };
        const rating = Number.isNaN(input.rating) ? null : input.rating;
        return <RatingFormPage s={s} action={`/rate/${params.token}`} inboxName={link.target.inboxName} rating={rating} comment={input.comment} error={error} />;
      }
      ctx.log.info("customer rated a conversation by email link", { conversation: link.claims.conversationId });
      return <RatingThanksPage s={s} />;
    });
}
