// The week that analytics.test.ts computes by hand, played through the conversation verbs with
// the clock set to each moment (bun:test's setSystemTime), so that every row, and every interval
// start recorded on it, is what src/conversations/service.ts writes. Times are UTC ("Z").
//
//   C1 reopened and closed twice (immediate handoff; the customer's reopens go back to Ana)
//      created + queued 03-28 09:00; Ana claims 09:02; Ana answers 09:05; Ana closes 10:00;
//      customer reopens 03-29 08:00; Ana answers 08:10; closes 08:30; customer reopens 03-30 12:00;
//      Ana answers 12:10; closes 13:00.
//   C2 reassigned from Ana to Ben: created + queued 03-28 12:00; Ana claims 12:10; answers 12:20;
//      Ana assigns it to Ben 13:00; customer writes 13:02; Ben answers 13:05. Open, Ben's.
//   C3 closed across midnight in Berlin: created + queued 03-28 21:30 (22:30 local); Ben claims
//      21:40, answers 21:45, closes 23:30 (00:30 on 03-29 in Berlin, still 03-28 in UTC).
//   C4 bot, handed off later: created 03-28 23:20 (00:20 on 03-29 in Berlin), the bot answers;
//      the customer asks for a person 23:50 (queued); Cleo claims 03-29 00:10, answers 00:30,
//      unassigns 00:40; Ben claims 01:00, answers 01:05, closes 02:00. Cleo is deactivated since.
//   C5 never answered: created + queued 03-31 08:00, the customer writes 08:00 and 08:05. Queued.
//      Its customer is called "=cmd()".
//   C6 assigned from the queue by a colleague: created + queued 03-30 10:00; Ana assigns it to Ben
//      10:30; nobody has answered. Its customer's name is HTML, with a comma and quotes.
//   C7 started before the range: created + queued 03-27 20:00 (21:00 local, 03-27); Ana claims
//      03-28 07:00, answers 07:30. Open, Ana's.
//   C8 started after the range in Berlin: created 03-31 22:30 (00:30 on 04-01 local), bot.
//   C9 back to the queue after its first response: created + queued 03-29 09:00; Cleo claims 09:01,
//      answers 09:03, closes 09:10; Cleo leaves (deactivated 03-29 12:00), so the customer's reopen
//      03-30 09:00 puts it in the queue (queued_at moves to 09:00); Ana claims 09:20, answers 09:25.
//   Tickets: open/high 03-29 10:00, pending/urgent 03-30 10:00, solved/low 03-31 21:30 (23:30
//      local), and open/normal 03-20 (before the range).
//   Agents: Ana (admin) and Ben (signed in), Cleo (deactivated 03-29 12:00) and Dan (deactivated
//      since January, nothing in the week).
import { setSystemTime } from "bun:test";
import { eq } from "drizzle-orm";
import * as service from "../conversations/service.ts";
import { agents, contacts, tickets } from "../db/schema/index.ts";
import { signedInTeam, type InboxRow, type TeamMember } from "../testing/fixtures.ts";
import type { TestApp } from "../testing/test-app.ts";

export type WeekConversation = "C1" | "C2" | "C3" | "C4" | "C5" | "C6" | "C7" | "C8" | "C9";

export interface Week {
  ana: TeamMember;
  ben: TeamMember;
  cleo: string;
  /** The conversations' ids, by the names above. */
  c: Record<WeekConversation, string>;
  /** The verbs at a given moment, for stories of one's own. */
  play: Play;
}

type Agent = service.AgentRef;

/** A customer of the inbox: each verb runs with the clock at `when`; `writes` gives the conversation's id. */
export interface Customer {
  writes(when: string): Promise<string>;
  asksForHuman(when: string): Promise<unknown>;
}

/** The conversation verbs, each run with the clock at `when` (ISO 8601). */
export interface Play {
  /** A new customer, named as the contacts list shows them; `bot`: their inbox starts with the bot. */
  customer(name: string, opts?: { bot?: boolean }): Promise<Customer>;
  claim(agent: Agent, id: string, when: string): Promise<unknown>;
  answer(agent: Agent, id: string, when: string): Promise<unknown>;
  assign(actor: Agent, id: string, to: Agent, when: string): Promise<unknown>;
  unassign(actor: Agent, id: string, when: string): Promise<unknown>;
  close(actor: Agent, id: string, when: string): Promise<unknown>;
  reopen(agent: Agent, id: string, when: string): Promise<unknown>;
}

function playOn(t: TestApp, inbox: InboxRow): Play {
  const deps = { db: t.database.db, bus: t.ctx.bus };
  async function at<T>(when: string, verb: () => Promise<T>): Promise<T> {
    setSystemTime(new Date(when));
    try {
      return await verb();
    } finally {
      setSystemTime();
    }
  }
  return {
    async customer(name, opts = {}) {
      const [contact] = await t.database.db.insert(contacts).values({ inboxId: inbox.id, name }).returning();
      const theirs = { inbox: opts.bot ? { ...inbox, handoffMode: "bot" as const } : inbox, contactId: contact!.id };
      return {
        async writes(when) {
          const sent = await at(when, () => service.customerSends(deps, { ...theirs, clientId: crypto.randomUUID(), body: "Hello?" }));
          return sent.conversation.id;
        },
        asksForHuman: (when) => at(when, () => service.customerAsksForHuman(deps, theirs)),
      };
    },
    claim: (agent, id, when) => at(when, () => service.claim(deps, agent, id)),
    answer: (agent, id, when) => at(when, () => service.agentSends(deps, agent, id, crypto.randomUUID(), "Happy to help.")),
    assign: (actor, id, to, when) => at(when, () => service.assign(deps, actor, id, to.id)),
    unassign: (actor, id, when) => at(when, () => service.unassign(deps, actor, id)),
    close: (actor, id, when) => at(when, () => service.close(deps, actor, id)),
    reopen: (agent, id, when) => at(when, () => service.reopen(deps, agent, id)),
  };
}

