// The words of the reply email, in the customer's language: German for a contact whose widget
// spoke German, English for everyone else. The rating question and its answers are the widget's
// own words (src/widget/locales), so the email and the chat ask alike.
import { catalogs } from "../widget/locales/index.ts";

export interface ReplyEmailStrings {
  /** The HTML lang and the Content-Language header. */
  lang: "en" | "de";
  subject(inbox: string): string;
  intro(inbox: string): string;
  /** Under the replies when more were unread than the email shows. */
  earlierReplies(count: number): string;
  /** A reply whose agent's account is gone. */
  unknownAgent: string;
  continueConversation: string;
  /** With a reply address (INBOUND_EMAIL_DOMAIN set). */
  replyByEmail: string;
  /** Without one: replies to the email reach nobody. */
  replyByLink: string;
  why(inbox: string): string;
  unsubscribe: string;
  /** "How was your conversation?", asked at the end of an email about a closed conversation not rated yet. */
  rateAsk: string;
  /** The five answers, 1 (Terrible) to 5 (Great), each a link. */
  rateChoices: string[];
}

const en: ReplyEmailStrings = {
  lang: "en",
  subject: (inbox) => `New reply from ${inbox}`,
  intro: (inbox) => `${inbox} answered you in the chat:`,
  earlierReplies: (count) => (count === 1 ? "There is 1 earlier reply in the conversation." : `There are ${count} earlier replies in the conversation.`),
  unknownAgent: "Support team",
  continueConversation: "Continue the conversation",
  replyByEmail: "You can reply to this email: your answer goes to the same conversation.",
  replyByLink: "To answer, use the button above: replies to this email are not read.",
  why: (inbox) => `You get this email because you chatted with ${inbox} and have not read these replies yet.`,
  unsubscribe: "Unsubscribe from these emails",
  rateAsk: catalogs.en.rateAsk,
  rateChoices: catalogs.en.rateChoices.split("|"),
};

const de: ReplyEmailStrings = {
  lang: "de",
  subject: (inbox) => `Neue Antwort von ${inbox}`,
  intro: (inbox) => `${inbox} hat Ihnen im Chat geantwortet:`,
  earlierReplies: (count) => (count === 1 ? "Im Chat wartet 1 weitere, frühere Antwort." : `Im Chat warten ${count} weitere, frühere Antworten.`),
  unknownAgent: "Support-Team",
  continueConversation: "Unterhaltung fortsetzen",
  replyByEmail: "Sie können auf diese E-Mail antworten: Ihre Antwort landet in derselben Unterhaltung.",
  replyByLink: "Bitte antworten Sie über den Button oben: Antworten auf diese E-Mail werden nicht gelesen.",
  why: (inbox) => `Sie erhalten diese E-Mail, weil Sie mit ${inbox} gechattet und diese Antworten noch nicht gelesen haben.`,
  unsubscribe: "Diese E-Mails abbestellen",
  rateAsk: catalogs.de.rateAsk,
  rateChoices: catalogs.de.rateChoices.split("|"),
};

/** contacts.locale "de" (or "de-AT"...) is German; anything else, or nothing, English. */
export function replyEmailStrings(locale: string | null): ReplyEmailStrings {
  return locale && /^de\b/i.test(locale) ? de : en;
}
