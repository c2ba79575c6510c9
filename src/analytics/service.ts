// The analytics verbs: the report that /analytics shows, and the rows behind each figure for its
// CSV download. Definitions of every figure: the comment at the top of queries.ts.
import type { Db } from "../db/database.ts";
import {
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type AgentRow,
  type AttentionRow,
  type Csat,
  type CsatCounts,
  type DayRange,
  type Figure,
  type Report,
  type TicketCount,
} from "./model.ts";
import * as csatQ from "./csat-queries.ts";
import * as durations from "./duration-queries.ts";
import * as q from "./queries.ts";
import { labelCounts } from "./label-queries.ts";
import { boundsOf, PAGE_ROWS, type Bounds, type Cursor } from "./range-sql.ts";

/** How many of the conversations needing attention the page lists (the CSV has them all). */
export const ATTENTION_SHOWN = 20;

/**
 * Everything /analytics shows for `range`: one statement per figure, run at the same time (on
 * PostgreSQL each on its own connection), each aggregating in the database.
 */
export async function report(db: Db, range: DayRange): Promise<Report> {
  const bounds = await boundsOf(db, range);
  const [perDay, firstResponses, { resolution, queueWait }, activity, attention, tickets, csat, labels] = await Promise.all([
    q.perDay(db, bounds),
    durations.firstResponses(db, bounds),
    durations.eventDurationSummaries(db, bounds),
    q.agentActivity(db, bounds),
    q.attention(db, ATTENTION_SHOWN),
    q.ticketCounts(db, bounds),
    satisfaction(db, bounds),
    labelCounts(db, bounds),
  ]);
  return {
    range,
    perDay,
    firstResponse: firstResponses.all,
    resolution,
    queueWait,
    agents: agentRows(activity, firstResponses),
    attention: { total: attention[0]?.total ?? 0, oldest: attention.map(attentionRow) },
    tickets: ticketGrid(tickets),
    csat,
    labels,
  };
}

function csatCounts(distribution: CsatCounts["distribution"]): CsatCounts {
  const ratings = distribution.reduce((a, b) => a + b, 0);
  const good = distribution[3] + distribution[4];
  return { ratings, good, share: ratings ? good / ratings : null, distribution };
}

/** The CSAT figure: the range's ratings in all, per local day and per agent (csat-queries.ts). */
const csatPerDay = async (db: Db, b: Bounds) => (await csatQ.csatPerDay(db, b)).map((d) => ({ day: d.day, ...csatCounts(csatQ.distributionOf(d)) }));
const csatPerAgent = async (db: Db, b: Bounds) => (await csatQ.csatPerAgent(db, b)).map((a) => ({ agentName: a.agentName, ...csatCounts(csatQ.distributionOf(a)) }));

async function satisfaction(db: Db, b: Bounds): Promise<Csat> {
  const [perDay, perAgent] = await Promise.all([csatPerDay(db, b), csatPerAgent(db, b)]);
  const all = perDay.reduce((sum, d) => sum.map((n, i) => n + d.distribution[i]!) as CsatCounts["distribution"], [0, 0, 0, 0, 0] as CsatCounts["distribution"]);
  return { ...csatCounts(all), perDay, perAgent };
}

const csatCells = (c: CsatCounts): Cell[] => [c.ratings, c.good, c.share === null ? null : Math.round(c.share * 1000) / 10, ...c.distribution];
const CSAT_HEADER = ["ratings", "good_ratings", "good_percent", "terrible_1", "bad_2", "okay_3", "good_4", "great_5"];

/** The per-agent table: every active agent, and a deactivated one while there is something of theirs to show. */
function agentRows(activity: q.AgentActivity[], responses: durations.FirstResponses): AgentRow[] {
  return activity
    .map((a) => {
      const mine = responses.byAgent.get(a.id);
      return { ...a, firstResponses: mine?.count ?? 0, medianFirstResponse: mine?.median ?? null };
    })
    .filter((a) => !a.deactivated || a.handled > 0 || a.firstResponses > 0 || a.openNow > 0);
}

async function agentTable(db: Db, b: Bounds): Promise<AgentRow[]> {
  const [activity, responses] = await Promise.all([q.agentActivity(db, b), durations.firstResponses(db, b)]);
  return agentRows(activity, responses);
}

function attentionRow(r: q.AttentionRecord): AttentionRow {
  return {
    id: r.id,
    contactId: r.contactId,
    contactName: r.contactName,
    contactEmail: r.contactEmail,
    status: r.status,
    assigneeName: r.assigneeName,
    lastCustomerMessageAt: new Date(r.lastCustomerMessageAt),
  };
}

