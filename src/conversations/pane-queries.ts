// The open conversation's pane in one statement, however long the conversation is: the header
// (the summary), the latest messages, the events among them, and the contact panel. With the
// session's lookup a conversation's page costs two statements, and one round trip to PostgreSQL
// after it.
import { eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { agents, contacts, conversationEvents, conversations, inboxes, labels, messages, tickets } from "../db/schema/index.ts";
import type { Label } from "../labels/model.ts";
import type { MessageWithAuthor } from "../messages/model.ts";
import type { AgentOption, ContactDetails, EarlierConversation, Pane, PaneEvent, PaneTicket } from "./model.ts";
import { dateOf, epochMs, textOrNull } from "../db/raw-values.ts";
import { summaryFrom, summaryRows } from "./summary-sql.ts";
import { paneNotesColumn } from "../notes/queries.ts";
import { PANE_TIMELINE_LIMIT, paneWindowStart } from "./pane-window.ts";
import type { Note } from "../notes/model.ts";


/** At most this many earlier conversations are listed beside a conversation, newest first. */
export const EARLIER_LIMIT = 10;

type MessageJson = Omit<MessageWithAuthor, "conversationId" | "createdAt"> & { createdAt: number };
type EventJson = Omit<PaneEvent, "createdAt"> & { createdAt: number };
type EarlierJson = Omit<EarlierConversation, "lastActivityAt"> & { lastActivityAt: number };

/**
 * The pane's columns beside the summary (SQL on `picked` and `c`, see summaryStatement). Both
 * drivers (PGlite, postgres.js) parse json and jsonb. The events start at the (limit + 1)th
 * newest message: the ones before it belong to messages the pane does not show.
 */
function paneColumns(messageLimit: number): SQL {
  const limit = sql.raw(String(Math.max(1, Math.trunc(messageLimit))));
  return sql`c.external_id as "externalId", c.email_verified as "emailVerified", c.attributes, c.notes as "contactNotes", ${epochMs(sql`c.created_at`)} as "firstSeenAt", ${epochMs(sql`c.last_seen_at`)} as "lastSeenAt",
    (select i.name from ${inboxes} i where i.id = picked.inbox_id) as "inboxName",
    (select coalesce(json_agg(json_build_object('id', a.id, 'name', a.name) order by lower(a.name), a.id), '[]'::json)
      from ${agents} a where a.deactivated_at is null) as agents,
    (select coalesce(json_agg(json_build_object('id', m.id, 'seq', m.seq, 'clientId', m.client_id, 'sender', m.sender,
        'agentId', m.agent_id, 'agentName', (select a.name from ${agents} a where a.id = m.agent_id), 'body', m.body, 'attachments', m.attachments,
        'createdAt', ${epochMs(sql`m.created_at`)}) order by m.seq), '[]'::json)
      from (select * from ${messages} m where m.conversation_id = picked.id order by m.seq desc limit ${limit}) m) as messages,
    (select coalesce(json_agg(json_build_object('id', e.id, 'type', e.type, 'actorType', e.actor_type, 'actorName', actor.name,
        'targetName', target.name, 'rating', (e.data->>'rating')::int, 'comment', e.data->>'comment', 'createdAt', ${epochMs(sql`e.created_at`)}) order by e.created_at, e.id), '[]'::json)
      from (
        select * from ${conversationEvents} e
        where e.conversation_id = picked.id and e.created_at >= ${paneWindowStart(limit)}
        order by e.created_at desc, e.id desc
        limit ${sql.raw(String(PANE_TIMELINE_LIMIT))}
      ) e
      left join ${agents} actor on actor.id = e.actor_agent_id
      left join ${agents} target on target.id::text = e.data->>'to') as events,
    ${earlierColumn},
    (select json_build_object('id', t.id, 'number', t.number, 'title', t.title, 'status', t.status, 'priority', t.priority)
      from ${tickets} t where t.conversation_id = picked.id
      order by t.status = 'closed', t.updated_at desc limit 1) as ticket,
    (select coalesce(json_agg(json_build_object('id', l.id, 'name', l.name, 'color', l.color) order by lower(l.name), l.id), '[]'::json)
      from ${labels} l) as "allLabels",
    ${paneNotesColumn(limit)}`;
}

/**
 * The same person's other conversations. Each inbox is its own website with its own users, so a
 * user id means nothing outside its inbox: within the conversation's inbox, contacts with the same
 * email (any case; one the visitor typed is not proof, so the panel says how each was matched); in
 * other inboxes only a contact whose email is verified (signed by that site, see
 * src/widget/identity.ts) when this contact's email is verified too. Each side is one probe of its
 * index (contacts_inbox_email_lower_idx, contacts_verified_email_idx), and each contact found one
 * probe of the conversations' (inbox_id, contact_id) index.
 */
const earlierColumn = sql`(select coalesce(json_agg(json_build_object('id', o.id, 'inboxName', oi.name, 'status', o.status,
      'lastActivityAt', ${epochMs(sql`o.last_activity_at`)}, 'matchedBy', o.matched_by,
      'preview', coalesce((select m.body from ${messages} m where m.conversation_id = o.id order by m.seq desc limit 1), ''))
      order by o.last_activity_at desc, o.id desc), '[]'::json)
    from (
      select o.id, o.inbox_id, o.status, o.last_activity_at, same.matched_by
      from (
        select x.id, x.inbox_id, case when c.email_verified and x.email_verified then 'verified email' else 'email' end as matched_by
        from ${contacts} x
        where c.email is not null and x.inbox_id = c.inbox_id and lower(x.email) = lower(c.email)
        union all
        select x.id, x.inbox_id, 'verified email' from ${contacts} x
        where c.email_verified and x.email_verified and lower(x.email) = lower(c.email) and x.inbox_id <> c.inbox_id
      ) same
      -- By (inbox_id, contact_id): the continuity index; there is none on contact_id alone.
      join ${conversations} o on o.inbox_id = same.inbox_id and o.contact_id = same.id
      where o.id <> picked.id
      order by o.last_activity_at desc, o.id desc
      limit ${sql.raw(String(EARLIER_LIMIT))}
    ) o join ${inboxes} oi on oi.id = o.inbox_id) as earlier`;

/** What an open conversation shows, its newest `messageLimit` messages with the events among them. */
export async function paneOf(db: Db, conversationId: string, messageLimit: number): Promise<Pane | undefined> {
  const [row] = await summaryRows(db, eq(conversations.id, conversationId), 1, paneColumns(messageLimit));
  if (!row) return undefined;
  const summary = summaryFrom(row);
  const contact: ContactDetails = {
    id: summary.contactId,
    name: summary.contactName,
    email: summary.contactEmail,
    emailVerified: row.emailVerified === true || row.emailVerified === "t",
    externalId: textOrNull(row.externalId),
    attributes: (row.attributes ?? {}) as ContactDetails["attributes"],
    lastPageUrl: summary.contactPageUrl,
    browser: summary.contactBrowser,
    notes: textOrNull(row.contactNotes),
    firstSeenAt: dateOf(row.firstSeenAt),
    lastSeenAt: dateOf(row.lastSeenAt),
    inboxName: String(row.inboxName),
    agents: row.agents as AgentOption[],
  };
  const messages = (row.messages as MessageJson[]).map((m) => ({ ...m, conversationId: summary.id, createdAt: dateOf(m.createdAt) }));
  const events = (row.events as EventJson[]).map((e) => ({ ...e, createdAt: dateOf(e.createdAt) }));
  const notes = (row.notes as Array<Omit<Note, "conversationId" | "createdAt"> & { createdAt: number }>).map((n) => ({ ...n, conversationId: summary.id, createdAt: dateOf(n.createdAt) }));
  const earlier = (row.earlier as EarlierJson[]).map((o) => ({ ...o, lastActivityAt: dateOf(o.lastActivityAt) }));
  return { summary, messages, events, contact, earlier, ticket: (row.ticket as PaneTicket | null) ?? null, labels: row.allLabels as Label[], notes };
}
