// The list's text search, by words of the subject (and a ticket's number), as SQL on `t`.
import { sql, type SQL } from "drizzle-orm";
import { numberSearch } from "./filters.ts";

/** A run of letters and digits (with their accents): a word. */
const WORD = String.raw`[\p{L}\p{N}][\p{L}\p{M}\p{N}]*`;
/** Words joined by . @ / _ + - (an address, a version, 3.5, a path, e-mail): a term. */
const TERM = new RegExp(String.raw`${WORD}(?:[.@/_+\-]${WORD})*`, "gu");

/**
 * The search as a tsquery, in tsquery syntax: each term of the search must start a word of the
 * subject (`refund:* & order:*`). A term of several words (zoe@example.com, 2.3.1) matches either
 * as a whole (PostgreSQL's parser keeps an address, a host, a version, a decimal or a path as one
 * word of the subject) or word by word (refund_request, e-mail). Everything outside the terms
 * (spaces, punctuation, %, and tsquery's own & | ! ( ) : * ' < \) is dropped, so the text holds no
 * syntax but ours: to_tsquery cannot fail on it. null when the search holds no word.
 */
function wordsQuery(q: string): string | null {
  const terms = [...new Set(q.match(TERM) ?? [])];
  if (!terms.length) return null;
  const each = (term: string) => {
    const words = term.match(new RegExp(WORD, "gu"))!;
    const split = words.map((w) => `${w}:*`).join(" & ");
    return words.length === 1 ? split : `(${term}:* | ${split})`;
  };
  return terms.map(each).join(" & ");
}

/** The subject's words: exactly the expression of tickets_title_words_idx, so the index serves it. */
const titleWords = sql`to_tsvector('simple', t.title)`;

/**
 * The text filter, as support tools search: by words, not by a piece of text anywhere. A subject
 * matches when each word of the search starts one of its words, in any case ("refu order" finds
 * "Refund for order 1234"), so the GIN index of the subjects' words answers it (a match inside a
 * word would need pg_trgm, which PGlite does not have, and would read every subject). The index
 * is built with 'simple': no stemming and no stop words, so every word a subject holds can be
 * found, in any language. A number ("123", "#123") is also the ticket's number: "#123" is only
 * that ticket; "123" that ticket (by the number's unique index) or a subject with a word starting
 * with 123 ("Order 12345 missing"). A search without any word ("%", "?!") filters nothing:
 * returns null.
 */
export function textSearch(q: string): SQL | null {
  const byNumber = numberSearch(q);
  if (byNumber?.only) return sql`t.number = ${byNumber.number}`;
  const words = wordsQuery(q);
  if (words === null) return null;
  const subject = sql`${titleWords} @@ to_tsquery('simple', ${words}::text)`;
  return byNumber ? sql`(t.number = ${byNumber.number} or ${subject})` : subject;
}
