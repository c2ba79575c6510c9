// What scheduling a reply email costs an agent's reply (issue 14 item 8). Agents reply on instance
// B (PostgreSQL + Redis) to customers who left an email address, in two inboxes alike but for one
// setting: reply emails on (every reply also writes an `email.reply` job in its transaction) and
// off (no job). Replies alternate between the two, one by one, so that both meet the same machine
// at the same moments. It prints each side's reply latency (the agent's POST until the answer: the
// commit, the publish and the rendering) and the jobs written, and asserts nothing.
//
//   bun run bench/reply-email.ts
//
// Environment (all optional):
//   BENCH_CONVERSATIONS  conversations the agent replies in, half in each inbox (100)
//   BENCH_RATE           replies per second, sent open loop (200)
//   BENCH_SECONDS        seconds of replying (40)
//   BENCH_AA=1           both inboxes with reply emails off: the noise floor of the comparison
//   BENCH_PG_URL, BENCH_REDIS_URL, BENCH_INSTANCE_ARGS: as bench/delivery.ts
//
// The jobs' delay is a day (REPLY_EMAIL_DELAY_SECONDS): none runs meanwhile, so what is timed is
// the scheduling alone; sending is bench/jobs.ts's.
import postgres from "postgres";
import { smtpCapture } from "../src/testing/smtp-capture.ts";
import { openCustomers, parallel, startInstances } from "./delivery/setup.ts";
import { BenchRun } from "./support/bench-run.ts";
import { printMachine } from "./support/machine.ts";
import { dist, f1 } from "./support/stats.ts";
import { SHOP_ORIGIN } from "./support/workers.ts";

const N = Number(process.env.BENCH_CONVERSATIONS ?? 100);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 40);

/** Sends `count` replies at RATE per second without waiting for answers, round robin; each one's ms until its answer, by conversation index parity. */
async function replyRound(base: string, cookie: string, conversations: string[], count: number): Promise<[number[], number[]]> {
  const latencies: [number[], number[]] = [[], []];
  const started = performance.now();
  const sends: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await Bun.sleep(wait);
    const id = conversations[i % conversations.length]!;
    const sentAt = performance.now();
    sends.push(
      fetch(`${base}/inbox/c/${id}/messages`, {
        method: "POST",
        headers: { origin: base, cookie, "content-type": "application/x-www-form-urlencoded", "hx-request": "true" },
        body: new URLSearchParams({ body: `reply ${i} ${"x".repeat(150)}`, clientId: crypto.randomUUID() }).toString(),
      }).then(async (res) => {
        await res.arrayBuffer();
        if (res.status !== 201) throw new Error(`reply: ${res.status}`);
        latencies[(i % conversations.length) % 2]!.push(performance.now() - sentAt);
      }),
    );
  }
  await Promise.all(sends);
  return latencies;
}

async function main() {
  const redisUrl = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
  const run = new BenchRun("reply-email", { pgUrl: process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres", redisUrl, existingDatabaseUrl: null });
  const mail = await smtpCapture();
  try {
    printMachine(
      `bench/reply-email: ${RATE} agent replies/s on instance B for ${SECONDS} s, alternating between an inbox with reply emails on and one with them off`,
      `bun ${Bun.version}`,
    );
    await run.createDatabase();
    const sql = (run.sql = postgres(run.databaseUrl, { max: 2, onnotice: () => {} }));
    const { a, b, cookie, publicKey } = await startInstances(run, redisUrl, { SMTP_URL: mail.url, REPLY_EMAIL_DELAY_SECONDS: "86400" });
    const customers = await openCustomers(run, a, publicKey, N);
    // Each customer writes once (the conversation is queued at once) and has an email address.
    await parallel(customers, 16, async (c, i) => {
      const res = await fetch(`${a.origin}/api/v1/widget/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: SHOP_ORIGIN, authorization: `Bearer ${c.token}`, "x-forwarded-for": c.ip },
        body: JSON.stringify({ clientId: crypto.randomUUID(), body: `hello ${i}` }),
      });
      if (res.status !== 201) throw new Error(`customer message: ${res.status} ${await res.text()}`);
    });
    await sql`update contacts set email = 'customer-' || id || '@example.com'`;
    // A second inbox like the first, with reply emails off, takes every other conversation.
    const [{ id: second }] = (await sql`
      insert into inboxes (id, public_key, name, identity_secret, handoff_mode, reply_emails)
      select gen_random_uuid(), 'bench-off', name, identity_secret, handoff_mode, false
      from inboxes limit 1 returning id`) as unknown as [{ id: string }];
    const all = ((await sql`select id, contact_id from conversations order by id`) as unknown as { id: string; contact_id: string }[]);
    const off = all.filter((_, i) => i % 2 === 1);
    await sql`update conversations set inbox_id = ${second} where id in ${sql(off.map((c) => c.id))}`;
    await sql`update contacts set inbox_id = ${second} where id in ${sql(off.map((c) => c.contact_id))}`;
    if (process.env.BENCH_AA === "1") await sql`update inboxes set reply_emails = false`;
    // Even indexes: reply emails on; odd: off.
    const conversations = all.map((c) => c.id);
    await parallel(conversations, 8, async (id) => {
      const res = await fetch(`${b.origin}/inbox/c/${id}/claim`, { method: "POST", headers: { origin: b.origin, cookie } });
      if (res.status !== 200) throw new Error(`claim ${id}: ${res.status}`);
    });
    // Warm-up: JIT and pools, unreported.
    await replyRound(b.origin, cookie, conversations, RATE * 2);
    const [jobsBefore] = (await sql`select count(*)::int as n from jobs where kind = 'email.reply'`) as unknown as [{ n: number }];
    const [onMs, offMs] = await replyRound(b.origin, cookie, conversations, RATE * SECONDS);
    const [jobsAfter] = (await sql`select count(*)::int as n from jobs where kind = 'email.reply'`) as unknown as [{ n: number }];
    const on = dist(onMs);
    const offDist = dist(offMs);
    console.log();
    console.log("reply emails | replies | p50 ms | p95 ms | p99 ms | p99.9 ms | max ms");
    for (const [mode, d] of [["off", offDist], ["on", on]] as const) {
      console.log(`${mode} | ${d.n} | ${f1(d.p50)} | ${f1(d.p95)} | ${f1(d.p99)} | ${f1(d.p999)} | ${f1(d.max)}`);
    }
    console.log(`jobs written during the measured replies: ${jobsAfter.n - jobsBefore.n} (one per reply in the "on" inbox${process.env.BENCH_AA === "1" ? "; none in an A/A run" : ""})`);
    console.log(`p99 added by scheduling the job: ${(on.p99 - offDist.p99).toFixed(2)} ms (p95: ${(on.p95 - offDist.p95).toFixed(2)} ms, p50: ${(on.p50 - offDist.p50).toFixed(2)} ms)`);
    console.log(`emails sent meanwhile (the delay is a day, so none): ${mail.mails.length}`);
  } finally {
    await run.end();
    await mail.close();
  }
}

await main();
process.exit(0);
