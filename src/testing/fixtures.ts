// Rows that tests need as a starting point, inserted directly: the verbs under test are not used
// to set up their own preconditions.
import { eq } from "drizzle-orm";
import * as conversationService from "../conversations/service.ts";
import type { Db } from "../db/database.ts";
import { agents, contacts, conversations, inboxes } from "../db/schema/index.ts";
import { signIn, TEST_PASSWORD, type TestApp } from "./test-app.ts";

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

/**
 * A fresh app's team: Ana (ana@example.com, the first admin, through /setup) and Ben
 * (ben@example.com, an agent), both signed in with TEST_PASSWORD, and an inbox made of `inbox`.
 */
export async function signedInTeam(
  t: TestApp,
  inbox: Partial<typeof inboxes.$inferInsert> = {},
): Promise<{ ana: TeamMember; ben: TeamMember; inbox: InboxRow }> {
  const db = t.database.db;
  await t.post("/setup", { name: "Ana", email: "ana@example.com", password: TEST_PASSWORD });
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
    ana: { id: ana!.id, cookie: await signIn(t, "ana@example.com") },
    ben: { id: ben!.id, cookie: await signIn(t, "ben@example.com") },
    inbox: row!,
  };
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