/** The team (signedInTeam, immediate handoff) and the week above, in a fresh app. */
export async function playWeek(t: TestApp): Promise<Week> {
  const db = t.database.db;
  const team = await signedInTeam(t, { handoffMode: "immediate" });
  const [cleoRow] = await db.insert(agents).values({ name: "Cleo", email: "cleo@example.com", passwordHash: "x" }).returning();
  await db.insert(agents).values({ name: "Dan", email: "dan@example.com", passwordHash: "x", deactivatedAt: new Date("2025-01-01T00:00Z") });
  const A = { id: team.ana.id, name: "Ana" };
  const B = { id: team.ben.id, name: "Ben" };
  const C = { id: cleoRow!.id, name: "Cleo" };
  const play = playOn(t, team.inbox);
  const c = {} as Record<WeekConversation, string>;

  const carla = await play.customer("Carla One");
  c.C1 = await carla.writes("2025-03-28T09:00:00Z");
  await play.claim(A, c.C1, "2025-03-28T09:02:00Z");
  await play.answer(A, c.C1, "2025-03-28T09:05:00Z");
  await play.close(A, c.C1, "2025-03-28T10:00:00Z");
  await carla.writes("2025-03-29T08:00:00Z");
  await play.answer(A, c.C1, "2025-03-29T08:10:00Z");
  await play.close(A, c.C1, "2025-03-29T08:30:00Z");
  await carla.writes("2025-03-30T12:00:00Z");
  await play.answer(A, c.C1, "2025-03-30T12:10:00Z");
  await play.close(A, c.C1, "2025-03-30T13:00:00Z");

  const carl = await play.customer("Carl Two");
  c.C2 = await carl.writes("2025-03-28T12:00:00Z");
  await play.claim(A, c.C2, "2025-03-28T12:10:00Z");
  await play.answer(A, c.C2, "2025-03-28T12:20:00Z");
  await play.assign(A, c.C2, B, "2025-03-28T13:00:00Z");
  await carl.writes("2025-03-28T13:02:00Z");
  await play.answer(B, c.C2, "2025-03-28T13:05:00Z");

  const cem = await play.customer("Cem Three");
  c.C3 = await cem.writes("2025-03-28T21:30:00Z");
  await play.claim(B, c.C3, "2025-03-28T21:40:00Z");
  await play.answer(B, c.C3, "2025-03-28T21:45:00Z");
  await play.close(B, c.C3, "2025-03-28T23:30:00Z");

  const cora = await play.customer("Cora Four", { bot: true });
  c.C4 = await cora.writes("2025-03-28T23:20:00Z");
  await cora.asksForHuman("2025-03-28T23:50:00Z");
  await play.claim(C, c.C4, "2025-03-29T00:10:00Z");
  await play.answer(C, c.C4, "2025-03-29T00:30:00Z");
  await play.unassign(C, c.C4, "2025-03-29T00:40:00Z");
  await play.claim(B, c.C4, "2025-03-29T01:00:00Z");
  await play.answer(B, c.C4, "2025-03-29T01:05:00Z");
  await play.close(B, c.C4, "2025-03-29T02:00:00Z");

  const cmd = await play.customer("=cmd()");
  c.C5 = await cmd.writes("2025-03-31T08:00:00Z");
  await cmd.writes("2025-03-31T08:05:00Z");

  const sam = await play.customer('<img src=x onerror=alert(1)>, "Sam"');
  c.C6 = await sam.writes("2025-03-30T10:00:00Z");
  await play.assign(A, c.C6, B, "2025-03-30T10:30:00Z");

  const cyd = await play.customer("Cyd Seven");
  c.C7 = await cyd.writes("2025-03-27T20:00:00Z");
  await play.claim(A, c.C7, "2025-03-28T07:00:00Z");
  await play.answer(A, c.C7, "2025-03-28T07:30:00Z");

  const cy = await play.customer("Cy Eight", { bot: true });
  c.C8 = await cy.writes("2025-03-31T22:30:00Z");

  const cleos = await play.customer("Cleo's customer");
  c.C9 = await cleos.writes("2025-03-29T09:00:00Z");
  await play.claim(C, c.C9, "2025-03-29T09:01:00Z");
  await play.answer(C, c.C9, "2025-03-29T09:03:00Z");
  await play.close(C, c.C9, "2025-03-29T09:10:00Z");
  await db.update(agents).set({ deactivatedAt: new Date("2025-03-29T12:00:00Z") }).where(eq(agents.id, C.id));
  await cleos.writes("2025-03-30T09:00:00Z");
  await play.claim(A, c.C9, "2025-03-30T09:20:00Z");
  await play.answer(A, c.C9, "2025-03-30T09:25:00Z");

  const ticket = (status: "open" | "pending" | "solved", priority: "low" | "normal" | "high" | "urgent", createdAt: string) =>
    db.insert(tickets).values({ title: "Follow up", status, priority, createdAt: new Date(createdAt), updatedAt: new Date(createdAt) });
  await ticket("open", "high", "2025-03-29T10:00:00Z");
  await ticket("pending", "urgent", "2025-03-30T10:00:00Z");
  await ticket("solved", "low", "2025-03-31T21:30:00Z");
  await ticket("open", "normal", "2025-03-20T10:00:00Z");

  return { ana: team.ana, ben: team.ben, cleo: C.id, c, play };
}
