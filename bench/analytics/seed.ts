// The analytics bench's team: conversations over the last days with their events, messages and
// tickets, seeded with set-based SQL (a handful of statements) in the shape the app writes.
import type postgres from "postgres";
import { seedTeam } from "../support/seeded-database.ts";

export interface SeedSize {
  conversations: number;
  days: number;
  agents: number;
}

export interface SeedCounts {
  conversations: number;
  events: number;
  messages: number;
  tickets: number;
}

/**
 * The share of conversations taking each path (independent draws, so the paths mix):
 * - 30% start with the bot; 3% of all stay with it, the others ask for a human after 1 s..5 min;
 *   the rest are queued at creation (immediate handoff);
 * - 3% of queued ones are never answered (they need attention now);
 * - 10% are handed over by a colleague's assignment instead of a claim; 10% are reassigned later;
 * - 85% are closed 1 min..2 days after the first response; 15% of those are reopened by the
 *   customer and closed again; a few of the newest are still open.
 */
export async function seed(sql: postgres.Sql, size: SeedSize): Promise<SeedCounts> {
  const { conversations: n, days, agents } = size;
  await sql.begin(async (tx) => {
    await seedTeam(tx, size);

    // One row per conversation with every moment of its life; null where the life ends earlier
    // or the moment would be in the future.
    await tx.unsafe(`
      create temp table plan on commit drop as
      with agent_list as (
        select array_agg(id order by email) as ids from agents
      ), draws as (
        select i, pg_temp.uuid7(created_at) as id, pg_temp.uuid7(created_at) as contact_id, created_at,
          random() as r_path, random() as r_wait, random() as r_claim, random() as r_resp, random() as r_close,
          random() as r_reopen, random() as r_reassign, random() as r_assign, random() as r_later,
          (select ids from agent_list) as ids,
          1 + floor(random() * ${agents})::int as a1, 1 + floor(random() * ${agents})::int as a2,
          1 + floor(random() * ${agents})::int as a3
        from (select i, now() - random() * interval '${days} days' as created_at from generate_series(1, ${n}) i) g
      ), paths as (
        select d.*, r_path < 0.03 as stays_bot, r_path < 0.30 as bot, r_claim < 0.03 as unanswered,
          r_assign < 0.10 as via_assign, r_reassign < 0.10 as reassigned, r_close < 0.85 as closes, r_reopen < 0.15 as reopens,
          ids[a1] as first_agent, ids[a2] as second_agent, ids[a3] as assigner
        from draws d
      ), t1 as (
        select p.*, case when stays_bot then null when bot then created_at + (1 + r_wait * 299) * interval '1 second' else created_at end as queued_at
        from paths p
      ), t2 as (
        select t.*, case when queued_at is not null and not unanswered then queued_at + (5 + power(r_wait, 3) * 3600) * interval '1 second' end as claimed_at
        from t1 t
      ), t3 as (
        select t.*, claimed_at + (10 + r_resp * 290) * interval '1 second' as first_response_at from t2 t
      ), t4 as (
        select t.*,
          case when reassigned then first_response_at + (60 + r_later * 1800) * interval '1 second' end as reassigned_at,
          case when closes then first_response_at + (60 + power(r_close / 0.85, 2) * 172800) * interval '1 second' end as closed_at
        from t3 t
      ), t5 as (
        select t.*, case when reopens then closed_at + (600 + r_later * 86400) * interval '1 second' end as reopened_at from t4 t
      ), t6 as (
        select t.*, reopened_at + (120 + r_resp * 7200) * interval '1 second' as closed2_at from t5 t
      )
      select id, contact_id, created_at, bot, stays_bot, via_assign, first_agent, second_agent, assigner,
        case when queued_at <= now() then queued_at end as queued_at,
        case when claimed_at <= now() then claimed_at end as claimed_at,
        case when first_response_at <= now() then first_response_at end as first_response_at,
        case when reassigned_at <= now() and reassigned_at < coalesce(closed_at, 'infinity') then reassigned_at end as reassigned_at,
        case when closed_at <= now() then closed_at end as closed_at,
        case when reopened_at <= now() then reopened_at end as reopened_at,
        case when closed2_at <= now() then closed2_at end as closed2_at
      from t6`);
    // A moment only happens if the one before it did.
    await tx.unsafe(`update plan set first_response_at = null where claimed_at is null`);
    await tx.unsafe(`update plan set reassigned_at = null, closed_at = null where first_response_at is null`);
    await tx.unsafe(`update plan set reopened_at = null where closed_at is null`);
    await tx.unsafe(`update plan set closed2_at = null where reopened_at is null`);

    await tx.unsafe(`
      insert into contacts (id, inbox_id, name, email, created_at, last_seen_at)
      select contact_id, (select id from inboxes limit 1), 'Customer ' || left(contact_id::text, 8), left(contact_id::text, 8) || '@customer.example', created_at, created_at
      from plan order by created_at`);

    await tx.unsafe(`
      insert into conversations (id, inbox_id, contact_id, status, assignee_id, queued_at, first_response_at, closed_at, created_at, last_activity_at,
        first_queued_at, first_responder_id, episode_started_at, queue_entered_at)
      select id, (select id from inboxes limit 1), contact_id,
        (case when closed2_at is not null or (closed_at is not null and reopened_at is null) then 'closed'
              when claimed_at is not null then 'assigned'
              when queued_at is not null or reopened_at is not null then 'queued'
              else 'bot' end)::conversation_status,
        case when claimed_at is not null then (case when reassigned_at is not null then second_agent else first_agent end) end,
        queued_at, first_response_at,
        case when closed2_at is not null then closed2_at when reopened_at is null then closed_at end,
        created_at, created_at,
        -- The interval starts the service keeps (see conversations/locked.ts): the customer's
        -- reopen goes back to the agent, so the queue was entered once, at queued_at.
        queued_at, case when first_response_at is not null then first_agent end, coalesce(reopened_at, created_at), queued_at
      from plan order by created_at`);

    const owner = "case when reassigned_at is not null then second_agent else first_agent end";
    await tx.unsafe(`
      insert into conversation_events (id, conversation_id, type, actor_type, actor_agent_id, data, started_at, created_at)
      select pg_temp.uuid7(at), id, type, actor::actor_type, actor_agent_id, data, started_at, at from (
        select id, 'created' as type, 'customer' as actor, null::uuid as actor_agent_id, '{}'::jsonb as data, null::timestamptz as started_at, created_at as at from plan
        union all
        select id, 'queued', case when bot then 'customer' else 'system' end, null, '{}', null, queued_at from plan where queued_at is not null
        union all
        select id, 'claimed', 'agent', first_agent, '{"from":"queued"}', queued_at, claimed_at from plan where claimed_at is not null and not via_assign
        union all
        select id, 'assigned', 'agent', assigner, jsonb_build_object('from', null, 'to', first_agent), queued_at, claimed_at from plan where claimed_at is not null and via_assign
        union all
        select id, 'assigned', 'agent', first_agent, jsonb_build_object('from', first_agent, 'to', second_agent), null, reassigned_at from plan where reassigned_at is not null
        union all
        select id, 'closed', 'agent', ${owner}, '{"from":"assigned"}', created_at, closed_at from plan where closed_at is not null
        union all
        select id, 'reopened', 'customer', null, '{}', null, reopened_at from plan where reopened_at is not null
        union all
        select id, 'closed', 'agent', ${owner}, '{"from":"assigned"}', reopened_at, closed2_at from plan where closed2_at is not null
      ) e
      order by at`);

    await tx.unsafe(`
      insert into messages (id, conversation_id, seq, client_id, sender, agent_id, body, created_at)
      select pg_temp.uuid7(at), id, row_number() over (partition by id order by at, k)::int,
        case when sender = 'customer' then gen_random_uuid()::text end, sender::actor_type, agent_id, body, at
      from (
        select id, 1 as k, 'customer' as sender, null::uuid as agent_id, 'Hello, I have a question about my order' as body, created_at as at from plan
        union all
        select id, 2, 'bot', null, 'Hi! How can we help?', created_at from plan where bot
        union all
        select id, 3, 'agent', first_agent, 'Happy to help, let me look.', first_response_at from plan where first_response_at is not null
        union all
        select id, 4, 'customer', null, 'Thanks! It is order 1234.', first_response_at + interval '45 seconds' from plan where first_response_at is not null and first_response_at + interval '45 seconds' <= now()
        union all
        select id, 5, 'agent', ${owner}, 'Found it, it ships tomorrow.', first_response_at + interval '150 seconds' from plan where first_response_at is not null and first_response_at + interval '150 seconds' <= now()
        union all
        select id, 6, 'customer', null, 'Anyone there?', queued_at + interval '10 minutes' from plan where queued_at is not null and claimed_at is null and queued_at + interval '10 minutes' <= now()
        union all
        select id, 7, 'customer', null, 'One more thing...', reopened_at from plan where reopened_at is not null
        union all
        select id, 8, 'agent', ${owner}, 'Sure, done.', reopened_at + interval '90 seconds' from plan where reopened_at is not null and reopened_at + interval '90 seconds' <= coalesce(closed2_at, now())
      ) m
      order by at`);

    // What the message path keeps on the conversation: the counter and who spoke last.
    await tx.unsafe(`
      update conversations c set last_seq = m.last_seq, last_customer_message_at = m.last_customer, last_agent_message_at = m.last_agent,
        last_activity_at = greatest(c.last_activity_at, m.last_at, c.closed_at)
      from (
        select conversation_id, max(seq) as last_seq, max(created_at) as last_at,
          max(created_at) filter (where sender = 'customer') as last_customer,
          max(created_at) filter (where sender = 'agent') as last_agent
        from messages group by conversation_id
      ) m
      where m.conversation_id = c.id`);

    // Tickets from one conversation in twenty.
    await tx.unsafe(`
      insert into tickets (id, conversation_id, contact_id, title, status, priority, created_at, updated_at)
      select pg_temp.uuid7(coalesce(first_response_at, created_at)), id, contact_id, 'Follow up',
        (array['open','pending','solved','closed'])[1 + floor(random() * 4)::int]::ticket_status,
        (array['low','normal','normal','high','urgent'])[1 + floor(random() * 5)::int]::ticket_priority,
        coalesce(first_response_at, created_at), coalesce(first_response_at, created_at)
      from plan where random() < 0.05 order by coalesce(first_response_at, created_at)`);
  });
  // The seed updates every conversation once (its message columns): onSeededDatabase's VACUUM
  // ANALYZE takes the dead rows away.
  const [counts] = await sql.unsafe<SeedCounts[]>(`select
    (select count(*)::int from conversations) as conversations,
    (select count(*)::int from conversation_events) as events,
    (select count(*)::int from messages) as messages,
    (select count(*)::int from tickets) as tickets`);
  return counts!;
}
