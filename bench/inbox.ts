// The agent inbox under load (issue 5): a database of 100,000 conversations and 1,000,000
// messages, 20 agents signed in and loading the inbox (`/inbox`, its tabs) and conversations
// (`/inbox/c/:id`, full pages) in a closed loop, while customers write 1,000 messages per second
// through the widget's socket. It prints the server time per route (p50/p95/p99/max, from the
// instance's own request log), what the agents' clients saw, the write rate achieved, request
// counts and errors. It prints figures and asserts nothing; the target is p95 <= 15 ms per route.
//
//   bun run bench/inbox.ts
//
// Environment (all optional):
//   BENCH_CONVERSATIONS   conversations (and contacts) seeded (100000)
//   BENCH_MESSAGES        messages seeded; a whole multiple of the conversations, at least 10 each (1000000)
//   BENCH_AGENTS          agents, each signed in and loading pages in a closed loop (20)
//   BENCH_THINK_MS        pause of each agent between two page loads, on average (uniform from half to
//                         one and a half times it); a list runs one measured phase per value (500,0):
//                         500 ms is a team working flat out, 0 (back to back) is the most the machine serves
//   BENCH_WRITE_RATE      customer messages per second during the run (1000)
//   BENCH_WRITERS         customer sockets the messages are spread over, one per open conversation (1000)
//   BENCH_SECONDS         length of each measured phase (30); a warm-up of BENCH_WARMUP_SECONDS (5) comes first
//   BENCH_AGENT_SOCKETS=0 agents without their inbox socket (by default each has one, as in a browser,
//                         and hears every list row push)
//   BENCH_VACUUM_SECONDS  VACUUM ANALYZE conversations this often during the run (10; 0: never), see below
//   BENCH_PG_URL          PostgreSQL server; a fresh database sd_bench_<random> is made there and dropped
//                         (postgres://postgres@127.0.0.1:5432/postgres)
//   BENCH_REDIS_URL       (redis://127.0.0.1:6379)
//   BENCH_INSTANCE_ARGS   command for the instance (default: this bun + src/main.ts)
//   BENCH_KEEP_DATABASE=1 keep the seeded database at the end (its URL is printed), e.g. for EXPLAIN
//   BENCH_DATABASE_URL    run on a database seeded (and kept) by an earlier run instead: no seeding,
//                         nothing dropped (it keeps the messages written by the earlier runs)
//
// One instance on PostgreSQL + Redis serves everything; its request log (LOG_FORMAT=json, one line
// per request with its duration in ms, from the app receiving the request to its response handed
// back to Bun) is the server time. The agents run in one child process and the customers in another, so that
// neither the orchestrator nor the other side's sockets slow them down; each reports its
// event-loop lag. All of it shares this machine's cores with the instance, PostgreSQL and Redis.
//
// Vacuum: every customer message updates its conversation's row (last_seq, last_activity_at), and
// last_activity_at is indexed, so each message leaves a dead row version and dead entries in the
// conversations indexes that the list queries must step over. Autovacuum removes them in
// production; the test server has `autovacuum = off` (its CI config), which would let them pile up
// for the whole run. So the bench vacuums the conversations table itself every 10 s, as autovacuum
// does on a busy database with autovacuum_naptime = 10s (each visit finds far more dead rows than
// its threshold), and counts the vacuum in the PostgreSQL CPU figure.
//
// Seeding is set-based SQL (generate_series, INSERT ... SELECT), in the shape the app writes:
// gapless seqs per conversation, each conversation's last_seq, last_activity_at and
// last_customer/agent_message_at matching its messages, events for what happened to it. Then
// VACUUM ANALYZE, as autovacuum would have done on a live database of that size.
//
// Rate limits: the customers' tokens are minted with the instance's SESSION_SECRET for seeded
// contacts (a returning visitor's token, which a real widget would hold), every customer comes
// from its own address (TRUST_PROXY=true and X-Forwarded-For from the 198.18.0.0/15 benchmarking
// range), and their message budgets are pre-granted in Redis (a large negative count under the
// limiter's key; deleted at the end). The limiter still runs per message, as in production.
import { cpus, loadavg, totalmem, tmpdir } from "node:os";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import Redis from "ioredis";
import postgres from "postgres";
import { postgresDatabase } from "../src/db/postgres.ts";
import { MIGRATIONS_DIR } from "../src/paths.ts";
import { startInstance, type Instance } from "../src/testing/instance-process.ts";
import { signVisitorToken } from "../src/widget/visitor-token.ts";
import { cpuSeconds, dist, f0, f1, LagMeter, machineCpu, openSocket, pidsNamed, run, serve, spawnWorker, table, waitUntil, type Dist, type Msg, type Worker } from "./support.ts";

