// The tickets list's text search: by words of the subject (and a ticket's number), with the other
// filters and across pages, and in a list longer than the part that is read in order.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { tickets } from "../db/schema/index.ts";
import { ticketsTestSetup } from "../testing/fixtures.ts";
import type { TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { byWords, listReader, ORDER, seventyTickets, type Seeded } from "./list-fixture.ts";
import { TICKET_PRIORITIES, type TicketStatus } from "./model.ts";

describe(`the ticket list: text search (${storageMode})`, () => {
  const fixture = seventyTickets();
  const { expected, wholeList } = fixture;
  let t: TestApp;
  let benId: string;
  let all: Seeded[];
  beforeAll(() => void ({ t, benId, all } = fixture.state));

  test("text search by words: each word of the search starts a word of the subject, in any case, with the other filters and across pages", async () => {
    const refunds = expected((x) => x.id === all[3]!.id || x.id === all[4]!.id);
    expect(refunds.length).toBe(2);
    for (const q of ["REFUND", "refu", "refu requ", "request refund", "Refund  request!"]) {
      expect((await wholeList(`?q=${encodeURIComponent(q)}&status=any`)).ids).toEqual(refunds);
    }
    // A piece inside a word is not a word: "fund" is not "refund".
    expect((await wholeList("?q=fund&status=any")).ids).toEqual([]);
    const subject4 = await wholeList("?q=subject%204&status=any");
    expect(subject4.ids).toEqual(expected(byWords("subject 4")));
    expect(subject4.ids.length).toBe(10); // "Ticket subject 40" to "... 49" (ticket 4 has another subject)
    expect(subject4.first).toContain("10 tickets");
    // Accented words, in any case.
    expect((await wholeList(`?q=${encodeURIComponent("ÜBERW")}&status=any`)).ids).toEqual([all[6]!.id]);
    expect((await wholeList(`?q=${encodeURIComponent("überweisung fehl")}&status=any`)).ids).toEqual([all[6]!.id]);
    // A version and an address are words of their own, and so are their parts.
    for (const q of ["2.3.1", "version 2.3", "zoe@example.com", "zoe", "login 2"]) {
      expect((await wholeList(`?q=${encodeURIComponent(q)}&status=any`)).ids).toEqual([all[5]!.id]);
    }
    // With the other filters and each sort, across pages.
    const tickets = await wholeList("?q=ticket&status=any&sort=created");
    expect(tickets.ids).toEqual(expected(byWords("ticket"), "created"));
    expect(tickets.ids.length).toBe(66);
    expect(tickets.pages).toBe(3);
    expect(tickets.first).toContain("66 tickets");
    expect((await wholeList("?q=subj&sort=priority")).ids).toEqual(expected((x) => x.status !== "closed" && byWords("subj")(x), "priority"));
    expect((await wholeList(`?q=ticket&assignee=${benId}&priority=high`)).ids).toEqual(
      expected((x) => x.status !== "closed" && x.assigneeId === benId && x.priority === "high" && byWords("ticket")(x)),
    );
  });

  test("text search: a number is also the ticket's; % _ and tsquery syntax are not operators, and a search without words filters nothing", async () => {
    const target = all[42]!;
    expect((await wholeList(`?q=${encodeURIComponent(`#${target.number}`)}&status=any`)).ids).toEqual([target.id]);
    // A bare number: that ticket, or a subject with a word that starts with it.
    const bare = await wholeList(`?q=${target.number}&status=any`);
    expect(bare.ids).toEqual(expected((x) => x.number === target.number || byWords(String(target.number))(x)));
    expect(bare.ids.length).toBeGreaterThan(1);
    expect(bare.ids).toContain(target.id);
    const refunds = expected((x) => x.id === all[3]!.id || x.id === all[4]!.id);
    // % and _ separate words: "100%" is the word 100, and neither is a wildcard (which would find
    // "refund request" in "ref%st" and every "Ticket subject" in "t_cket").
    expect((await wholeList(`?q=${encodeURIComponent("100%")}&status=any`)).ids).toEqual(refunds);
    expect((await wholeList(`?q=${encodeURIComponent("ref%st")}&status=any`)).ids).toEqual([]);
    expect((await wholeList(`?q=${encodeURIComponent("t_cket")}&status=any`)).ids).toEqual([]);
    expect((await wholeList(`?q=${encodeURIComponent("refund_req")}&status=any`)).ids).toEqual(refunds);
    // tsquery's operators are punctuation: "!" does not exclude, "|" does not mean "or".
    for (const q of ["refund & !request", "(refund):*", "'refund'", "refund\\", "<-> refund:*", "refund*"]) {
      expect((await wholeList(`?q=${encodeURIComponent(q)}&status=any`)).ids).toEqual(refunds);
    }
    expect((await wholeList(`?q=${encodeURIComponent("refund | zebra")}&status=any`)).ids).toEqual([]);
    // Nothing to search for: the list as without a search.
    for (const q of ["%", "&|!():*'", "\\", "''", "-- ;"]) {
      expect((await wholeList(`?q=${encodeURIComponent(q)}`)).ids).toEqual(expected((x) => x.status !== "closed"));
    }
    const none = await wholeList("?q=nothing-like-this");
    expect(none.ids).toEqual([]);
    expect(none.first).toContain("No tickets match these filters.");
    expect(t.logs.filter((line) => line.includes("request failed"))).toEqual([]);
  });
});

describe(`a search by words in a long list (${storageMode})`, () => {
  // The list reads its first 500 tickets in order (WALK in queries.ts) and asks the words' index
  // for the rest: 620 tickets, with words before, across and after that edge. Times come in runs
  // of three equal ones (ties broken by id), one of them across the edge.
  let t: TestApp;
  let ana: string;
  let all: Seeded[] = [];
  const BASE = Date.UTC(2026, 0, 1);
  const ALPHA = new Set([3, 250, 497, 498, 499, 500, 501, 502, 610]);

  beforeAll(async () => {
    ({ t, ana } = await ticketsTestSetup({ publicKey: "pk_tickets_long_list" }));
    const statuses: TicketStatus[] = ["open", "pending", "solved", "closed"];
    const values = Array.from({ length: 620 }, (_, i) => {
      const words = [`Case ${i}`, ALPHA.has(i) ? "alpha" : "", i < 200 && i % 5 === 0 ? "beta" : "", i >= 520 && i % 2 === 0 ? "gamma" : ""];
      return {
        id: Bun.randomUUIDv7(),
        title: words.filter(Boolean).join(" "),
        status: statuses[i % 4]!,
        priority: TICKET_PRIORITIES[(i * 7) % 4]!,
        createdAt: new Date(BASE + ((i * 37) % 620) * 60_000),
        updatedAt: new Date(BASE + 86_400_000 + Math.floor((620 - i) / 3) * 60_000),
      };
    });
    // Stored out of order: an index scan's row order is not the list's.
    const shuffled = values.map((v, i) => ({ v, at: (i * 263) % 620 })).sort((a, b) => a.at - b.at).map((x) => x.v);
    all = await t.database.db.insert(tickets).values(shuffled).returning();
  });
  afterAll(() => t.close());

  const expected = (keep: (x: Seeded) => boolean, sort: keyof typeof ORDER = "updated") => all.filter(keep).sort(ORDER[sort]).map((x) => x.id);
  const wholeList = (query: string) => listReader(t, ana).wholeList(query);

  test("matches before, across and after the tickets read in order are all found, in order, without gaps or duplicates", async () => {
    const alpha = await wholeList("?q=alpha&status=any");
    expect(alpha.ids).toEqual(expected(byWords("alpha")));
    expect(alpha.ids.length).toBe(ALPHA.size);
    expect(alpha.first).toContain(`${ALPHA.size} tickets`);
    expect((await wholeList("?q=alpha")).ids).toEqual(expected((x) => x.status !== "closed" && byWords("alpha")(x)));
    for (const sort of ["created", "priority"] as const) {
      expect((await wholeList(`?q=alpha&status=any&sort=${sort}`)).ids).toEqual(expected(byWords("alpha"), sort));
    }
    // Only among the first tickets: two pages.
    const beta = await wholeList("?q=beta&status=any");
    expect(beta.ids).toEqual(expected(byWords("beta")));
    expect(beta.pages).toBe(2);
    // Only past them: the first page from the index, the next one again in order.
    const gamma = await wholeList("?q=gamma&status=any");
    expect(gamma.ids).toEqual(expected(byWords("gamma")));
    expect(gamma.ids.length).toBe(50);
    expect(gamma.first).toContain("50 tickets");
    expect((await wholeList("?q=gamma&sort=priority")).ids).toEqual(expected((x) => x.status !== "closed" && byWords("gamma")(x), "priority"));
    // Everywhere: 5, 50 to 59, 500 to 599 (111 tickets over five pages).
    const fives = await wholeList("?q=case%205&status=any");
    expect(fives.ids).toEqual(expected(byWords("case 5")));
    expect(fives.ids.length).toBe(111);
    expect(fives.pages).toBe(5);
    expect(new Set(fives.ids).size).toBe(111);
    expect((await wholeList("?q=case%205&status=pending&sort=created")).ids).toEqual(expected((x) => x.status === "pending" && byWords("case 5")(x), "created"));
  });
});
