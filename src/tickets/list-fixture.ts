// What the ticket list tests share: the list's orders and search as the tests compute them, the
// list read as a browser reads it (following "Load more"), and 70 tickets to read.
import { afterAll, beforeAll, expect } from "bun:test";
import { contacts, tickets } from "../db/schema/index.ts";
import { ticketsTestSetup } from "../testing/fixtures.ts";
import { countStatements } from "../testing/statements.ts";
import type { TestApp } from "../testing/test-app.ts";
import { TICKET_PRIORITIES, type TicketPriority, type TicketStatus } from "./model.ts";

export const HTMX = { "hx-request": "true" };
export type Seeded = typeof tickets.$inferSelect;

const rank = (p: TicketPriority) => TICKET_PRIORITIES.indexOf(p);
const desc = (a: number | string, b: number | string) => (a < b ? 1 : a > b ? -1 : 0);
export const ORDER = {
  updated: (a: Seeded, b: Seeded) => desc(a.updatedAt.getTime(), b.updatedAt.getTime()) || desc(a.id, b.id),
  created: (a: Seeded, b: Seeded) => desc(a.createdAt.getTime(), b.createdAt.getTime()) || desc(a.id, b.id),
  priority: (a: Seeded, b: Seeded) => desc(rank(a.priority), rank(b.priority)) || desc(a.updatedAt.getTime(), b.updatedAt.getTime()) || desc(a.id, b.id),
};

/** Runs of letters and digits, lower-cased: the words of a plain subject (no address, no version). */
export const wordsOf = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
/** What a search by words finds: every word of it starts a word of the subject. */
export const byWords = (q: string) => (x: Seeded) => wordsOf(q).every((w) => wordsOf(x.title).some((word) => word.startsWith(w)));

/** Reading the list as a browser does, as `cookie`. */
export function listReader(t: TestApp, cookie: string) {
  const get = (path: string, headers: Record<string, string> = {}) => t.request(path, { headers: { cookie, ...headers } });
  const ids = (html: string) => [...html.matchAll(/<tr id="ticket-row-([0-9a-f-]+)"/g)].map((m) => m[1]!);
  const moreLink = (html: string) => html.match(/hx-get="(\/tickets\/more\?[^"]+)"/)?.[1]?.replaceAll("&amp;", "&");

  /** Every row of a list, following "Load more" as htmx does; each request within the statement cap. */
  async function wholeList(query: string): Promise<{ ids: string[]; pages: number; first: string }> {
    const capped = async (path: string, headers: Record<string, string> = {}) => {
      const { result, count } = await countStatements(t.database.db, async () => {
        const res = await get(path, headers);
        expect(res.status).toBe(200);
        return res.text();
      });
      // The session lookup (and its occasional touch), then the page with its count and agents.
      expect(count).toBeLessThanOrEqual(4);
      return result;
    };
    const first = await capped(`/tickets${query}`);
    const found = ids(first);
    let next = moreLink(first);
    let pages = 1;
    while (next) {
      const html = await capped(next, HTMX);
      expect(html).not.toContain("<html");
      found.push(...ids(html));
      next = moreLink(html);
      pages++;
    }
    return { ids: found, pages, first };
  }

  return { get, ids, moreLink, wholeList };
}

export const STATUSES: TicketStatus[] = ["open", "pending", "solved", "closed"];

/**
 * 70 tickets of every mix of status, priority and assignee, a few with subjects for the search,
 * in an app with Ana and Ben signed in. Call it in a describe block: it registers the hooks;
 * `state` is filled in once beforeAll ran.
 */
export function seventyTickets() {
  const state = { t: undefined as unknown as TestApp, ana: "", anaId: "", benId: "", all: [] as Seeded[] };
  const BASE = Date.UTC(2026, 0, 1);
  const TITLES: Record<number, string> = {
    3: "100% refund_request",
    4: "100 percent refund request",
    5: "Login fails in version 2.3.1 for zoe@example.com",
    6: "Überweisung fehlgeschlagen",
  };

  beforeAll(async () => {
    const team = await ticketsTestSetup({ publicKey: "pk_tickets_list" });
    const { t, anaId, benId } = team;
    Object.assign(state, { t, ana: team.ana, anaId, benId });
    const db = t.database.db;
    const [contact] = await db.insert(contacts).values({ inboxId: team.inbox.id, name: "Zoë <Customer>", email: "zoe@example.com" }).returning();
    // 70 tickets: every mix of status, priority and assignee; updated_at in runs of five equal
    // times (ties are broken by id), created_at in the other order.
    const values = Array.from({ length: 70 }, (_, i) => ({
      id: Bun.randomUUIDv7(),
      title: TITLES[i] ?? `Ticket subject ${i}`,
      status: STATUSES[i % 4]!,
      priority: TICKET_PRIORITIES[(i * 7) % 4]!,
      assigneeId: i % 3 === 0 ? anaId : i % 3 === 1 ? benId : null,
      contactId: i % 2 === 0 ? contact!.id : null,
      createdAt: new Date(BASE + (70 - i) * 60_000),
      updatedAt: new Date(BASE + 86_400_000 + Math.floor(i / 5) * 60_000),
    }));
    state.all = await db.insert(tickets).values(values).returning();
  });
  afterAll(() => state.t.close());

  const expected = (keep: (x: Seeded) => boolean, sort: keyof typeof ORDER = "updated") => state.all.filter(keep).sort(ORDER[sort]).map((x) => x.id);
  const list = () => listReader(state.t, state.ana);
  const get = (path: string, headers: Record<string, string> = {}) => list().get(path, headers);
  const ids = (html: string) => list().ids(html);
  const moreLink = (html: string) => list().moreLink(html);
  const wholeList = (query: string) => list().wholeList(query);

  return { state, expected, get, ids, moreLink, wholeList };
}
