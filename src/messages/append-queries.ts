// The only module that writes conversations.last_seq: a message takes the next seq of its
// conversation here, in the same statement that stores it, so seqs stay gapless. Two statements:
// one message under the row lock its caller holds (insertNextMessage), and customers' messages to
// waiting conversations in one batch (appendCustomerMessagesFast).
import { sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { rowsOf } from "../db/rows.ts";
import { conversations, messages } from "../db/schema/index.ts";
import type { ConversationRef } from "../conversations/model.ts";
import type { Message, Sender } from "./model.ts";

/**
 * Takes the next seq and stores the message in one round trip: the conversation's counter and
 * "who spoke last" timestamps move in the same statement that inserts the row. Agent replies also
 * set the first response time and its author (once). The caller holds the conversation's row lock.
 */
export async function insertNextMessage(
  tx: Db,
  m: { id: string; conversationId: string; clientId: string | null; sender: Sender; agentId: string | null; body: string; attachments: Message["attachments"]; createdAt: Date },
): Promise<number> {
  // Raw sql gets no column mapping: postgres.js needs times as text, cast explicitly.
  const at = m.createdAt.toISOString();
  const result = await tx.execute(sql`
    with next as (
      update ${conversations} set
        last_seq = last_seq + 1,
        last_activity_at = ${at}::timestamptz,
        last_customer_message_at = case when ${m.sender} = 'customer' then ${at}::timestamptz else last_customer_message_at end,
        last_agent_message_at = case when ${m.sender} = 'agent' then ${at}::timestamptz else last_agent_message_at end,
        first_response_at = case when ${m.sender} = 'agent' then coalesce(first_response_at, ${at}::timestamptz) else first_response_at end,
        -- Who gave the first response, set with it (the right side reads the row before this update).
        first_responder_id = case when ${m.sender} = 'agent' and first_response_at is null then ${m.agentId}::uuid else first_responder_id end
      where id = ${m.conversationId}
      returning last_seq
    )
    insert into ${messages} (id, conversation_id, seq, client_id, sender, agent_id, body, attachments, created_at)
    select ${m.id}, ${m.conversationId}, next.last_seq, ${m.clientId}, ${m.sender}::actor_type, ${m.agentId}, ${m.body}, ${m.attachments ? JSON.stringify(m.attachments) : null}::jsonb, ${at}::timestamptz
    from next
    returning seq`);
  const [row] = rowsOf<{ seq: number }>(result);
  if (!row) throw new Error("conversation vanished while its row was locked");
  return Number(row.seq);
}

export interface FastCustomerMessage {
  inboxId: string;
  contactId: string;
  /** The id the message gets if it is stored now; also how its result is found in a batch. */
  id: string;
  clientId: string;
  body: string;
  createdAt: Date;
}

export interface FastAppendResult {
  created: boolean;
  message: Message;
  conversation: ConversationRef;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The common case of customers' messages in one statement (one round trip, one implicit
 * transaction, one WAL flush for the whole batch): each conversation is waiting or with an agent,
 * so nothing but the message changes. Row locks (taken in (inbox, contact) order, so two batches
 * never deadlock), the retry check, the next seq and the insert happen together. A copy racing past the
 * retry check violates the unique clientId index, which aborts the whole statement, so no seq is
 * burned. The batch must hold at most one message per contact. The map has no entry for a message
 * whose conversation needs the full path (none yet, the bot, closed, snoozed).
 */
export async function appendCustomerMessagesFast(db: Db, batch: FastCustomerMessage[]): Promise<Map<string, FastAppendResult>> {
  const ordered = [...batch].sort((a, b) => compare(a.inboxId, b.inboxId) || compare(a.contactId, b.contactId));
  const input = JSON.stringify(
    ordered.map((m) => ({
      inbox_id: m.inboxId,
      contact_id: m.contactId,
      message_id: m.id,
      client_id: m.clientId,
      body: m.body,
      created_at: m.createdAt.toISOString(),
    })),
  );
  const result = await db.execute(sql`
    with input as (
      select * from jsonb_to_recordset(${input}::jsonb)
        as t(inbox_id uuid, contact_id uuid, message_id uuid, client_id text, body text, created_at timestamptz)
    ),
    conv as (
      select c.id, c.status, c.assignee_id, input.message_id, input.client_id, input.body, input.created_at
      from input cross join lateral (
        -- A lookup by the unique key per message (the limit keeps the planner from turning this
        -- into a scan of every open conversation), locked in the input's order.
        select id, status, assignee_id from ${conversations}
        -- A snoozed one wakes on this message: the full path (customer-verbs.ts) does that.
        where inbox_id = input.inbox_id and contact_id = input.contact_id and status in ('queued', 'assigned') and snoozed_until is null
        limit 1
        for update
      ) c
    ),
    existing as (
      select msg.*, conv.message_id as proposed_id
      from conv cross join lateral (
        select id, conversation_id, seq, client_id, sender, agent_id, body, created_at from ${messages}
        where conversation_id = conv.id and client_id = conv.client_id
        limit 1
      ) msg
    ),
    next as (
      update ${conversations} c
      set last_seq = c.last_seq + 1, last_activity_at = conv.created_at, last_customer_message_at = conv.created_at
      from conv
      where c.id = conv.id and not exists (select 1 from existing where existing.conversation_id = conv.id)
      returning c.id, c.last_seq
    ),
    ins as (
      insert into ${messages} (id, conversation_id, seq, client_id, sender, body, created_at)
      select conv.message_id, next.id, next.last_seq, conv.client_id, 'customer', conv.body, conv.created_at
      from next join conv on conv.id = next.id
      returning id, conversation_id, seq, client_id, sender, agent_id, body, created_at
    )
    select true as created, ins.*, ins.id as proposed_id, conv.status, conv.assignee_id from ins join conv on conv.id = ins.conversation_id
    union all
    select false, existing.*, conv.status, conv.assignee_id from existing join conv on conv.message_id = existing.proposed_id`);
  const results = new Map<string, FastAppendResult>();
  for (const row of rowsOf<Record<string, unknown>>(result)) {
    results.set(String(row.proposed_id), {
      created: row.created === true || row.created === "t",
      message: {
        id: String(row.id),
        conversationId: String(row.conversation_id),
        seq: Number(row.seq),
        clientId: row.client_id === null ? null : String(row.client_id),
        sender: row.sender as Message["sender"],
        agentId: row.agent_id === null ? null : String(row.agent_id),
        body: String(row.body),
        attachments: null,
        createdAt: new Date(row.created_at as string | Date),
      },
      conversation: {
        id: String(row.conversation_id),
        status: row.status as ConversationRef["status"],
        assigneeId: row.assignee_id === null ? null : String(row.assignee_id),
        closedAt: null,
      },
    });
  }
  return results;
}
