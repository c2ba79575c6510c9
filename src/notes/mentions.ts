// Who a note mentions, and whom the `@` list offers. Pure functions: the service hands them the
// team (active agents), which is small enough to read whole.

export interface Teammate {
  id: string;
  name: string;
}

/** Letters and digits: a name followed by one of these is part of a longer word, not a mention. */
const WORD_CHAR = /[\p{L}\p{N}_]/u;

/**
 * The agents a note mentions, in the order first mentioned. The rule: an `@` at the start of the
 * text or after a space or an opening bracket, followed by an active agent's full name (any case)
 * that ends there (end of text, a space, punctuation). When several names fit ("@Ana" and
 * "@Ana Lima"), the longest wins. Each agent once; never the author.
 */
export function resolveMentions(body: string, team: Teammate[], authorId: string | null): string[] {
  const names = team
    .map((a) => ({ id: a.id, name: a.name.trim().toLowerCase() }))
    .filter((a) => a.name.length > 0)
    .sort((a, b) => b.name.length - a.name.length);
  const lower = body.toLowerCase();
  const found: string[] = [];
  for (let at = lower.indexOf("@"); at >= 0; at = lower.indexOf("@", at + 1)) {
    if (at > 0 && !/[\s(\[]/.test(lower[at - 1]!)) continue;
    const rest = lower.slice(at + 1);
    const hit = names.find((a) => rest.startsWith(a.name) && !WORD_CHAR.test(rest.charAt(a.name.length)));
    if (hit && hit.id !== authorId && !found.includes(hit.id)) found.push(hit.id);
  }
  return found;
}

/** At most this many teammates in the `@` list. */
export const TEAMMATES_SHOWN = 8;

/**
 * The `@` list for what follows the `@`: names starting with the query first, then names with a
 * word starting with it, then names containing it; alphabetical within each. The author is left out.
 */
export function teammatesFor(team: Teammate[], query: string, authorId: string): Teammate[] {
  const q = query.trim().toLowerCase();
  const rank = (name: string) => {
    const n = name.toLowerCase();
    if (n.startsWith(q)) return 0;
    if (n.split(/\s+/).some((word) => word.startsWith(q))) return 1;
    return n.includes(q) ? 2 : -1;
  };
  return team
    .filter((a) => a.id !== authorId)
    .map((a) => ({ a, r: rank(a.name) }))
    .filter((x) => x.r >= 0)
    .sort((x, y) => x.r - y.r || x.a.name.localeCompare(y.a.name))
    .slice(0, TEAMMATES_SHOWN)
    .map((x) => x.a);
}
