// Rows that tests need as a starting point, inserted directly: the verbs under test are not used
// to set up their own preconditions.
import type { Db } from "../db/database.ts";
import { agents, contacts, conversations, inboxes } from "../db/schema/index.ts";

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
