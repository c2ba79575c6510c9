// The ticket list with 50,000 tickets (issue 6): seeds a fresh PostgreSQL database (set-based SQL:
// agents, contacts, their conversations and the tickets, a realistic mix of statuses, priorities
// and assignees over half a year), then times the list's server time as GET /tickets spends it
// after the session lookup (the service's one statement and rendering the page, or the rows of a
// "Load more") for several filters and sorts, and prints p50, p95 and max per case and overall.
// Target: p95 <= 15 ms. It prints figures and asserts nothing.
//
//   bun run bench/tickets.ts
//
// Environment (all optional):
//   BENCH_TICKETS        tickets to seed (50000)
//   BENCH_DAYS           days they are spread over, ending now (180)
//   BENCH_AGENTS         agents (20; the last two are deactivated)
//   BENCH_RUNS           timed runs per case, after 5 untimed ones (50; a prepared statement's
//                        generic plan starts at the sixth run, so the timed runs use it)
//   BENCH_EXPLAIN=1      also print each case's plan (EXPLAIN ANALYZE of its statement)
//   BENCH_ONLY           run only the cases whose name contains this text (e.g. "text:")
//   BENCH_PG_URL         PostgreSQL server; a fresh database sd_bench_<random> is made there and dropped
//                        (postgres://postgres@127.0.0.1:5432/postgres)
//   BENCH_DATABASE_URL   use this existing, already seeded database instead (not seeded, not dropped)
//   BENCH_KEEP=1         keep the fresh database (its URL is printed) to run again with BENCH_DATABASE_URL
//
// The list runs as the app runs it: the postgres.js pool of src/db/postgres.ts with its prepared
// statements. The machine's load is printed with the figures: other work on its cores shows in them.
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { postgresDatabase } from "../src/db/postgres.ts";
import * as schema from "../src/db/schema/index.ts";
import type { Db } from "../src/db/database.ts";
import { encodeCursor, parseFilters, type ListQuery } from "../src/tickets/filters.ts";
import { TICKET_PRIORITIES, type TicketPriority } from "../src/tickets/model.ts";
import { listTickets } from "../src/tickets/service.ts";
import { TicketRows } from "../views/tickets/ticket-rows.tsx";
import { TicketsPage } from "../views/tickets/tickets-page.tsx";
import { loadAverages } from "./support/machine.ts";
import { onSeededDatabase, seedTeam } from "./support/seeded-database.ts";
import { dist, f1, table, timed } from "./support/stats.ts";

const P95_TARGET_MS = 15;

interface SeedSize {
  tickets: number;
  days: number;
  agents: number;
}

/**
 * The shape of a support desk's tickets over half a year: older tickets are mostly closed, recent
 * ones mostly not; 8% urgent, 22% high, half normal; 15% unassigned, the rest spread over the
 * agents (some busier than others); four in five from a conversation with a known customer.
 * Updated some time after creation (up to two weeks, never in the future). Numbers follow
 * creation, as the identity column gives them out.
 */