const ROOT = join(import.meta.dir, "..");
const SHOP_ORIGIN = "https://shop.example";
const P95_TARGET_MS = 15;
const now = () => performance.timeOrigin + performance.now();

// =============================================================================================
// Shared: percentiles, lag meter, IPC
// =============================================================================================

/** `count` addresses from the 198.18.0.0/15 benchmarking range, starting at a random place. */
function addresses(count: number): string[] {
  const offset = Math.floor(Math.random() * 2 ** 17);
  return Array.from({ length: count }, (_, i) => {
    const v = (offset + i) % 2 ** 17;
    return `198.${18 + (v >> 16)}.${(v >> 8) & 255}.${v & 255}`;
  });
}

// =============================================================================================
// Worker: agents (sign in, then load pages in a closed loop; optionally hold the inbox socket)
// =============================================================================================

type Route = "/inbox" | "/inbox/c/:id";

interface AgentPlan {
  email: string;
  password: string;
  ip: string;
  /** Open conversations assigned to this agent. */
  mine: string[];
}

async function agentsWorker() {
  const lag = new LagMeter();
  let agents: (AgentPlan & { cookie: string })[] = [];
  let sockets: WebSocket[] = [];
  let frames = 0;
  let frameBytes = 0;

  serve({
    async connect({ base, plans, withSockets }: Msg) {
      const origin = base as string;
      agents = await Promise.all(
        (plans as AgentPlan[]).map(async (plan) => {
          // A real sign-in: the login form, its throttle, Bun.password.verify, a session row.
          const res = await fetch(`${origin}/login`, {
            method: "POST",
            redirect: "manual",
            headers: { "content-type": "application/x-www-form-urlencoded", origin, "x-forwarded-for": plan.ip },
            body: new URLSearchParams({ email: plan.email, password: plan.password }).toString(),
          });
          const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.startsWith("sd_session="));
          if (!cookie) throw new Error(`login of ${plan.email} failed: ${res.status} ${await res.text()}`);
          return { ...plan, cookie };
        }),
      );
      if (withSockets) {
        const url = `${origin.replace("http", "ws")}/ws/inbox`;
        sockets = await Promise.all(
          agents.map((a) =>
            openSocket(url, { cookie: a.cookie, origin, "x-forwarded-for": a.ip }, (data) => {
              frames++;
              frameBytes += data.length;
            }),
          ),
        );
      }
      return { signedIn: agents.length };
    },
    async run({ base, seconds, thinkMs, open, closed }: Msg) {
      const openIds = open as string[];
      const closedIds = closed as string[];
      const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
      const latency: Record<Route, number[]> = { "/inbox": [], "/inbox/c/:id": [] };
      const statuses: Record<string, number> = {};
      const failures: Record<string, number> = {};
      const tabs: Record<string, number> = {};
      let bytes = 0;
      frames = 0;
      frameBytes = 0;
      lag.take();
      const started = now();
      const deadline = started + seconds * 1000;

      /** What an agent does next: the list (a tab) 40% of the time, a conversation 60%, mostly an open one. */
      function nextRequest(agent: AgentPlan): { route: Route; path: string } {
        if (Math.random() < 0.4) {
          const r = Math.random();
          const tab = r < 0.45 ? "open" : r < 0.7 ? "mine" : r < 0.9 ? "queue" : "closed";
          tabs[tab] = (tabs[tab] ?? 0) + 1;
          // The default tab is what a bare /inbox shows; the others come from the tab links.
          return { route: "/inbox", path: tab === "open" && Math.random() < 0.5 ? "/inbox" : `/inbox?tab=${tab}` };
        }
        const r = Math.random();
        const id = r < 0.45 && agent.mine.length ? pick(agent.mine) : r < 0.85 ? pick(openIds) : pick(closedIds);
        return { route: "/inbox/c/:id", path: `/inbox/c/${id}` };
      }

      await Promise.all(
        agents.map(async (agent) => {
          // Agents start spread over one pause, not all in the same millisecond.
          if (thinkMs > 0) await Bun.sleep(Math.random() * thinkMs);
          while (now() < deadline) {
            const { route, path } = nextRequest(agent);
            const t = now();
            try {
              const res = await fetch(`${base}${path}`, { headers: { cookie: agent.cookie, "x-forwarded-for": agent.ip }, redirect: "manual" });
              const body = await res.text();
              const ms = now() - t;
              bytes += body.length;
              statuses[`${route} ${res.status}`] = (statuses[`${route} ${res.status}`] ?? 0) + 1;
              if (res.status === 200) latency[route].push(ms);
            } catch (err) {
              const key = `${route} ${err instanceof Error ? err.message.slice(0, 60) : String(err)}`;
              failures[key] = (failures[key] ?? 0) + 1;
            }
            if (thinkMs > 0) await Bun.sleep(thinkMs * (0.5 + Math.random()));
          }
        }),
      );
      const elapsed = (now() - started) / 1000;
      return {
        started,
        ended: now(),
        elapsed,
        latency: { "/inbox": dist(latency["/inbox"]), "/inbox/c/:id": dist(latency["/inbox/c/:id"]) },
        statuses,
        failures,
        tabs,
        bytes,
        frames,
        frameBytes,
        lag: lag.take(),
      };
    },
    close() {
      run.closing = true;
      for (const ws of sockets) ws.close();
      lag.stop();
      return {};
    },
  });
}

