// The composer's `/` list: which saved replies match what was typed after the slash, best first.
// Fuzzy as people type shortcuts: "thx" finds "thanks", "rfd" finds "refund"; a shortcut that
// matches beats a name that matches equally well.
import type { Scope } from "./model.ts";

export interface Rankable {
  shortcut: string;
  name: string;
  scope: Scope;
}

/** How many characters lie between the first and last of `q`'s characters in `field`, at the tightest; null when `q` is not a subsequence of it. */
function tightestSpan(field: string, q: string): number | null {
  let best: number | null = null;
  for (let start = field.indexOf(q[0]!); start >= 0; start = field.indexOf(q[0]!, start + 1)) {
    let at = start;
    for (let i = 1; i < q.length && at >= 0; i++) at = field.indexOf(q[i]!, at + 1);
    if (at < 0) break; // no later start can fit the rest either
    const span = at - start + 1;
    if (best === null || span < best) best = span;
  }
  return best;
}

/** Where the words of `field` start: its first character, and each after a space, -, _ or the like. */
const startsAWord = (field: string, i: number) => i === 0 || !/[\p{L}\p{N}]/u.test(field[i - 1]!);

/**
 * How well `field` matches `q` (both in lower case): the whole of it, its start, a word's start,
 * anywhere in it, then its letters in order (the tighter, the better); null for no match.
 */
export function fieldScore(field: string, q: string): number | null {
  if (field === q) return 100;
  if (field.startsWith(q)) return 90;
  let at = field.indexOf(q);
  if (at >= 0) {
    for (; at >= 0; at = field.indexOf(q, at + 1)) if (startsAWord(field, at)) return 80;
    return 70;
  }
  const span = tightestSpan(field, q);
  return span === null ? null : 50 - Math.min(40, span - q.length);
}

/** A reply's score for `q` (lower case): its shortcut's, a little ahead, or its name's. */
export function replyScore(reply: Rankable, q: string): number | null {
  const byShortcut = fieldScore(reply.shortcut.toLowerCase(), q);
  const byName = fieldScore(reply.name.toLowerCase(), q);
  if (byShortcut === null && byName === null) return null;
  return Math.max(byShortcut === null ? -1 : byShortcut + 5, byName ?? -1);
}

/** Shorter shortcuts first (the closer match), then by shortcut, then one's own before the team's. */
function tieBreak(a: Rankable, b: Rankable): number {
  return a.shortcut.length - b.shortcut.length || a.shortcut.toLowerCase().localeCompare(b.shortcut.toLowerCase()) || (a.scope === b.scope ? 0 : a.scope === "personal" ? -1 : 1);
}

/**
 * The replies that match `query`, best first, at most `limit`. An empty query lists them all by
 * shortcut (one's own before the team's at the same shortcut).
 */
export function rankReplies<T extends Rankable>(replies: T[], query: string, limit: number): T[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...replies].sort((a, b) => a.shortcut.toLowerCase().localeCompare(b.shortcut.toLowerCase()) || tieBreak(a, b)).slice(0, limit);
  return replies
    .map((reply) => ({ reply, score: replyScore(reply, q) }))
    .filter((r): r is { reply: T; score: number } => r.score !== null)
    .sort((a, b) => b.score - a.score || tieBreak(a.reply, b.reply))
    .slice(0, limit)
    .map((r) => r.reply);
}
