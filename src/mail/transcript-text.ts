// The transcript email's words (English and German) and its plain-text part. The HTML part is
// views/email/transcript-email.tsx; both show the same lines.
import { messageText } from "../messages/message-text.ts";
import type { MessageWithAuthor } from "../messages/model.ts";
import type { WidgetLocale } from "../widget/locales/index.ts";

const STRINGS = {
  en: {
    subject: "Your conversation with {inbox}",
    intro: "Here is your conversation with {inbox}, as you asked in the chat.",
    you: "You",
    agent: "Support",
    bot: "Assistant",
    omitted: "The first {n} messages are not included.",
    footer: "You get this email because you asked for it in the chat.",
  },
  de: {
    subject: "Ihre Unterhaltung mit {inbox}",
    intro: "Hier ist Ihre Unterhaltung mit {inbox}, wie Sie es im Chat gewünscht haben.",
    you: "Sie",
    agent: "Support",
    bot: "Assistent",
    omitted: "Die ersten {n} Nachrichten sind nicht enthalten.",
    footer: "Sie erhalten diese E-Mail, weil Sie sie im Chat angefordert haben.",
  },
} satisfies Record<WidgetLocale, Record<string, string>>;

export type TranscriptStrings = (typeof STRINGS)["en"];

/** One message as the transcript shows it: who wrote it, when (in words of the locale) and what. */
export interface TranscriptLine {
  id: string;
  who: string;
  when: string;
  /** The customer's own lines are set apart in the HTML part. */
  mine: boolean;
  body: string;
}

export interface Transcript {
  locale: WidgetLocale;
  subject: string;
  intro: string;
  /** "The first N messages are not included", when the conversation was longer than an email takes; else "". */
  omitted: string;
  lines: TranscriptLine[];
  footer: string;
}

const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name]));

/** The transcript of `messages` in the customer's language, with times in `timeZone` (the account's). */
export function transcriptOf(input: { locale: WidgetLocale; inboxName: string; messages: MessageWithAuthor[]; omitted: number; timeZone: string }): Transcript {
  const s = STRINGS[input.locale];
  const time = new Intl.DateTimeFormat(input.locale, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZone: input.timeZone, timeZoneName: "short" });
  const who = (m: MessageWithAuthor) => (m.sender === "customer" ? s.you : m.sender === "agent" ? (m.agentName ?? s.agent) : s.bot);
  return {
    locale: input.locale,
    subject: fill(s.subject, { inbox: input.inboxName }),
    intro: fill(s.intro, { inbox: input.inboxName }),
    omitted: input.omitted > 0 ? fill(s.omitted, { n: new Intl.NumberFormat(input.locale).format(input.omitted) }) : "",
    lines: input.messages.map((m) => ({ id: m.id, who: who(m), when: time.format(m.createdAt), mine: m.sender === "customer", body: messageText(m) })),
    footer: s.footer,
  };
}

/** The plain-text part: each message under a "who · when" line. */
export function transcriptPlainText(t: Transcript): string {
  const head = [t.intro, t.omitted].filter(Boolean).join("\n");
  const lines = t.lines.map((line) => `${line.who} · ${line.when}\n${line.body}`);
  return `${head}\n\n${lines.join("\n\n")}\n\n-- \n${t.footer}\n`;
}
