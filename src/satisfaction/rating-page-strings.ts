// The words of the pages a rating link opens (/rate/{token}), in the language of the reply email
// that carried it (German for a German-speaking contact, else English). The question, the five
// answers, the comment's label, the button and the thanks are the widget's (src/widget/locales),
// so the chat, the email and these pages ask alike.
import { replyEmailStrings } from "../mail/reply-email-strings.ts";
import { RATING_LINK_LIFETIME_MS } from "../mail/signed-links.ts";
import { catalogs, widgetLocale, type WidgetLocale } from "../widget/locales/index.ts";
import { MAX_RATING_COMMENT } from "./model.ts";

export interface RatingPageStrings {
  lang: WidgetLocale;
  ask: string;
  /** 1 (Terrible) to 5 (Great). */
  choices: string[];
  comment: string;
  send: string;
  thanks: string;
  /** Under the question: whose conversation it was. */
  withInbox(inbox: string): string;
  thanksMore: string;
  ratedTitle: string;
  rated: string;
  expiredTitle: string;
  expired: string;
  badRating: string;
  tooLong: string;
}

const DAYS = Math.round(RATING_LINK_LIFETIME_MS / (24 * 60 * 60 * 1000));

const widget = (lang: WidgetLocale) => {
  const s = catalogs[lang];
  return { lang, ask: s.rateAsk, choices: s.rateChoices.split("|"), comment: s.rateComment, send: s.rateSend, thanks: s.rateThanks, expiredTitle: s.linkExpiredTitle };
};

const en: RatingPageStrings = {
  ...widget("en"),
  withInbox: (inbox) => `Your conversation with ${inbox}`,
  thanksMore: "The team will see it with the conversation. You can close this page.",
  ratedTitle: "Already rated",
  rated: "This conversation has been rated already. Thank you! Only the first rating is kept.",
  expired: `Rating links work for ${DAYS} days, and only until the conversation is reopened. A newer email about it has new links.`,
  badRating: "Choose one of the five answers.",
  tooLong: `A comment can have at most ${MAX_RATING_COMMENT} characters.`,
};

const de: RatingPageStrings = {
  ...widget("de"),
  withInbox: (inbox) => `Ihre Unterhaltung mit ${inbox}`,
  thanksMore: "Das Team sieht sie bei der Unterhaltung. Sie können diese Seite schließen.",
  ratedTitle: "Bereits bewertet",
  rated: "Diese Unterhaltung wurde bereits bewertet. Vielen Dank! Nur die erste Bewertung zählt.",
  expired: `Bewertungslinks gelten ${DAYS} Tage und nur, bis die Unterhaltung wieder geöffnet wird. Eine neuere E-Mail dazu enthält neue Links.`,
  badRating: "Bitte wählen Sie eine der fünf Antworten.",
  tooLong: `Ein Kommentar darf höchstens ${MAX_RATING_COMMENT} Zeichen lang sein.`,
};

/** The contact's language as the reply email chose it (contacts.locale), or the browser's for a link that names no one. */
export function ratingPageStrings(from: { contactLocale: string | null } | { acceptLanguage: string | null }): RatingPageStrings {
  const lang = "contactLocale" in from ? replyEmailStrings(from.contactLocale).lang : widgetLocale(from.acceptLanguage);
  return lang === "de" ? de : en;
}