// =============================================================================================
// Worker: customers (widget sockets, each on a seeded open conversation)
// =============================================================================================

async function customersWorker() {
  const lag = new LagMeter();
  let sockets: WebSocket[] = [];
  const ready: boolean[] = [];
  let round = "";
  let sentAt = new Float64Array(0);
  let ackedAt = new Float64Array(0);
  let errors = new Map<string, number>();

  function onFrame(i: number, data: string) {
    // Acks and errors are what this side counts; message echoes, statuses and queue places pass by.
    if (data.startsWith('{"type":"message"')) return;
    const f = JSON.parse(data);
    if (f.type === "ack") {
      const id: string = f.clientId;
      const dash = id.lastIndexOf("-");
      if (id.slice(0, dash) !== round) return;
      const n = Number(id.slice(dash + 1));
      if (n < ackedAt.length && ackedAt[n] === 0) ackedAt[n] = now();
    } else if (f.type === "ready") {
      ready[i] = true;
    } else if (f.type === "error") {
      errors.set(f.code, (errors.get(f.code) ?? 0) + 1);
    }
  }

  serve({
    async connect({ base, customers }: Msg) {
      const url = `${(base as string).replace("http", "ws")}/ws/widget`;
      sockets = [];
      for (let i = 0; i < customers.length; i += 50) {
        const batch = customers.slice(i, i + 50).map((c: { ip: string }, j: number) =>
          openSocket(url, { origin: SHOP_ORIGIN, "x-forwarded-for": c.ip }, (d) => onFrame(i + j, d)),
        );
        sockets.push(...(await Promise.all(batch)));
      }
      sockets.forEach((ws, i) => ws.send(JSON.stringify({ type: "auth", token: customers[i].token })));
      await waitUntil("customers ready", () => sockets.every((_, i) => ready[i]), 60_000);
      return { connected: sockets.length };
    },
    async run({ name, rate, seconds, bodyBytes }: Msg) {
      round = name;
      const total = Math.round(rate * seconds);
      sentAt = new Float64Array(total);
      ackedAt = new Float64Array(total);
      errors = new Map();
      const pad = "x".repeat(Math.max(0, bodyBytes - 40));
      const n = sockets.length;
      // A random order of the sockets per pass: messages land on conversations all over the list.
      let order = shuffled(n);
      lag.take();
      let sent = 0;
      const start = now();
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          const due = Math.min(total, Math.floor(((now() - start) / 1000) * rate));
          while (sent < due) {
            const k = sent++;
            if (k % n === 0 && k > 0) order = shuffled(n);
            sentAt[k] = now();
            sockets[order[k % n]!]!.send(JSON.stringify({ type: "send", clientId: `${name}-${k}`, body: `Customer message ${k} ${pad}` }));
          }
          if (sent >= total) {
            clearInterval(timer);
            resolve();
          }
        }, 1);
      });
      const end = now();
      const sendLag = lag.take();
      await waitUntil("acks", () => ackedAt.every((t) => t > 0), 10_000).catch(() => {});
      const ackLatency: number[] = [];
      let acked = 0;
      for (let k = 0; k < total; k++) {
        if (ackedAt[k]! > 0) {
          acked++;
          ackLatency.push(ackedAt[k]! - sentAt[k]!);
        }
      }
      return { total, start, end, acked, ackLatency: dist(ackLatency), errors: Object.fromEntries(errors), lag: sendLag };
    },
    close() {
      run.closing = true;
      for (const ws of sockets) ws.close();
      lag.stop();
      return {};
    },
  });
}

