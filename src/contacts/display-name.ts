// How a contact is named wherever agents see them: the inbox list, the pane, notifications,
// emails, tickets. One function, so an anonymous visitor has the same name everywhere.

/** What naming a contact needs: their id, and the name and email they have, if any. */
export interface NameableContact {
  id: string;
  name: string | null;
  email: string | null;
}

/**
 * An anonymous visitor's stable name, "Visitor 4821": four digits derived from the contact's id
 * (FNV-1a over its text), so it never changes and needs no column. Two visitors may share a number
 * (one chance in 9,000); the list tells them apart by browser and page too.
 */
export function visitorName(contactId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < contactId.length; i++) {
    hash ^= contactId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `Visitor ${1000 + (hash % 9000)}`;
}

/** The contact's name, else their email, else their visitor name. */
export function contactDisplayName(c: NameableContact): string {
  return c.name?.trim() || c.email?.trim() || visitorName(c.id);
}
