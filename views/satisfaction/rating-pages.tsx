// The pages a rating link from a reply email opens (/rate/{token}). They face customers: no app
// navigation, no agent links, in the customer's language. Opening the link only shows the form
// with the answer it stands for chosen; the button sends it.
import { MAX_RATING_COMMENT } from "../../src/satisfaction/model.ts";
import type { RatingPageStrings } from "../../src/satisfaction/rating-page-strings.ts";
import { fieldAria, FieldError } from "../components/form-field.tsx";
import { BaseLayout } from "../layouts/base-layout.tsx";

/** The radio group's and the comment's looks (.radio-group, .radio-option, .settings-form textarea). */
const STYLES = ["/public/inbox-settings.css"];

export interface RatingFormProps {
  s: RatingPageStrings;
  /** The form posts here: the link's own address. */
  action: string;
  inboxName: string;
  /** 1..5, the answer shown chosen; null for none. */
  rating: number | null;
  comment: string;
  /** Why the last try was refused, under the field it is about. */
  error?: { field: "rating" | "comment"; message: string };
}

export function RatingFormPage(props: RatingFormProps) {
  const { s, error } = props;
  const ratingError = error?.field === "rating" ? error.message : undefined;
  const commentError = error?.field === "comment" ? error.message : undefined;
  return (
    <BaseLayout title={s.ask} lang={s.lang} styles={STYLES}>
      <main class="auth-card">
        <form class="settings-form" method="post" action={props.action}>
          <h1 id="rate-question" safe>
            {s.ask}
          </h1>
          <p class="lead" safe>
            {s.withInbox(props.inboxName)}
          </p>
          <fieldset class="radio-group" role="radiogroup" aria-labelledby="rate-question" {...fieldAria("rate-rating", ratingError)}>
            {s.choices.map((label, i) => (
              <label class="radio-option">
                <input type="radio" name="rating" value={String(i + 1)} checked={props.rating === i + 1} required />
                <span safe>{label}</span>
              </label>
            ))}
            <FieldError id="rate-rating-error" message={ratingError} />
          </fieldset>
          <div class="field">
            <label for="rate-comment" safe>
              {s.comment}
            </label>
            <textarea id="rate-comment" name="comment" rows="4" maxlength={String(MAX_RATING_COMMENT)} {...fieldAria("rate-comment", commentError)} safe>
              {props.comment}
            </textarea>
            <FieldError id="rate-comment-error" message={commentError} />
          </div>
          <button type="submit" class="button primary" safe>
            {s.send}
          </button>
        </form>
      </main>
    </BaseLayout>
  );
}

/** A page of one heading and one sentence: the thanks, "already rated", "this link has expired". */
function Notice(props: { s: RatingPageStrings; title: string; text: string }) {
  return (
    <BaseLayout title={props.title} lang={props.s.lang}>
      <main class="auth-card">
        <h1 safe>{props.title}</h1>
        <p safe>{props.text}</p>
      </main>
    </BaseLayout>
  );
}

export const RatingThanksPage = ({ s }: { s: RatingPageStrings }) => <Notice s={s} title={s.thanks} text={s.thanksMore} />;
export const RatingAlreadyGivenPage = ({ s }: { s: RatingPageStrings }) => <Notice s={s} title={s.ratedTitle} text={s.rated} />;
/** The same words whatever the reason (expired, forged, reopened since): a forged link learns nothing. */
export const RatingLinkExpiredPage = ({ s }: { s: RatingPageStrings }) => <Notice s={s} title={s.expiredTitle} text={s.expired} />;