async function seed(sql: postgres.Sql, size: SeedSize): Promise<{ tickets: number; contacts: number }> {
  const { tickets: n, days, agents } = size;
  await sql.begin(async (tx) => {
    await seedTeam(tx, size);
    await tx.unsafe(`
      create temp table plan on commit drop as
      with agent_list as (select array_agg(id order by email) as ids from agents),
      draws as (
        select i, now() - random() * interval '${days} days' as created_at,
          random() as r_status, random() as r_priority, random() as r_assignee, random() as r_contact, random() as r_update,
          random() as r_title, (select ids from agent_list) as ids
        from generate_series(1, ${n}) i
      )
      select pg_temp.uuid7(created_at) as id, created_at,
        least(now(), created_at + power(r_update, 2) * interval '14 days') as updated_at,
        (case when created_at < now() - interval '30 days'
          then (case when r_status < 0.85 then 'closed' when r_status < 0.95 then 'solved' when r_status < 0.98 then 'pending' else 'open' end)
          else (case when r_status < 0.30 then 'open' when r_status < 0.55 then 'pending' when r_status < 0.75 then 'solved' else 'closed' end)
        end)::ticket_status as status,
        (case when r_priority < 0.08 then 'urgent' when r_priority < 0.30 then 'high' when r_priority < 0.80 then 'normal' else 'low' end)::ticket_priority as priority,
        -- Agents by a square law: the first ones carry more tickets than the last.
        case when r_assignee < 0.15 then null else ids[1 + floor(power((r_assignee - 0.15) / 0.85, 2) * ${agents})::int] end as assignee_id,
        case when r_contact < 0.8 then pg_temp.uuid7(created_at) end as contact_id,
        (array['Refund for order ', 'Cannot log in, account ', 'Invoice question about ', 'Parcel not delivered: tracking ',
               'Change of address for order ', 'Password reset does not arrive for ', 'Double charge on card ending ',
               'Feature request: export ', 'App crashes on start, version ', 'Cancel subscription ']
          )[1 + floor(r_title * 10)::int] || (1000 + floor(random() * 90000)::int) as title
      from draws`);
    await tx.unsafe(`
      insert into contacts (id, inbox_id, name, email, created_at, last_seen_at)
      select contact_id, (select id from inboxes limit 1), 'Customer ' || left(contact_id::text, 8), left(contact_id::text, 8) || '@customer.example', created_at, created_at
      from plan where contact_id is not null order by created_at`);
    await tx.unsafe(`
      insert into conversations (id, inbox_id, contact_id, status, created_at, last_activity_at, closed_at)
      select contact_id, (select id from inboxes limit 1), contact_id, 'closed', created_at, updated_at, updated_at
      from plan where contact_id is not null order by created_at`);
    await tx.unsafe(`
      insert into tickets (id, conversation_id, contact_id, title, status, priority, assignee_id, created_by_id, created_at, updated_at, resolved_at)
      select p.id, p.contact_id, p.contact_id, p.title, p.status, p.priority, p.assignee_id, coalesce(p.assignee_id, (select min(id::text)::uuid from agents)),
        p.created_at, p.updated_at, case when p.status in ('solved', 'closed') then p.updated_at end
      from plan p order by p.created_at`);
    await tx.unsafe(`
      insert into ticket_events (id, ticket_id, type, actor_agent_id, "from", "to", created_at)
      select pg_temp.uuid7(created_at), id, 'created', created_by_id, null, 'open', created_at from tickets order by created_at`);
  });
  const [counts] = await sql.unsafe<{ tickets: number; contacts: number }[]>(
    "select (select count(*)::int from tickets) as tickets, (select count(*)::int from contacts) as contacts",
  );
  return counts!;
}

interface Case {
  name: string;
  query: ListQuery;
  /** A later page ("Load more"): its rows only, as /tickets/more renders them. */
  more?: boolean;
}

