import { asc, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { agents, inboxes, invites } from "../db/schema/index.ts";

/** What a new team has done of the first-run checklist; the server decides each tick. */
export interface OnboardingFacts {
  /** A widget was opened on a real website (inboxes.widget_seen_at; the demo page does not count). */
  widgetLive: boolean;
  /** Someone else is on the team: another active agent, or an invite still open. */
  teammate: boolean;
  /** Some inbox has business hours. */
  hours: boolean;
}

export async function onboardingFacts(db: Db, now: Date): Promise<OnboardingFacts> {
  const [row] = await db
    .select({
      widgetLive: sql<boolean>`exists (select 1 from ${inboxes} where ${inboxes.widgetSeenAt} is not null)`,
      teammate: sql<boolean>`(select count(*) from ${agents} where ${agents.deactivatedAt} is null) > 1
        or exists (select 1 from ${invites} where ${invites.acceptedAt} is null and ${invites.revokedAt} is null and ${invites.expiresAt} > ${now.toISOString()})`,
      hours: sql<boolean>`exists (select 1 from ${inboxes} where ${inboxes.businessHours} is not null)`,
    })
    .from(sql`(select 1) as one`);
  return { widgetLive: Boolean(row?.widgetLive), teammate: Boolean(row?.teammate), hours: Boolean(row?.hours) };
}

/** The first inbox (the one setup made): its snippet and settings are what the checklist links to. */
export async function firstInbox(db: Db): Promise<{ id: string; publicKey: string } | undefined> {
  const [row] = await db.select({ id: inboxes.id, publicKey: inboxes.publicKey }).from(inboxes).orderBy(asc(inboxes.createdAt), asc(inboxes.id)).limit(1);
  return row;
}
