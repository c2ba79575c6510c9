// Rows that tests need as a starting point, inserted directly: the verbs under test are not used
// to set up their own preconditions.
import { eq } from "drizzle-orm";
import * as conversationService from "../conversations/service.ts";
import type { Db } from "../db/database.ts";
import { agents, contacts, conversations, inboxes } from "../db/schema/index.ts";
import { createTestApp, signIn, TEST_PASSWORD, type TestApp } from "./test-app.ts";

let n = 0;

export async function insertConversation(db: Db, status: "bot" | "queued" | "assigned" | "closed" = "queued") {
  n++;
  const [inbox] = await db.insert(inboxes).values({ name: `Inbox ${n}`, publicKey: `pk_fixture_${n}_${Date.now()}`, identitySecret: "s" }).returning();
  const [contact] = await db.insert(contacts).values({ inboxId: inbox!.id, name: `Customer ${n}` }).returning();
  const [conversation] = await db.insert(conversations).values({ inboxId: inbox!.id, contactId: contact!.id, status }).returning();
  return { inbox: inbox!, contact: contact!, conversation: conversation! };
}

export async function insertAgent(db: Db, name = "Agent") {
  n++;
  const [agent] = await db.insert(agents).values({ name, email: `agent${n}_${Date.now()}@example.com`, passwordHash: "x" }).returning();
  return agent!;
}

export type InboxRow = typeof inboxes.$inferSelect;

export interface TeamMember {
  id: string;
  /** The session cookie, signed in. */
  cookie: string;
}

/** A fresh app's first admin, Ana (ana@example.com, through /setup), signed in: her session cookie. */
export async function signedInAdmin(t: TestApp): Promise<string> {
  await t.post("/setup", { name: "Ana", email: "ana@example.com", password: TEST_PASSWORD });
  return signIn(t, "ana@example.com");
}

/**
 * A fresh app's team: Ana (ana@example.com, the first admin, through /setup) and Ben
 * (ben@example.com, an agent), both signed in with TEST_PASSWORD, and an inbox made of `inbox`.
 */
export async function signedInTeam(
  t: TestApp,
  inbox: Partial<typeof inboxes.$inferInsert> = {},
): Promise<{ ana: TeamMember; ben: TeamMember; inbox: InboxRow }> {
  const db = t.database.db;
  const anaCookie = await signedInAdmin(t);
  const [ana] = await db.select({ id: agents.id }).from(agents).where(eq(agents.email, "ana@example.com"));
  const [ben] = await db
    .insert(agents)
    .values({ name: "Ben", email: "ben@example.com", passwordHash: await Bun.password.hash(TEST_PASSWORD) })
    .returning({ id: agents.id });
  n++;
  const [row] = await db
    .insert(inboxes)
    .values({ name: "Help", publicKey: `pk_team_${n}_${Date.now()}`, identitySecret: "s", ...inbox })
    .returning();
  return {
    ana: { id: ana!.id, cookie: anaCookie },
    ben: { id: ben!.id, cookie: await signIn(t, "ben@example.com") },
    inbox: row!,
  };
}

/** A fresh app and its signed-in team, as the tickets' tests start: Ana's and Ben's cookies and ids at hand. */
export interface TicketsTestSetup {
  t: TestApp;
  /** Ana's session cookie (the first admin). */
  ana: string;
  anaId: string;
  /** Ben's session cookie (an agent). */
  ben: string;
  benId: string;
  inbox: InboxRow;
}

/** A fresh app (createTestApp) with its signed-in team and an inbox made of `inbox` (signedInTeam); close it with `t.close()`. */
export async function ticketsTestSetup(inbox: Partial<typeof inboxes.$inferInsert> = {}): Promise<TicketsTestSetup> {
  const t = await createTestApp();
  try {
    const team = await signedInTeam(t, inbox);
    return { t, ana: team.ana.cookie, anaId: team.ana.id, ben: team.ben.cookie, benId: team.ben.id, inbox: team.inbox };
  } catch (err) {
    await t.close();
    throw err;
  }
}

/**
 * A customer writes through the widget's path (the service, not the routes): their conversation
 * is started (or continued) and its id returned. Each call is a new customer unless `contactId` is given.
 */
export async function customerWrites(t: TestApp, inbox: InboxRow, body: string, contactId: string = Bun.randomUUIDv7()): Promise<string> {
  const { conversation } = await conversationService.customerSends(
    { db: t.database.db, bus: t.ctx.bus },
    { inbox, contactId, clientId: crypto.randomUUID(), body },
  );
  return conversation.id;
}