function shuffled(n: number): Uint32Array {
  const a = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

// =============================================================================================
// Seeding
// =============================================================================================

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

interface SeedResult {
  inboxId: string;
  agents: { id: string; email: string; password: string }[];
}

/**
 * Seeds one inbox, the agents and `conversations` contacts + conversations with `messages`
 * messages. Statuses: every 250th conversation waits in the queue, every 16th is open with an
 * agent, the rest are closed. Open ones were active in the last hours or days, closed ones
 * over the half year before.
 */
async function seed(sql: postgres.Sql, opts: { conversations: number; messages: number; agents: number }): Promise<SeedResult> {
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

// =============================================================================================
// Orchestrator
// =============================================================================================

interface LogLine {
  time: string;
  msg: string;
  method?: string;
  path?: string;
  status?: number;
  ms?: number;
}

/** The instance's request log lines written between two instants (epoch ms), by route. */
function serverTimes(instance: Instance, from: number, to: number) {
  const byRoute = new Map<string, { ms: number[]; statuses: Record<string, number> }>();
  let warnings = 0;
  const warningSamples = new Set<string>();
  for (const line of instance.output.join("").split("\n")) {
    if (!line.startsWith("{")) continue;
    let entry: LogLine;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    const at = Date.parse(entry.time);
    if (at < from || at > to) continue;
    if (entry.msg !== "request") {
      warnings++;
      if (warningSamples.size < 5) warningSamples.add(line.slice(0, 200));
      continue;
    }
    // /inbox/c/<uuid> (the page) is one route; its verbs (/inbox/c/<uuid>/claim...) would be others.
    const route = `${entry.method} ${entry.path!.replace(/^\/inbox\/c\/[^/]+/, "/inbox/c/:id")}`;
    let r = byRoute.get(route);
    if (!r) byRoute.set(route, (r = { ms: [], statuses: {} }));
    r.statuses[String(entry.status)] = (r.statuses[String(entry.status)] ?? 0) + 1;
    if (entry.status === 200 && typeof entry.ms === "number") r.ms.push(entry.ms);
  }
  return { byRoute, warnings, warningSamples: [...warningSamples] };
}

type Phase = { reads: Msg; writes: Msg; rows: number; cpu: number[]; window: { from: number; to: number } };

function report(instance: Instance, phase: Phase, thinkMs: number): string[] {
  const { byRoute, warnings, warningSamples } = serverTimes(instance, phase.window.from, phase.window.to);
  const { reads, writes } = phase;
  const routes: Route[] = ["/inbox", "/inbox/c/:id"];
  const phaseName = thinkMs > 0 ? `agents pausing ${thinkMs} ms on average between pages` : "agents loading pages back to back (the most this machine serves)";
  console.log("");
  console.log(`--- ${phaseName} ---`);
  console.log("server time (instance request log, ms) and what the agents' clients saw (fetch to last byte, ms):");
  table(
    ["route", "requests", "req/s", "p50", "p95", "p99", "max", "client p50", "p95", "p99", "max", "statuses"],
    routes.map((route) => {
      const server = dist(byRoute.get(`GET ${route}`)?.ms ?? []);
      const client = reads.latency[route] as Dist;
      const statuses = Object.entries(byRoute.get(`GET ${route}`)?.statuses ?? {}).map(([k, v]) => `${k}:${v}`).join(",");
      return [route, String(server.n), f0(server.n / reads.elapsed), f1(server.p50), f1(server.p95), f1(server.p99), f1(server.max), f1(client.p50), f1(client.p95), f1(client.p99), f1(client.max), statuses];
    }),
  );
  const others = [...byRoute.entries()].filter(([route]) => !routes.some((r) => route === `GET ${r}`));
  if (others.length) console.log(`other requests in the window: ${others.map(([route, r]) => `${route} ${r.ms.length}`).join(", ")}`);
  const failures = Object.entries(reads.failures as Record<string, number>);
  const tabs = Object.entries(reads.tabs as Record<string, number>).map(([k, v]) => `${k} ${v}`).join(", ");
  console.log(`agents: tabs loaded ${tabs}; ${(reads.bytes / reads.elapsed / 2 ** 20).toFixed(1)} MiB/s of pages; failed requests ${failures.length ? failures.map(([k, v]) => `${k}: ${v}`).join("; ") : 0}`);
  if (reads.frames) console.log(`agents' inbox sockets: ${f0(reads.frames / reads.elapsed)} frames/s in all (${(reads.frameBytes / reads.elapsed / 2 ** 10).toFixed(0)} KiB/s)`);
  const writeSeconds = (writes.end - writes.start) / 1000;
  const errors = Object.entries(writes.errors as Record<string, number>).map(([k, v]) => `${k}:${v}`).join(",") || "0";
  console.log(
    `writes: sent ${writes.total} in ${writeSeconds.toFixed(1)} s (${f0(writes.total / writeSeconds)}/s), acked ${writes.acked}, ` +
      `persisted ${phase.rows} (${f0(phase.rows / writeSeconds)} rows/s), ack latency p50 ${f1(writes.ackLatency.p50)} p99 ${f1(writes.ackLatency.p99)} max ${f1(writes.ackLatency.max)} ms, errors ${errors}`,
  );
  const [inst, pg, redis, agentsClient, customersClient, box] = phase.cpu as [number, number, number, number, number, number];
  console.log(
    `cpu (% of one core): instance ${f0(inst)}, postgres ${f0(pg)}, redis ${f0(redis)}, agents' client ${f0(agentsClient)}, customers' client ${f0(customersClient)}; ` +
      `whole machine ${f0(box)} of ${cpus().length * 100}, of which not this bench ${f0(Math.max(0, box - inst - pg - redis - agentsClient - customersClient))} (PostgreSQL's background work, anything else running)`,
  );
  console.log(`event-loop lag p99/max (ms): agents' client ${f0(reads.lag.p99)}/${f0(reads.lag.max)}, customers' client ${f0(writes.lag.p99)}/${f0(writes.lag.max)}`);
  if (warnings) console.log(`instance log lines other than requests in the window: ${warnings}, e.g.\n  ${warningSamples.join("\n  ")}`);
  console.log(`machine load after the phase: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  return routes.map((route) => {
    const server = dist(byRoute.get(`GET ${route}`)?.ms ?? []);
    return `target (server p95 <= ${P95_TARGET_MS} ms), ${thinkMs > 0 ? `pausing ${thinkMs} ms` : "back to back"}, ${route}: ${server.p95 <= P95_TARGET_MS ? "met" : "MISSED"} (p95 ${f1(server.p95)} ms at ${f0(server.n / reads.elapsed)} req/s)`;
  });
}

async function orchestrate() {
  const N = Number(process.env.BENCH_CONVERSATIONS ?? 100_000);
  const M = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
  const agentCount = Number(process.env.BENCH_AGENTS ?? 20);
  const thinks = (process.env.BENCH_THINK_MS ?? "500,0").split(",").map(Number);
  const writeRate = Number(process.env.BENCH_WRITE_RATE ?? 1000);
  const writerCount = Number(process.env.BENCH_WRITERS ?? 1000);
  const seconds = Number(process.env.BENCH_SECONDS ?? 30);
  const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
  const withSockets = process.env.BENCH_AGENT_SOCKETS !== "0";
  const keepDatabase = process.env.BENCH_KEEP_DATABASE === "1";
  const vacuumSeconds = Number(process.env.BENCH_VACUUM_SECONDS ?? 10);
  const redisUrl = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
  const pgUrl = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const bodyBytes = 120;
  if (!Number.isInteger(M / N) || M / N < 10) throw new Error("BENCH_MESSAGES must be a whole multiple of BENCH_CONVERSATIONS, at least 10 per conversation");

  const children: Bun.Subprocess[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), "sd-bench-inbox-"));
  const admin = postgres(pgUrl, { max: 1, onnotice: () => {} });
  const existingDb = process.env.BENCH_DATABASE_URL ?? null;
  const dbName = `sd_bench_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const databaseUrl =
    existingDb ??
    (() => {
      const u = new URL(pgUrl);
      u.pathname = `/${dbName}`;
      return u.toString();
    })();
  const redis = new Redis(redisUrl);
  const grantedKeys: string[] = [];
  let sql: postgres.Sql | null = null;
  let workers: Worker[] = [];

  const cleanup = async () => {
    run.closing = true;
    for (const w of workers) await w.call("close").catch(() => {});
    for (const p of children) if (p.exitCode === null && p.signalCode === null) p.kill("SIGTERM");
    await Promise.race([Promise.all(children.map((p) => p.exited)), Bun.sleep(6000)]);
    for (const p of children) if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
    for (let i = 0; i < grantedKeys.length; i += 500) await redis.del(...grantedKeys.slice(i, i + 500)).catch(() => {});
    redis.disconnect();
    await sql?.end({ timeout: 2 });
    if (keepDatabase) console.log(`kept the database: ${databaseUrl}`);
    else if (!existingDb) await admin.unsafe(`drop database if exists "${dbName}" with (force)`).catch((e: Error) => console.error(`drop ${dbName}: ${e.message}`));
    await admin.end({ timeout: 2 });
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.on("SIGINT", () => void cleanup().then(() => process.exit(130)));

  try {
    // --- header ---
    const [{ version: pgVersion }] = (await admin`select version()`) as unknown as [{ version: string }];
    const settings = (await admin`select name, setting, unit from pg_settings where name in ('synchronous_commit', 'shared_buffers', 'max_connections', 'autovacuum')`) as unknown as { name: string; setting: string; unit: string | null }[];
    const redisInfo = await redis.info("server");
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    console.log("SupportDesk inbox bench: agents load /inbox and /inbox/c/:id while customers write");
    console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? "unknown"}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, load ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
    console.log(
      `versions: bun ${Bun.version}, ${pgVersion.split(" on ")[0]} (${settings.map((s) => `${s.name}=${s.setting}${s.unit ?? ""}`).join(", ")}), redis ${/redis_version:(\S+)/.exec(redisInfo)?.[1]}, ` +
        `elysia ${pkg.dependencies.elysia}, drizzle-orm ${pkg.dependencies["drizzle-orm"]}, postgres.js ${pkg.dependencies.postgres}`,
    );
    console.log(
      `workload: ${N} conversations, ${M} messages; ${agentCount} agents in a closed loop (think ${thinks.join(" ms, then ")} ms${withSockets ? "; each with its inbox socket" : ""}); ` +
        `${writeRate} customer msgs/s over ${writerCount} conversations; ${warmupSeconds} s warm-up, ${seconds} s measured per phase; ` +
        (vacuumSeconds > 0 ? `VACUUM conversations every ${vacuumSeconds} s` : "no VACUUM during the run"),
    );

    // --- database: migrate, seed, vacuum + analyze (or one seeded earlier) ---
    let seeded: SeedResult;
    if (existingDb) {
      sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
      const [inbox] = await sql`select id from inboxes where public_key like 'pk_bench_%' limit 1`;
      const agentRows = (await sql`select id, email from agents where email like 'agent%@bench.example'`) as unknown as { id: string; email: string }[];
      if (!inbox || !agentRows.length) throw new Error("BENCH_DATABASE_URL: not a database seeded by this bench");
      const agents = agentRows
        .map((a) => ({ ...a, n: Number(/^agent(\d+)@/.exec(a.email)![1]) }))
        .filter((a) => a.n < agentCount)
        .sort((x, y) => x.n - y.n)
        .map((a) => ({ id: a.id, email: a.email, password: `bench-password-${a.n}` }));
      seeded = { inboxId: inbox.id as string, agents };
      console.log(`seed: none, using ${databaseUrl.replace(/\/\/[^@]*@/, "//")}`);
    } else {
      await admin.unsafe(`create database "${dbName}"`);
      const migrating = postgresDatabase(databaseUrl, { max: 1 });
      await migrating.migrate(MIGRATIONS_DIR);
      await migrating.close();
      sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
      let t = performance.now();
      seeded = await seed(sql, { conversations: N, messages: M, agents: agentCount });
      const seedSeconds = (performance.now() - t) / 1000;
      t = performance.now();
      await sql.unsafe("vacuum analyze");
      const analyzeSeconds = (performance.now() - t) / 1000;
      const [c] = (await sql`select
        (select count(*)::int from conversations) as conversations,
        (select count(*)::int from messages) as messages,
        (select count(*)::int from conversation_events) as events,
        (select count(*)::int from conversations where status = 'queued') as queued,
        (select count(*)::int from conversations where status = 'assigned') as assigned,
        (select count(*)::int from conversations where status = 'closed') as closed,
        pg_size_pretty(pg_database_size(current_database())) as size`) as unknown as Record<string, number | string>[];
      console.log(
        `seed: ${c!.conversations} conversations (${c!.queued} queued, ${c!.assigned} assigned, ${c!.closed} closed), ${c!.messages} messages, ${c!.events} events, ` +
          `${c!.size} in ${seedSeconds.toFixed(1)} s; VACUUM ANALYZE ${analyzeSeconds.toFixed(1)} s`,
      );
    }

    // --- the instance ---
    const sessionSecret = `bench-${crypto.randomUUID()}-${crypto.randomUUID()}`;
    const command = process.env.BENCH_INSTANCE_ARGS?.split(" ");
    const instance = await startInstance({
      name: "instance",
      dataDir: join(dataDir, "instance"),
      env: { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, SESSION_SECRET: sessionSecret, TRUST_PROXY: "true", LOG_LEVEL: "info", LOG_FORMAT: "json" },
      readyTimeoutMs: 60_000,
      ...(command ? { command } : {}),
    });
    children.push(instance.proc);

    // --- who loads what, who writes where ---
    const open = (await sql`select id, assignee_id, contact_id, status from conversations where status in ('queued', 'assigned') order by random()`) as unknown as {
      id: string;
      assignee_id: string | null;
      contact_id: string;
      status: string;
    }[];
    const closed = ((await sql`select id from conversations where status = 'closed' order by random() limit 5000`) as unknown as { id: string }[]).map((r) => r.id);
    const agentIps = addresses(agentCount + writerCount);
    const plans: AgentPlan[] = seeded.agents.map((a, i) => ({
      email: a.email,
      password: a.password,
      ip: agentIps[i]!,
      mine: open.filter((o) => o.assignee_id === a.id).map((o) => o.id),
    }));
    const customers = open.slice(0, writerCount).map((o, i) => ({
      ip: agentIps[agentCount + i]!,
      contactId: o.contact_id,
      token: signVisitorToken(sessionSecret, { inboxId: seeded.inboxId, contactId: o.contact_id }),
    }));
    const grant = redis.pipeline();
    for (const cu of customers) {
      for (const key of [`supportdesk:rl:message:contact:${cu.contactId}`, `supportdesk:rl:message:ip:${cu.ip}`]) {
        grant.set(key, -1_000_000_000, "EX", 3600);
        grantedKeys.push(key);
      }
    }
    await grant.exec();

    const agentsW = spawnWorker(import.meta.path, "agents");
    const customersW = spawnWorker(import.meta.path, "customers");
    workers = [agentsW, customersW];
    children.push(agentsW.proc, customersW.proc);
    const t = performance.now();
    await agentsW.call("connect", { base: instance.origin, plans, withSockets });
    await customersW.call("connect", { base: instance.origin, customers });
    console.log(`setup: ${agentCount} agents signed in${withSockets ? " with their inbox sockets" : ""}, ${customers.length} customer sockets ready in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const openIds = open.map((o) => o.id);
    const phase = async (name: string, secs: number, thinkMs: number) => {
      // Every backend of this database, the orchestrator's own included (it runs the vacuums).
      const pgPids = ((await sql!`select pid from pg_stat_activity where datname = current_database()`) as unknown as { pid: number }[]).map((r) => r.pid);
      const tracked = [instance.proc.pid, pgPids, pidsNamed("redis-server"), agentsW.proc.pid, customersW.proc.pid];
      const cpuOf = () => tracked.map((p) => (Array.isArray(p) ? p.reduce((sum, pid) => sum + cpuSeconds(pid), 0) : cpuSeconds(p)));
      const cpu0 = cpuOf();
      const box0 = machineCpu();
      const started = Date.now();
      let vacuuming = Promise.resolve();
      const vacuums =
        vacuumSeconds > 0
          ? setInterval(() => {
              vacuuming = vacuuming.then(() => sql!.unsafe("vacuum (analyze) conversations").then(() => {}));
            }, vacuumSeconds * 1000)
          : null;
      const [reads, writes] = await Promise.all([
        agentsW.call("run", { base: instance.origin, seconds: secs, thinkMs, open: openIds, closed }),
        customersW.call("run", { name, rate: writeRate, seconds: secs, bodyBytes }),
      ]);
      if (vacuums) clearInterval(vacuums);
      await vacuuming;
      const elapsed = (Date.now() - started) / 1000;
      const cpu1 = cpuOf();
      const box1 = machineCpu();
      const ours = cpu1.map((v, i) => ((v - cpu0[i]!) / elapsed) * 100);
      const box = ((box1.busy - box0.busy) / Math.max(1, box1.total - box0.total)) * 100 * cpus().length;
      // Rows the writes created in the window (they are the only messages written now).
      const [{ n: rows }] = (await sql!`select count(*)::int as n from messages where created_at >= ${new Date(writes.start)} and created_at < ${new Date(writes.end)}`) as unknown as [{ n: number }];
      return { reads, writes, rows, cpu: [...ours, box], window: { from: Math.min(reads.started, writes.start), to: Math.max(reads.ended, writes.end) } };
    };

    // Client ids unique to this run: a database kept from an earlier run already has that run's.
    const runId = crypto.randomUUID().slice(0, 8);
    // A short unreported run so that JIT, pools and prepared statements are warm.
    if (warmupSeconds > 0) await phase(`${runId}w`, warmupSeconds, thinks[0]!);
    const verdicts: string[] = [];
    for (const [i, thinkMs] of thinks.entries()) {
      await Bun.sleep(1000);
      const run = await phase(`${runId}m${i}`, seconds, thinkMs);
      await Bun.sleep(500); // the last log lines
      verdicts.push(...report(instance, run, thinkMs));
    }
    console.log("");
    for (const v of verdicts) console.log(v);
  } finally {
    await cleanup();
  }
}

const roleIndex = process.argv.indexOf("--worker");
if (roleIndex >= 0) {
  const role = process.argv[roleIndex + 1];
  if (role === "agents") await agentsWorker();
  else if (role === "customers") await customersWorker();
  else throw new Error(`unknown worker ${role}`);
} else {
  await orchestrate();
  process.exit(0);
}
