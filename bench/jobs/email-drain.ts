// bench/jobs.ts's email case: JOBS due `email.reply` jobs, each for a conversation with one unread
// agent reply to a customer with an address, drained by the real handler into an SMTP server in this
// process (smtp-server, as in the tests, not parsing here: that would take the sender's CPU). Then
// the same with a mailer that sends nothing: its time per job is the queue's, the handler's
// database statements' and the email's rendering; the no-op case gives the queue's alone.
// Checks that every customer got exactly one email.
import { sql } from "drizzle-orm";
import type { AppContext } from "../../src/app-context.ts";
import { parseConfig } from "../../src/config.ts";
import type { Database } from "../../src/db/database.ts";
import { JobHandlers } from "../../src/jobs/handlers.ts";
import { JobWorker } from "../../src/jobs/worker.ts";
import type { Logger } from "../../src/log/logger.ts";
import { smtpMailer, type Mailer } from "../../src/mail/mailer.ts";
import { replyEmailJob } from "../../src/mail/reply-email-job.ts";
import { REPLY_EMAIL_JOB } from "../../src/mail/reply-email-schedule.ts";
import { smtpCapture } from "../../src/testing/smtp-capture.ts";

/** One inbox and agent; JOBS contacts with an address, each with a conversation holding one agent reply, and its due job. */
async function seed(database: Database, jobs: number): Promise<void> {
  const db = database.db;
  for (const table of ["jobs", "messages", "conversations", "contacts", "inboxes", "agents"]) await db.execute(sql.raw(`delete from ${table}`));
  await db.execute(sql`insert into agents (id, email, name, password_hash) values (gen_random_uuid(), 'ana@example.com', 'Ana', 'x')`);
  await db.execute(sql`insert into inboxes (id, public_key, name, identity_secret) values (gen_random_uuid(), 'bench', 'Shop', 'secret')`);
  await db.execute(sql`
    insert into contacts (id, inbox_id, email, locale)
    select gen_random_uuid(), (select id from inboxes), 'customer' || n || '@example.com', case when n % 2 = 0 then 'de' else 'en' end
    from generate_series(1, ${jobs}::int) as n`);
  await db.execute(sql`
    insert into conversations (id, inbox_id, contact_id, status, assignee_id, last_seq)
    select gen_random_uuid(), inbox_id, id, 'assigned', (select id from agents), 1 from contacts`);
  await db.execute(sql`
    insert into messages (id, conversation_id, seq, sender, agent_id, body)
    select gen_random_uuid(), id, 1, 'agent', assignee_id, 'Your parcel left our warehouse today; the tracking number is 1Z999AA10123456784.' from conversations`);
  await db.execute(sql`
    insert into jobs (id, kind, payload, run_at, idempotency_key)
    select gen_random_uuid(), ${REPLY_EMAIL_JOB}, jsonb_build_object('conversationId', id), now() - interval '1 minute', 'email.reply:' || id || ':1'
    from conversations`);
  await db.execute(sql`analyze`);
}

export interface EmailDrained {
  seconds: number;
  mails: number;
  /** Customers who got more than one email: must be 0. */
  twice: number;
}

/** Drains JOBS seeded email jobs with `workers` workers per connection; `seconds` of wall time. */
export async function drainEmailJobs(connections: Database[], workersPerConnection: number, jobs: number, batch: number, log: Logger, send: boolean): Promise<EmailDrained> {
  await seed(connections[0]!, jobs);
  const capture = await smtpCapture({ parse: false });
  const smtp = smtpMailer({ url: capture.url, from: "Shop <shop@example.com>" })!;
  let rendered = 0;
  const mailer: Mailer = send ? smtp : { send: async () => void rendered++, close: () => {} };
  const config = parseConfig({ PUBLIC_URL: "https://support.example.com", INBOUND_EMAIL_DOMAIN: "reply.example.com" });
  const workers = connections.flatMap((database, i) => {
    const ctx = { database, mailer, sessionSecret: "bench-secret-bench-secret-bench-secret", config, log } as unknown as AppContext;
    const handlers = new JobHandlers().register(REPLY_EMAIL_JOB, replyEmailJob(ctx));
    return Array.from({ length: workersPerConnection }, (_, j) => new JobWorker({ db: database.db, log, handlers, instance: `bench-email-${i}-${j}` }, { batch }));
  });
  const started = performance.now();
  await Promise.all(
    workers.map(async (worker) => {
      while ((await worker.pass()) > 0);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  if (send) await capture.nth(jobs, undefined, 60_000);
  const perAddress = new Map<string, number>();
  for (const mail of capture.mails) for (const to of mail.envelopeTo) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
  smtp.close();
  await capture.close();
  return { seconds, mails: send ? capture.mails.length : rendered, twice: [...perAddress.values()].filter((n) => n > 1).length };
}