/** Every status x priority, 0 where there are none, in the enums' order. */
function ticketGrid(counts: { status: string; priority: string; tickets: number }[]): TicketCount[] {
  const n = new Map(counts.map((c) => [`${c.status}/${c.priority}`, c.tickets]));
  return TICKET_STATUSES.flatMap((status) => TICKET_PRIORITIES.map((priority) => ({ status, priority, tickets: n.get(`${status}/${priority}`) ?? 0 })));
}

// --- the rows behind each figure (CSV) ---------------------------------------------------------

export type Cell = string | number | null;

/** A figure's rows: the header, then the rows as they are read, a page at a time. */
export interface FigureTable {
  header: string[];
  rows: AsyncIterable<Cell[]>;
}

/** Reads page after page, each starting after the last row of the one before, until one comes back short. */
async function* paged<T extends { cursor: Cursor }>(read: durations.PageReader<T>, pageRows: number, row: (r: T) => Cell[]): AsyncGenerator<Cell[]> {
  let after: Cursor | undefined;
  for (;;) {
    const rows = await read(pageRows, after);
    for (const r of rows) yield row(r);
    if (rows.length < pageRows) return;
    after = rows.at(-1)!.cursor;
  }
}

async function* once<T>(rows: Promise<T[]>, row: (r: T) => Cell[]): AsyncGenerator<Cell[]> {
  for (const r of await rows) yield row(r);
}

const durationHeader = (start: string, end: string, agent: string) => ["conversation_id", "customer", "customer_email", start, end, "seconds", agent];
const durationRow = (r: durations.DurationRecord): Cell[] => [r.conversationId, r.contactName, r.contactEmail, r.startedAt, r.endedAt, r.seconds, r.agentName];

/**
 * The rows behind `figure` for `range`; instants are ISO 8601 in UTC, durations in seconds.
 * Long lists are read `pageRows` at a time, so a download never holds them all.
 */
export async function figureTable(db: Db, figure: Figure, range: DayRange, pageRows = PAGE_ROWS): Promise<FigureTable> {
  const b = await boundsOf(db, range);
  switch (figure) {
    case "conversations-per-day":
      return { header: ["day", "conversations"], rows: once(q.perDay(db, b), (r) => [r.day, r.conversations]) };
    case "first-responses":
      return {
        header: durationHeader("waiting_since", "first_response_at", "agent"),
        rows: paged(durations.firstResponsePage(db, b), pageRows, durationRow),
      };
    case "resolutions":
      return {
        header: durationHeader("episode_started_at", "closed_at", "closed_by"),
        rows: paged(durations.resolutionPage(db, b), pageRows, durationRow),
      };
    case "queue-waits":
      return {
        header: [...durationHeader("queued_at", "taken_at", "taken_by"), "how"],
        rows: paged(durations.queueWaitPage(db, b), pageRows, (r) => [...durationRow(r), r.how]),
      };
    case "agents":
      return {
        header: ["agent", "deactivated", "conversations_handled", "first_responses", "median_first_response_seconds", "open_now"],
        rows: once(agentTable(db, b), (a) => [a.name, a.deactivated ? "yes" : "no", a.handled, a.firstResponses, a.medianFirstResponse, a.openNow]),
      };
    case "attention":
      return {
        header: ["conversation_id", "customer", "customer_email", "status", "assignee", "last_customer_message_at"],
        rows: paged(
          (limit, after) => q.attention(db, limit, after),
          pageRows,
          (r) => [r.id, r.contactName, r.contactEmail, r.status, r.assigneeName, r.lastCustomerMessageAt],
        ),
      };
    case "satisfaction":
      return { header: ["day", ...CSAT_HEADER], rows: once(csatPerDay(db, b), (d) => [d.day, ...csatCells(d)]) };
    case "satisfaction-agents":
      return { header: ["agent", ...CSAT_HEADER], rows: once(csatPerAgent(db, b), (a) => [a.agentName, ...csatCells(a)]) };
    case "labels":
      return { header: ["label", "color", "conversations"], rows: once(labelCounts(db, b), (l) => [l.name, l.color, l.conversations]) };
    case "tickets":
      return {
        header: ["status", "priority", "tickets"],
        rows: once(q.ticketCounts(db, b).then(ticketGrid), (t) => [t.status, t.priority, t.tickets]),
      };
  }
}
