// What the conversation pane tests share: an app with Ana and Ben signed in, an inbox whose
// customers go straight to the queue, and ways to make a conversation and move it back in time.
import { afterAll, beforeAll } from "bun:test";
import { sql } from "drizzle-orm";
import { contacts } from "../db/schema/index.ts";
import { customerWrites, signedInTeam, type InboxRow } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";

export const HTMX = { "hx-request": "true" };

/** Where each needle first occurs; fails on a missing one. */
export function positions(html: string, needles: string[]): number[] {
  return needles.map((needle) => {
    const at = html.indexOf(needle);
    if (at < 0) throw new Error(`missing in the pane: ${needle}`);
    return at;
  });
}

/** Call it in a describe block: it registers the hooks; `state` is filled in once beforeAll ran. */
export function paneFixture() {
  const state = { t: undefined as unknown as TestApp, ana: "", anaId: "", benId: "", inbox: undefined as unknown as InboxRow };

  beforeAll(async () => {
    state.t = await createTestApp();
    const team = await signedInTeam(state.t, { name: "Help <desk>", publicKey: "pk_pane", handoffMode: "immediate" });
    state.inbox = team.inbox;
    [state.ana, state.anaId, state.benId] = [team.ana.cookie, team.ana.id, team.ben.id];
  });
  afterAll(() => state.t.close());

  const deps = () => ({ db: state.t.database.db, bus: state.t.ctx.bus });
  const agentRef = (id: string, name: string) => ({ id, name });

  async function contact(values: Partial<typeof contacts.$inferInsert> = {}) {
    const [row] = await state.t.database.db.insert(contacts).values({ inboxId: state.inbox.id, ...values }).returning();
    return row!;
  }

  const customerSays = (contactId: string, body: string) => customerWrites(state.t, state.inbox, body, contactId);

  /** Moves everything said and done so far in the conversation back in time. */
  async function shiftBack(id: string, interval: string) {
    await state.t.database.db.execute(sql`update messages set created_at = created_at - ${interval}::interval where conversation_id = ${id}`);
    await state.t.database.db.execute(sql`update conversation_events set created_at = created_at - ${interval}::interval where conversation_id = ${id}`);
  }

  return { state, deps, agentRef, contact, customerSays, shiftBack };
}
