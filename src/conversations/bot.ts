import type { FaqEntry } from "../db/schema/index.ts";
import { catalogs, type WidgetLocale } from "../widget/locales/index.ts";

/**
 * Said when no FAQ entry matches, so the customer knows a person is one click away. It comes from
 * the widget's catalog, so it names the button by the label the customer sees.
 */
export function botFallback(locale: WidgetLocale): string {
  return catalogs[locale].botFallback;
}

/** Whether a bot message is the fallback in any language (the customer may have switched since). */
export function isBotFallback(body: string): boolean {
  return Object.values(catalogs).some((strings) => strings.botFallback === body);
}

function words(text: string): string {
  // Padded with spaces so that " refund " matches the word and not "refunding".
  return ` ${text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim()} `;
}

/**
 * The FAQ answer whose keywords the message mentions most (whole words or phrases, any case);
 * null when none matches. Ties go to the entry listed first.
 */
export function faqAnswer(faq: readonly FaqEntry[], message: string): string | null {
  const text = words(message);
  let best: { answer: string; hits: number } | null = null;
  for (const entry of faq) {
    const hits = entry.keywords.filter((k) => {
      const keyword = words(k);
      return keyword.trim() !== "" && text.includes(keyword);
    }).length;
    if (hits > 0 && (!best || hits > best.hits)) best = { answer: entry.answer, hits };
  }
  return best?.answer ?? null;
}
