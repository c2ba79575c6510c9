// The ticket page in one statement (the ticket, its conversation's transcript, history, comments
// and the agents to choose from), and the parts of it that a change pushes live.
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { dateOf, dateOrNull, epochMs, textOrNull, type Row } from "../db/raw-values.ts";
import { rowsOf } from "../db/rows.ts";
import { agents, contacts, conversations, messages, ticketComments, ticketEvents, tickets } from "../db/schema/index.ts";
import type { MessageWithAuthor } from "../messages/model.ts";
import type { AgentChoice, HistoryEvent, TicketComment, TicketDetail } from "./model.ts";
import { agentChoices, PICKED_COLUMNS, ROW_COLUMNS, rowFrom } from "./row-sql.ts";

type EventJson = Omit<HistoryEvent, "createdAt"> & { createdAt: number };
type CommentJson = Omit<TicketComment, "createdAt"> & { createdAt: number };
type MessageJson = Omit<MessageWithAuthor, "conversationId" | "createdAt"> & { createdAt: number };

/** History rows with their names, oldest first, as JSON (`where` is a condition on `e`). */
const historyJson = (where: SQL) => sql`(select coalesce(json_agg(json_build_object('id', e.id, 'type', e.type, 'actorName', actor.name,
    'from', e."from", 'to', e."to", 'fromName', fa.name, 'toName', ta.name, 'createdAt', ${epochMs(sql`e.created_at`)}) order by e.created_at, e.id), '[]'::json)
  from ${ticketEvents} e
  left join ${agents} actor on actor.id = e.actor_agent_id
  left join ${agents} fa on e.type = 'assignee' and fa.id::text = e."from"
  left join ${agents} ta on e.type = 'assignee' and ta.id::text = e."to"
  where ${where})`;

const commentsJson = (where: SQL) => sql`(select coalesce(json_agg(json_build_object('id', k.id, 'authorName', au.name, 'body', k.body,
    'createdAt', ${epochMs(sql`k.created_at`)}) order by k.created_at, k.id), '[]'::json)
  from ${ticketComments} k left join ${agents} au on au.id = k.author_id
  where ${where})`;

const historyFrom = (list: EventJson[]): HistoryEvent[] => list.map((e) => ({ ...e, createdAt: dateOf(e.createdAt) }));
const commentsFrom = (list: CommentJson[]): TicketComment[] => list.map((c) => ({ ...c, createdAt: dateOf(c.createdAt) }));

/** Everything the ticket page shows, in one statement. */
export async function detailByNumber(db: Db, number: number, transcriptLimit: number): Promise<TicketDetail | undefined> {
  const limit = sql.raw(String(Math.max(1, Math.trunc(transcriptLimit))));
  const [row] = rowsOf<Row>(
    await db.execute(sql`with page as (select ${PICKED_COLUMNS}, t.description, t.created_by_id, t.resolved_at from ${tickets} t where t.number = ${number})
      select ${ROW_COLUMNS}, p.description, cb.name as "createdByName", ${epochMs(sql`p.resolved_at`)} as "resolvedAt",
        (select conv.last_seq from ${conversations} conv where conv.id = p.conversation_id) as "messageCount",
        (select coalesce(json_agg(json_build_object('id', m.id, 'seq', m.seq, 'clientId', m.client_id, 'sender', m.sender,
            'agentId', m.agent_id, 'agentName', (select x.name from ${agents} x where x.id = m.agent_id), 'body', m.body, 'attachments', m.attachments,
            'createdAt', ${epochMs(sql`m.created_at`)}) order by m.seq), '[]'::json)
          from (select * from ${messages} m where m.conversation_id = p.conversation_id order by m.seq desc limit ${limit}) m) as transcript,
        ${historyJson(sql`e.ticket_id = p.id`)} as history,
        ${commentsJson(sql`k.ticket_id = p.id`)} as comments,
        ${agentChoices} as agents
      from page p
      left join ${agents} a on a.id = p.assignee_id
      left join ${agents} cb on cb.id = p.created_by_id
      left join ${contacts} c on c.id = p.contact_id`),
  );
  if (!row) return undefined;
  const base = rowFrom(row);
  return {
    ...base,
    description: String(row.description ?? ""),
    createdByName: textOrNull(row.createdByName),
    resolvedAt: dateOrNull(row.resolvedAt),
    transcript: (row.transcript as MessageJson[]).map((m) => ({ ...m, conversationId: base.conversationId!, createdAt: dateOf(m.createdAt) })),
    messageCount: Number(row.messageCount ?? 0),
    history: historyFrom(row.history as EventJson[]),
    comments: commentsFrom(row.comments as CommentJson[]),
    agents: row.agents as AgentChoice[],
  };
}

/**
 * The row, and the whole history and comments when they grew (the live push and its catch-up
 * replace them whole, so a part that arrives twice shows once), in one statement.
 */
export async function liveParts(db: Db, ticketId: string, grew: { history: boolean; comments: boolean }) {
  const [row] = rowsOf<Row>(
    await db.execute(sql`with page as (select ${PICKED_COLUMNS} from ${tickets} t where t.id = ${ticketId}::uuid)
      select ${ROW_COLUMNS},
        ${grew.history ? historyJson(sql`e.ticket_id = p.id`) : sql`null`} as history,
        ${grew.comments ? commentsJson(sql`k.ticket_id = p.id`) : sql`null`} as comments
      from page p left join ${agents} a on a.id = p.assignee_id left join ${contacts} c on c.id = p.contact_id`),
  );
  if (!row) return undefined;
  return {
    row: rowFrom(row),
    history: row.history ? historyFrom(row.history as EventJson[]) : null,
    comments: row.comments ? commentsFrom(row.comments as CommentJson[]) : null,
  };
}
