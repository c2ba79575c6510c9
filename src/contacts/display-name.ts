// How a contact is named wherever agents see them: the inbox list, the pane, notifications,
// emails, tickets. One function, so an anonymous visitor has the same name everywhere.
import { sql, type SQL } from "drizzle-orm";

/** What naming a contact needs: their id, and the name and email they have, if any. */
export interface NameableContact {
  id: string;
  name: string | null;
  email: string | null;
}

/**
 * An anonymous visitor's stable name, "Visitor 4821": four digits derived from the contact's id
 * (its last eight hex digits, random in a UUID, modulo 9,000), so it never changes and needs no
 * column. visitorNumberSql computes the same in SQL, for search. Two visitors may share a number
 * (one chance in 9,000); the list tells them apart by browser and page too.
 */
export function visitorName(contactId: string): string {
  const n = Number.parseInt(contactId.replace(/-/g, "").slice(-8), 16);
  return `Visitor ${1000 + (Number.isNaN(n) ? 0 : n % 9000)}`;
}

/** The number of visitorName as SQL, on a contacts row aliased `alias`. */
export function visitorNumberSql(alias: string): SQL {
  return sql.raw(`(('x' || right(replace(${alias}.id::text, '-', ''), 8))::bit(32)::bigint % 9000 + 1000)`);
}

/** The number a search for a visitor's name names ("Visitor 4821", "visitor #4821"), or null. */
export function visitorNumberIn(search: string): number | null {
  const m = /^visitor\s*#?\s*(\d{4})$/i.exec(search.trim());
  return m ? Number(m[1]) : null;
}

/** The contact's name, else their email, else their visitor name. */
export function contactDisplayName(c: NameableContact): string {
  return c.name?.trim() || c.email?.trim() || visitorName(c.id);
}
