// The inbox bench's database, seeded with set-based SQL (generate_series, INSERT ... SELECT) in
// the shape the app writes: gapless seqs per conversation, each conversation's last_seq,
// last_activity_at and last_customer/agent_message_at matching its messages, events for what
// happened to it.
import type postgres from "postgres";

/** What customers and agents write, so that bodies have realistic lengths. */
const CUSTOMER_TEXTS = [
  "Hi, my order hasn't arrived yet. It was supposed to come on Monday.",
  "Can I change the delivery address for an order I placed this morning?",
  "The discount code SUMMER20 doesn't work at checkout, it says it's expired.",
  "I was charged twice for the same order, can you please check?",
  "Do you ship to Switzerland? I couldn't find it in the list of countries.",
  "How do I reset my password? The email never arrives.",
  "The size M is too small, I'd like to exchange it for an L.",
  "Thanks!",
  "Is the blue version coming back in stock anytime soon?",
  "I'd like to cancel my subscription before the next billing date.",
  "Where can I download the invoice for my last order?",
  "ok, that works for me",
];
const AGENT_TEXTS = [
  "Hi! Thanks for reaching out, let me look into that for you.",
  "I've checked your order: it left our warehouse yesterday and should arrive within two days.",
  "Done, I've updated the address. You'll get a confirmation email in a minute.",
  "Sorry about that! I've refunded the duplicate charge, it takes 3-5 business days to show up.",
  "Yes, we do ship there. Shipping takes about a week.",
  "You're welcome! Anything else I can help with?",
  "I've sent you a prepaid return label by email.",
  "Your subscription is cancelled; you keep access until the end of the period.",
];
const FIRST_NAMES = ["Mia", "Noah", "Emma", "Liam", "Olivia", "Ben", "Sofia", "Lukas", "Hannah", "Jonas", "Lea", "Paul", "Anna", "Felix", "Marie", "Elias"];
const LAST_NAMES = ["Müller", "Schmidt", "Smith", "Jones", "García", "Rossi", "Dubois", "Nowak", "Jensen", "Kowalski", "Silva", "Novak"];

const sqlArray = (values: string[]) => `array[${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(", ")}]`;

export interface SeedResult {
  inboxId: string;
  agents: { id: string; email: string; password: string }[];
}

/**
 * Seeds one inbox, the agents and `conversations` contacts + conversations with `messages`
 * messages. Statuses: every 250th conversation waits in the queue, every 16th is open with an
 * agent, the rest are closed. Open ones were active in the last hours or days, closed ones
 * over the half year before.
 */
