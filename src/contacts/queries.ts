import { and, eq, isNull, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { rowsOf } from "../db/rows.ts";
import { contacts } from "../db/schema/index.ts";
import type { Visit } from "./visit.ts";

export type Contact = typeof contacts.$inferSelect;

export async function findContact(db: Db, id: string): Promise<Contact | undefined> {
  const [row] = await db.select().from(contacts).where(eq(contacts.id, id));
  return row;
}

/** Many contacts by id in one statement (one array parameter: the same prepared statement whatever the count). */
export async function findContacts(db: Db, ids: string[]): Promise<Contact[]> {
  if (!ids.length) return [];
  return db.select().from(contacts).where(sql`${contacts.id} = any(${`{${ids.join(",")}}`}::uuid[])`);
}

/**
 * An anonymous visitor's row is written when they first do something (a message, a handoff),
 * not when the widget loads: page views alone must not fill the database. Their language is
 * recorded then (null when the caller does not know it); an existing row keeps what it has.
 */
export async function ensureContact(tx: Db, id: string, inboxId: string, locale?: string | null): Promise<void> {
  await tx.insert(contacts).values({ id, inboxId, locale: locale ?? null }).onConflictDoNothing({ target: contacts.id });
}

/**
 * Where the customer is now: what is known replaces what was (null keeps it). Returns whether the
 * contact exists: a new visitor's row comes with their first message, and the visit is recorded then.
 */
export async function recordVisit(db: Db, id: string, visit: Visit): Promise<boolean> {
  const rows = await db
    .update(contacts)
    .set({
      lastPageUrl: sql`coalesce(${visit.page}::text, ${contacts.lastPageUrl})`,
      browser: sql`coalesce(${visit.browser}::text, ${contacts.browser})`,
      lastSeenAt: new Date(),
    })
    .where(eq(contacts.id, id))
    .returning({ id: contacts.id });
  return rows.length > 0;
}

/** recordVisit for many contacts in one statement (one id at most once); returns the ids that exist. */
export async function recordVisits(db: Db, visits: { id: string; visit: Visit }[]): Promise<Set<string>> {
  const values = sql.join(
    visits.map(({ id, visit }) => sql`(${id}::uuid, ${visit.page}::text, ${visit.browser}::text)`),
    sql`, `,
  );
  const result = await db.execute(sql`update ${contacts} c
    set last_page_url = coalesce(v.page, c.last_page_url), browser = coalesce(v.browser, c.browser), last_seen_at = now()
    from (values ${values}) as v(id, page, browser) where c.id = v.id returning c.id`);
  return new Set(rowsOf<{ id: string }>(result).map((row) => row.id));
}

/**
 * Whether the email stays verified once `email` is written over the stored one: a signed email is
 * verified; an unsigned one keeps the mark only when it is the stored address again (any case).
 * An absent one (null) changes nothing. Evaluated against the row before the update.
 */
function emailVerifiedAfter(email: string | null, signed: boolean | SQL) {
  return sql`case when ${email}::text is null then ${contacts.emailVerified} when ${signed}::boolean then true
    else ${contacts.emailVerified} and lower(${contacts.email}) = lower(${email}::text) end`;
}

/** The address a visitor left when nobody was online, so an agent can answer by email (unverified). */
export async function setContactEmail(tx: Db, id: string, email: string): Promise<void> {
  await tx
    .update(contacts)
    .set({ email, emailVerified: emailVerifiedAfter(email, false) })
    .where(eq(contacts.id, id));
}

/** A user the embedding site vouched for (src/widget/identity.ts): `emailVerified` when it signed the email. */
export interface IdentifiedUser {
  id: string;
  email: string | null;
  name: string | null;
  emailVerified: boolean;
}

/**
 * A verified user: one row per inbox and user id, created or refreshed with what the site told us.
 * `locale` is the language the widget asked for; without one the stored language stays.
 */
export async function upsertIdentified(db: Db, inboxId: string, user: IdentifiedUser, locale?: string | null): Promise<Contact> {
  const [row] = await db
    .insert(contacts)
    .values({
      inboxId,
      externalId: user.id,
      email: user.email,
      emailVerified: user.email !== null && user.emailVerified,
      name: user.name,
      locale: locale ?? null,
    })
    .onConflictDoUpdate({
      target: [contacts.inboxId, contacts.externalId],
      set: {
        email: sql`coalesce(excluded.email, ${contacts.email})`,
        emailVerified: emailVerifiedAfter(user.email, sql`excluded.email_verified`),
        name: sql`coalesce(excluded.name, ${contacts.name})`,
        locale: sql`coalesce(excluded.locale, ${contacts.locale})`,
        lastSeenAt: new Date(),
      },
    })
    .returning();
  return row!;
}

/**
 * The anonymous visitor turns out to be a known user with no row of their own yet: the visitor's
 * row (and its conversation) becomes the user's. Returns null when it could not (already someone).
 */
export async function claimAnonymousContact(db: Db, id: string, inboxId: string, user: IdentifiedUser, locale?: string | null): Promise<Contact | null> {
  const [row] = await db
    .update(contacts)
    .set({
      externalId: user.id,
      email: sql`coalesce(${user.email}::text, ${contacts.email})`,
      emailVerified: emailVerifiedAfter(user.email, user.emailVerified),
      name: sql`coalesce(${user.name}::text, ${contacts.name})`,
      locale: sql`coalesce(${locale ?? null}::text, ${contacts.locale})`,
    })
    .where(and(eq(contacts.id, id), eq(contacts.inboxId, inboxId), isNull(contacts.externalId)))
    .returning();
  return row ?? null;
}

export async function findByExternalId(db: Db, inboxId: string, externalId: string): Promise<Contact | undefined> {
  const [row] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.inboxId, inboxId), eq(contacts.externalId, externalId)));
  return row;
}

/**
 * An agent's edit in the contact panel: name, email and notes as given (null clears). An email the
 * agent typed is not verified, unless it is the stored verified address again (any case).
 */
export async function updateByAgent(db: Db, id: string, edit: { name: string | null; email: string | null; notes: string | null }): Promise<Contact | undefined> {
  const [row] = await db
    .update(contacts)
    .set({ name: edit.name, email: edit.email, notes: edit.notes, emailVerified: edit.email === null ? false : emailVerifiedAfter(edit.email, false) })
    .where(eq(contacts.id, id))
    .returning();
  return row;
}
