// What the inbox list tests share: an app with Ana and Ben signed in, conversations inserted
// directly (each newer than the one before), and the list read as Ana.
import { afterAll, beforeAll } from "bun:test";
import { contacts, conversations, messages } from "../db/schema/index.ts";
import { signedInTeam } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";

type Sender = "customer" | "agent" | "bot";

/** Call it in a describe block: it registers the hooks; `state` is filled in once beforeAll ran. */
export function inboxListFixture() {
  const state = { t: undefined as unknown as TestApp, ana: "", anaId: "", benId: "", benCookie: "", inboxId: "" };
  let minute = 0;

  beforeAll(async () => {
    state.t = await createTestApp();
    const team = await signedInTeam(state.t, { name: "Help", publicKey: "pk_list" });
    [state.ana, state.anaId, state.benId, state.benCookie, state.inboxId] = [team.ana.cookie, team.ana.id, team.ben.id, team.ben.cookie, team.inbox.id];
  });
  afterAll(() => state.t.close());

  /** A conversation with its messages, inserted directly; each newer than the one before. */
  async function conversation(opts: {
    status?: "queued" | "assigned" | "closed";
    name?: string | null;
    email?: string | null;
    assigneeId?: string | null;
    messages?: [Sender, string, string?][];
    /** Where the visitor is (contacts.browser, contacts.last_page_url). */
    browser?: string;
    page?: string;
  }) {
    const db = state.t.database.db;
    const at = new Date(Date.UTC(2026, 0, 1) + ++minute * 60_000);
    const [contact] = await db.insert(contacts).values({ inboxId: state.inboxId, name: opts.name ?? null, email: opts.email ?? null, browser: opts.browser ?? null, lastPageUrl: opts.page ?? null }).returning();
    const list = opts.messages ?? [["customer", "hello"]];
    const lastCustomer = list.some(([s]) => s === "customer") ? at : null;
    const lastAgent = list.at(-1)?.[0] === "agent" ? at : null;
    const [row] = await db
      .insert(conversations)
      .values({
        inboxId: state.inboxId,
        contactId: contact!.id,
        status: opts.status ?? "queued",
        assigneeId: opts.assigneeId ?? null,
        lastSeq: list.length,
        lastActivityAt: at,
        lastCustomerMessageAt: lastCustomer && lastAgent ? new Date(at.getTime() - 1000) : lastCustomer,
        lastAgentMessageAt: lastAgent,
        queuedAt: (opts.status ?? "queued") === "queued" ? at : null,
      })
      .returning();
    if (list.length) {
      await db.insert(messages).values(
        list.map(([sender, body, agentId], i) => ({
          conversationId: row!.id,
          seq: i + 1,
          sender,
          body,
          agentId: agentId ?? null,
          createdAt: new Date(at.getTime() - (list.length - i) * 1000),
        })),
      );
    }
    return row!.id;
  }

  const get = (path: string, headers: Record<string, string> = {}) => state.t.request(path, { headers: { cookie: state.ana, ...headers } });
  const ids = (html: string) => [...html.matchAll(/id="conv-row-([0-9a-f-]+)"/g)].map((m) => m[1]);

  return { state, conversation, get, ids };
}