async function main() {
  const size: SeedSize = {
    tickets: Number(process.env.BENCH_TICKETS ?? 50_000),
    days: Number(process.env.BENCH_DAYS ?? 180),
    agents: Number(process.env.BENCH_AGENTS ?? 20),
  };
  const runs = Number(process.env.BENCH_RUNS ?? 50);
  const title = "SupportDesk tickets bench: the /tickets list over a seeded desk";
  const seeding = async (sql: postgres.Sql) => {
    const counts = await seed(sql, size);
    return `${counts.tickets} tickets over ${size.days} days, ${counts.contacts} customers, ${size.agents} agents`;
  };

  await onSeededDatabase(title, seeding, async ({ url, onEnd }) => {
    const database = postgresDatabase(url);
    onEnd(() => database.close());
    const db = database.db;
    const raw = postgres(url, { max: 1, onnotice: () => {} });
    onEnd(() => raw.end({ timeout: 2 }));
    const [me] = await raw<{ id: string; name: string }[]>`select id, name from agents where deactivated_at is null order by email limit 1`;
    const [busy] = await raw<{ id: string }[]>`select assignee_id as id from tickets where assignee_id is not null group by 1 order by count(*) desc limit 1`;
    const [numbered] = await raw<{ number: number }[]>`select number from tickets order by random() limit 1`;
    const [mix] = await raw<{ unclosed: number; urgent: number; mine: number; unassigned: number }[]>`select
      count(*) filter (where status <> 'closed')::int as unclosed, count(*) filter (where priority = 'urgent')::int as urgent,
      count(*) filter (where assignee_id = ${me!.id} and status <> 'closed')::int as mine, count(*) filter (where assignee_id is null)::int as unassigned
      from tickets`;
    console.log(`mix: ${mix!.unclosed} not closed, ${mix!.urgent} urgent, ${mix!.mine} not closed assigned to "me", ${mix!.unassigned} unassigned`);

    // "Load more" deep in the list: the page after the 1,000th ticket that is not closed (40 pages in).
    const [deep] = await raw<{ id: string; micros: string; priority: TicketPriority }[]>`
      select id, (extract(epoch from updated_at) * 1000000)::bigint::text as micros, priority from tickets
      where status <> 'closed' order by updated_at desc nulls last, id desc nulls last offset 999 limit 1`;
    const deepCursor = encodeCursor({ sort: "updated", rank: TICKET_PRIORITIES.indexOf(deep!.priority), micros: deep!.micros, id: deep!.id });
    const [deepAny] = await raw<{ id: string; micros: string; priority: TicketPriority }[]>`
      select id, (extract(epoch from updated_at) * 1000000)::bigint::text as micros, priority from tickets
      order by priority desc nulls last, updated_at desc nulls last, id desc nulls last offset 24999 limit 1`;
    const [deepRefund] = await raw<{ id: string; micros: string; priority: TicketPriority }[]>`
      select id, (extract(epoch from updated_at) * 1000000)::bigint::text as micros, priority from tickets
      where to_tsvector('simple', title) @@ to_tsquery('simple', 'refund:*')
      order by updated_at desc nulls last, id desc nulls last offset 499 limit 1`;
    const deepRefundCursor = encodeCursor({ sort: "updated", rank: TICKET_PRIORITIES.indexOf(deepRefund!.priority), micros: deepRefund!.micros, id: deepRefund!.id });
    const deepPriorityCursor = encodeCursor({ sort: "priority", rank: TICKET_PRIORITIES.indexOf(deepAny!.priority), micros: deepAny!.micros, id: deepAny!.id });

    const cases: Case[] = [
      { name: "default (not closed, last update)", query: {} },
      { name: "sort: creation", query: { sort: "created" } },
      { name: "sort: priority", query: { sort: "priority" } },
      { name: "any status, last update", query: { status: "any" } },
      { name: "status: pending", query: { status: "pending" } },
      { name: "status: closed", query: { status: "closed" } },
      { name: "priority: urgent", query: { priority: "urgent" } },
      { name: "assignee: me", query: { assignee: "me" } },
      { name: "assignee: the busiest agent, any status", query: { assignee: busy!.id, status: "any" } },
      { name: "unassigned", query: { assignee: "none" } },
      { name: "open + me + sort: priority", query: { status: "open", assignee: "me", sort: "priority" } },
      { name: "urgent + unassigned + sort: creation", query: { priority: "urgent", assignee: "none", sort: "created" } },
      { name: "text: common word (refund)", query: { q: "refund" } },
      { name: "text: common word, any status", query: { q: "refund", status: "any" } },
      { name: "text: no match (zebra)", query: { q: "zebra" } },
      { name: "text: no match, any status", query: { q: "zebra", status: "any" } },
      { name: "text: two words (refund order)", query: { q: "refund order" } },
      { name: "text: two words, any status", query: { q: "refund order", status: "any" } },
      { name: "text: prefix (passw)", query: { q: "passw" } },
      { name: "text: prefix, any status, sort: creation", query: { q: "passw", status: "any", sort: "created" } },
      { name: "text: two words, one rare (deliv 1), any status", query: { q: "deliv 1", status: "any" } },
      { name: "text: one letter (c), any status", query: { q: "c", status: "any" } },
      { name: "text: common word + sort: priority", query: { q: "refund", sort: "priority" } },
      { name: "text: common word + urgent + unassigned + sort: creation", query: { q: "refund", priority: "urgent", assignee: "none", sort: "created" } },
      { name: "text: no match + assignee: me", query: { q: "zebra", assignee: "me" } },
      { name: `text: number (#${numbered!.number})`, query: { q: `#${numbered!.number}`, status: "any" } },
      { name: `text: number or subject (${numbered!.number})`, query: { q: String(numbered!.number), status: "any" } },
      { name: "text: number or subject, one digit (1)", query: { q: "1", status: "any" } },
      { name: "Load more: common word, any status, after 500", query: { q: "refund", status: "any", cursor: deepRefundCursor }, more: true },
      { name: "Load more: page 41 (after 1,000)", query: { cursor: deepCursor }, more: true },
      { name: "Load more: any status by priority, after 25,000", query: { status: "any", sort: "priority", cursor: deepPriorityCursor }, more: true },
    ];

    const agent = { id: me!.id, name: me!.name, role: "agent" };
    console.log(`list: ${runs} runs per case after 5 untimed; server time = the list's statement (rows, capped count, agents) + rendering the page`);
    const rows: string[][] = [];
    const everything: number[] = [];
    let worst = { name: "", p95: 0 };
    const only = process.env.BENCH_ONLY;
    for (const c of only ? cases.filter((x) => x.name.includes(only)) : cases) {
      const parsed = parseFilters(c.query);
      if (!parsed.ok) throw new Error(parsed.error);
      let shown = 0;
      const ms = await timed(runs, 5, async () => {
        const cursor = c.query.cursor ?? null;
        const page = await listTickets(db, agent.id, parsed.value, cursor, { count: !cursor, agents: !c.more });
        shown = page.rows.length;
        if (c.more) return TicketRows({ rows: page.rows, next: page.next, filters: parsed.value, first: false });
        const list = { filters: parsed.value, rows: page.rows, next: page.next, total: page.total, cursor };
        return await TicketsPage({ agent, list, agents: page.agents ?? [] });
      });
      everything.push(...ms);
      const d = dist(ms);
      if (d.p95 > worst.p95) worst = { name: c.name, p95: d.p95 };
      rows.push([c.name, String(shown), f1(d.p50), f1(d.p95), f1(d.max)]);
      if (process.env.BENCH_EXPLAIN === "1") await explain(url, agent.id, c);
    }
    const all = dist(everything);
    rows.push(["overall", "", f1(all.p50), f1(all.p95), f1(all.max)]);
    table(["case", "rows", "p50 ms", "p95 ms", "max ms"], rows);
    console.log(
      `target: p95 <= ${P95_TARGET_MS} ms in every case: ${worst.p95 <= P95_TARGET_MS ? "met" : "not met"} (slowest p95: ${f1(worst.p95)} ms, ${worst.name}); ` +
        `load now ${loadAverages()}`,
    );
  });
}

/** The plan of a case's statement: the list runs once on a connection that records what it sends. */
async function explain(url: string, agentId: string, c: Case) {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  let last: { query: string; params: unknown[] } | null = null;
  const recording = drizzle({ client, schema, logger: { logQuery: (query, params) => (last = { query, params }) } }) as unknown as Db;
  try {
    const parsed = parseFilters(c.query);
    await listTickets(recording, agentId, parsed.value, c.query.cursor ?? null, { count: !c.query.cursor, agents: !c.more });
    const { query, params } = last!;
    const plan = await client.unsafe(`explain (analyze, buffers, costs off) ${query}`, params as never[]);
    console.log(`--- ${c.name}\n${plan.map((r) => Object.values(r)[0]).join("\n")}`);
  } finally {
    await client.end();
  }
}

await main();
