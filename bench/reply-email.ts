// What scheduling a reply email costs an agent's reply (issue 14 item 8). Agents reply on instance
// B (PostgreSQL + Redis) to customers who left an email address; every reply then also writes an
// `email.reply` job in its transaction. The same replies are timed with the inbox's reply emails off
// (no job) and on (one job per reply), in alternating rounds of one run so that drift in the machine
// falls on both alike. It prints each mode's reply latency (the agent's POST until the answer: the
// commit, the publish and the rendering) and the jobs written, and asserts nothing.
//
//   bun run bench/reply-email.ts
//
// Environment (all optional):
//   BENCH_CONVERSATIONS  conversations the agent replies in, round robin (100)
//   BENCH_RATE           replies per second, sent open loop (200)
//   BENCH_ROUND_SECONDS  seconds per round (5); BENCH_ROUNDS rounds per mode (3)
//   BENCH_AA=1           both modes with reply emails off: the noise floor of the comparison
//   BENCH_PG_URL, BENCH_REDIS_URL, BENCH_INSTANCE_ARGS: as bench/delivery.ts
//
// The jobs' delay is a day (REPLY_EMAIL_DELAY_SECONDS): none runs during the rounds, so what is
// timed is the scheduling alone; sending is bench/jobs.ts's.
import postgres from "postgres";
import { smtpCapture } from "../src/testing/smtp-capture.ts";
import { openCustomers, parallel, startInstances } from "./delivery/setup.ts";
import { BenchRun } from "./support/bench-run.ts";
import { printMachine } from "./support/machine.ts";
import { dist, f1 } from "./support/stats.ts";
import { SHOP_ORIGIN } from "./support/workers.ts";

const N = Number(process.env.BENCH_CONVERSATIONS ?? 100);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** Sends `count` replies at RATE per second without waiting for answers; each one's ms until its answer. */
async function replyRound(base: string, cookie: string, conversations: string[], count: number): Promise<number[]> {
  const latencies: number[] = [];
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
        latencies.push(performance.now() - sentAt);
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
      `bench/reply-email: ${RATE} agent replies/s on instance B, reply emails off vs on, ${ROUNDS} rounds of ${ROUND_SECONDS} s each per mode, alternating which goes first`,
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
    const conversations = ((await sql`select id from conversations`) as unknown as { id: string }[]).map((r) => r.id);
    await parallel(conversations, 8, async (id) => {
      const res = await fetch(`${b.origin}/inbox/c/${id}/claim`, { method: "POST", headers: { origin: b.origin, cookie } });
      if (res.status !== 200) throw new Error(`claim ${id}: ${res.status}`);
    });
    // Warm-up: JIT and pools, unreported.
    await replyRound(b.origin, cookie, conversations, RATE * 2);

    const latencies: Record<"off" | "on", number[]> = { off: [], on: [] };
    const jobsWritten: Record<"off" | "on", number> = { off: 0, on: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      // Each mode goes first in every other round: the second of a pair runs on a warmer, fuller machine.
      for (const mode of round % 2 === 0 ? (["off", "on"] as const) : (["on", "off"] as const)) {
        await sql`update inboxes set reply_emails = ${mode === "on" && process.env.BENCH_AA !== "1"}`;
        const [{ n: before }] = (await sql`select count(*)::int as n from jobs where kind = 'email.reply'`) as unknown as [{ n: number }];
        latencies[mode].push(...(await replyRound(b.origin, cookie, conversations, RATE * ROUND_SECONDS)));
        const [{ n: after }] = (await sql`select count(*)::int as n from jobs where kind = 'email.reply'`) as unknown as [{ n: number }];
        jobsWritten[mode] += after - before;
        await Bun.sleep(500);
      }
    }
    const off = dist(latencies.off);
    const on = dist(latencies.on);
    console.log();
    console.log("mode | replies | jobs written | p50 ms | p95 ms | p99 ms | max ms");
    for (const [mode, d] of [["off", off], ["on", on]] as const) {
      console.log(`${mode} | ${d.n} | ${jobsWritten[mode]} | ${f1(d.p50)} | ${f1(d.p95)} | ${f1(d.p99)} | ${f1(d.max)}`);
    }
    console.log(`p99 added by scheduling the job: ${(on.p99 - off.p99).toFixed(2)} ms (p50: ${(on.p50 - off.p50).toFixed(2)} ms)`);
    console.log(`emails sent during the rounds (the delay is a day, so none): ${mail.mails.length}`);
  } finally {
    await run.end();
    await mail.close();
  }
}

await main();
process.exit(0);
