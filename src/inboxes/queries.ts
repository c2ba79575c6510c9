import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { inboxes } from "../db/schema/index.ts";

export type Inbox = typeof inboxes.$inferSelect;
export type NewInbox = typeof inboxes.$inferInsert;

const DEFAULT_INBOX_LOCK_ID = 724_011_304;

/** Creates the inbox only when there is none, also when several instances boot at once. */
export async function insertInboxIfNone(db: Db, inbox: NewInbox): Promise<Inbox | null> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${DEFAULT_INBOX_LOCK_ID})`);
    const existing = await tx.select({ id: inboxes.id }).from(inboxes).limit(1);
    if (existing.length) return null;
    const [created] = await tx.insert(inboxes).values(inbox).returning();
    return created ?? null;
  });
}

export function listInboxes(db: Db): Promise<Inbox[]> {
  return db.select().from(inboxes).orderBy(asc(inboxes.createdAt));
}

export async function findInboxByPublicKey(db: Db, publicKey: string): Promise<Inbox | undefined> {
  const [row] = await db.select().from(inboxes).where(eq(inboxes.publicKey, publicKey));
  return row;
}

export async function findInbox(db: Db, id: string): Promise<Inbox | undefined> {
  const [row] = await db.select().from(inboxes).where(eq(inboxes.id, id));
  return row;
}

export async function insertInbox(db: Db, inbox: NewInbox): Promise<Inbox> {
  const [created] = await db.insert(inboxes).values(inbox).returning();
  return created!;
}

/**
 * What an admin may change on the settings page (the public key never changes: it is in every
 * snippet). The email settings are absent when the form's email section was not posted.
 */
export type InboxSettings = Pick<Inbox, "name" | "greeting" | "handoffMode" | "faq" | "allowedOrigins" | "color" | "position" | "requireIdentity" | "keepPageQuery"> &
  Partial<Pick<Inbox, "replyEmails" | "replyEmailDelayMinutes" | "emailSenderName">> &
  Partial<Pick<Inbox, "businessHours" | "timeZone" | "replyTimeMode" | "replyTimeText" | "assignmentMode" | "maxOpenPerAgent">>;

export async function updateInboxSettings(db: Db, id: string, settings: InboxSettings): Promise<Inbox | undefined> {
  const [row] = await db.update(inboxes).set(settings).where(eq(inboxes.id, id)).returning();
  return row;
}

export async function setIdentitySecret(db: Db, id: string, identitySecret: string): Promise<Inbox | undefined> {
  const [row] = await db.update(inboxes).set({ identitySecret }).where(eq(inboxes.id, id)).returning();
  return row;
}