export async function seed(sql: postgres.Sql, opts: { conversations: number; messages: number; agents: number }): Promise<SeedResult> {
  const N = opts.conversations;
  const avg = opts.messages / N;
  // Synchronous commit off and more memory for sorts and index builds: this session only.
  await sql.unsafe(`set synchronous_commit = off; set work_mem = '256MB'; set maintenance_work_mem = '512MB'`);
  // Time-ordered ids, as the app's UUIDv7 (new rows land at the end of their indexes).
  await sql.unsafe(`create function pg_temp.uuid7(t timestamptz) returns uuid language sql volatile as $$
    select (lpad(to_hex((extract(epoch from t) * 1000)::bigint), 12, '0') || '7' || substr(md5(random()::text), 1, 3)
      || to_hex(8 + floor(random() * 4)::int) || substr(md5(random()::text), 1, 15))::uuid
  $$`);

  const [inbox] = await sql`insert into inboxes (id, public_key, name, identity_secret, handoff_mode)
    values (gen_random_uuid(), ${`pk_bench_${crypto.randomUUID().slice(0, 8)}`}, 'Shop', 'bench-identity-secret', 'immediate') returning id`;
  const inboxId = inbox!.id as string;

  // Agents with known passwords, hashed as the app hashes them; the first is the admin.
  const agents = await Promise.all(
    Array.from({ length: opts.agents }, async (_, i) => {
      const email = `agent${i}@bench.example`;
      const password = `bench-password-${i}`;
      const hash = await Bun.password.hash(password);
      const name = `${FIRST_NAMES[i % FIRST_NAMES.length]} ${LAST_NAMES[(i * 5) % LAST_NAMES.length]}`;
      const [row] = await sql`insert into agents (id, email, name, role, password_hash, created_at)
        values (pg_temp.uuid7(now() - interval '400 days' + ${i} * interval '1 day'), ${email}, ${name}, ${i === 0 ? "admin" : "agent"}, ${hash}, now() - interval '400 days')
        returning id`;
      return { id: row!.id as string, email, password };
    }),
  );

  // One row per conversation with everything the other tables are computed from. The message
  // count varies around the average (every 10th conversation is a long one) and sums exactly.
  await sql.unsafe(`
    create temp table seed_conv as
    with base as (
      select i,
        case when i % 250 = 0 then 'queued' when i % 16 = 1 then 'assigned' else 'closed' end::conversation_status as status,
        ${avg} + case when i % 10 = 0 then 45 else -5 end
          + case when i % 2 = 1 then 1 else -1 end * (((i + 1) / 2 * 7) % 5) as n
      from generate_series(1, ${N}) i
    ),
    timed as (
      select base.*,
        now() - case status
          when 'queued' then ((i * 37) % 7200) * interval '1 second'
          when 'assigned' then ((i * 7919) % 259200) * interval '1 second'
          else interval '3 days' + ((i::bigint * 7919) % 15552000) * interval '1 second'
        end as last_at
      from base
    )
    select i, status, n, last_at,
      last_at - (n - 1) * interval '90 seconds' as first_at,
      last_at - (n - 1) * interval '90 seconds' - interval '10 seconds' as created_at,
      case status
        when 'assigned' then (select array_agg(id order by email) from agents)[1 + (i / 16) % ${opts.agents}]
        when 'closed' then (select array_agg(id order by email) from agents)[1 + i % ${opts.agents}]
      end as assignee_id,
      -- The seq of the last message each side wrote: customers write the odd ones, agents the even ones;
      -- the queue's conversations have heard from no agent yet.
      case when status = 'queued' or n % 2 = 1 then n else n - 1 end as last_customer_seq,
      case when status = 'queued' or n < 2 then null when n % 2 = 0 then n else n - 1 end as last_agent_seq,
      pg_temp.uuid7(last_at - (n - 1) * interval '90 seconds' - interval '10 seconds') as id,
      pg_temp.uuid7(last_at - (n - 1) * interval '90 seconds' - interval '20 seconds') as contact_id
    from timed`);
  await sql.unsafe(`create index on seed_conv (i)`);

  await sql.unsafe(`
    insert into contacts (id, inbox_id, external_id, email, name, locale, attributes, created_at, last_seen_at)
    select contact_id, '${inboxId}',
      case when i % 3 = 0 then 'user-' || i end,
      case when i % 2 = 0 then 'customer' || i || '@mail.example' end,
      case when i % 5 <> 0 then (${sqlArray(FIRST_NAMES)})[1 + i % ${FIRST_NAMES.length}] || ' ' || (${sqlArray(LAST_NAMES)})[1 + (i / 7) % ${LAST_NAMES.length}] end,
      case when i % 4 = 0 then 'de' else 'en' end,
      case when i % 3 = 0 then jsonb_build_object('plan', (array['free', 'pro', 'business'])[1 + i % 3], 'orders', i % 17, 'newsletter', i % 2 = 0) else '{}'::jsonb end,
      created_at, last_at
    from seed_conv order by created_at`);

  await sql.unsafe(`
    insert into conversations (id, inbox_id, contact_id, status, assignee_id, last_seq, customer_read_seq, agent_read_seq,
      last_activity_at, last_customer_message_at, last_agent_message_at, first_response_at, queued_at, closed_at, created_at)
    select id, '${inboxId}', contact_id, status, assignee_id, n,
      case when status = 'closed' then n else greatest(n - 1, 0) end,
      case when status = 'closed' then n when status = 'assigned' then n - i % 2 else 0 end,
      last_at,
      first_at + (last_customer_seq - 1) * interval '90 seconds',
      first_at + (last_agent_seq - 1) * interval '90 seconds',
      case when last_agent_seq is not null then first_at + interval '90 seconds' end,
      first_at,
      case when status = 'closed' then last_at + interval '10 minutes' end,
      created_at
    from seed_conv order by created_at`);

  // The messages in the order they were written (as a live database has them on disk).
  await sql.unsafe(`
    insert into messages (id, conversation_id, seq, client_id, sender, agent_id, body, created_at)
    select pg_temp.uuid7(m.at), c.id, s, 'seed-' || s, m.sender, case when m.sender = 'agent' then c.assignee_id end,
      case when m.sender = 'agent' then (${sqlArray(AGENT_TEXTS)})[1 + (c.i + s) % ${AGENT_TEXTS.length}]
        else (${sqlArray(CUSTOMER_TEXTS)})[1 + (c.i * 7 + s) % ${CUSTOMER_TEXTS.length}] end,
      m.at
    from seed_conv c
    cross join lateral generate_series(1, c.n) s
    cross join lateral (
      select c.first_at + (s - 1) * interval '90 seconds' as at,
        case when c.status = 'queued' or s % 2 = 1 then 'customer' else 'agent' end::actor_type as sender
    ) m
    order by m.at`);

  // What happened to each conversation, as the verbs record it.
  await sql.unsafe(`
    insert into conversation_events (id, conversation_id, type, actor_type, actor_agent_id, data, created_at)
    select pg_temp.uuid7(e.at), c.id, e.type, e.actor::actor_type, e.agent, e.data, e.at
    from seed_conv c
    cross join lateral (values
      ('created', 'customer', null::uuid, '{}'::jsonb, c.created_at),
      ('queued', 'customer', null::uuid, '{}'::jsonb, c.first_at),
      ('claimed', 'agent', c.assignee_id, '{"from":"queued"}'::jsonb, c.first_at + interval '60 seconds'),
      ('closed', 'agent', c.assignee_id, '{"from":"assigned"}'::jsonb, c.last_at + interval '10 minutes')
    ) e(type, actor, agent, data, at)
    where (e.type <> 'claimed' or c.status <> 'queued') and (e.type <> 'closed' or c.status = 'closed')
    order by e.at`);

  await sql.unsafe(`drop table seed_conv`);
  return { inboxId, agents };
}
