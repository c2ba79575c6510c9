// What the reply email tests share: an app that sends to a real SMTP server in the test process,
// a manual clock for the jobs (passes run by hand, so the delay is the test's to move), a team
// with an inbox, and customers who come through the widget's HTTP API.
import { and, asc, eq, sql } from "drizzle-orm";
import { conversations, jobs, type Job } from "../db/schema/index.ts";
import { signedInTeam, type InboxRow, type TeamMember } from "../testing/fixtures.ts";
import { ManualClock } from "../testing/manual-clock.ts";
import { smtpCapture, type CapturedMail, type SmtpCapture } from "../testing/smtp-capture.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { appEnv } from "../widget/widget-api-testing.ts";
import { REPLY_EMAIL_JOB } from "./reply-email-schedule.ts";

export const INBOUND_DOMAIN = "reply.example.com";
export const MINUTE = 60_000;

export interface Customer {
  token: string;
  contactId: string;
  conversationId: string;
  email: string | null;
}

export interface ReplyEmailTest {
  t: TestApp;
  /** The listening app's base URL (for widget sockets). */
  base: string;
  mail: SmtpCapture;
  clock: ManualClock;
  ben: TeamMember;
  inbox: InboxRow;
  /** A new visitor in `inbox` who leaves `email` (away form), or none (they ask for a person). */
  customer(options?: { email?: string | null; locale?: string; inbox?: InboxRow }): Promise<Customer>;
  /** Ben replies from the inbox, as the reply form posts it. */
  reply(conversationId: string, body: string, clientId?: string): Promise<Response>;
  /** The conversation's reply email jobs, oldest first. */
  jobsOf(conversationId: string): Promise<Job[]>;
  /** Moves the jobs' clock on by `ms`, then runs one worker pass (and waits for its jobs). */
  later(ms: number): Promise<void>;
  replyEmailedSeq(conversationId: string): Promise<number>;
  close(): Promise<void>;
}

/** A header of the raw message as sent, unfolded (mailparser turns some into objects). */
export function rawHeader(mail: CapturedMail, name: string): string | null {
  const head = mail.raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, " ");
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : null;
}

let customers = 0;

export async function replyEmailTest(options: { env?: Record<string, string>; inbox?: Parameters<typeof signedInTeam>[1] } = {}): Promise<ReplyEmailTest> {
  const mail = await smtpCapture();
  const clock = new ManualClock(Date.now());
  const t = await createTestApp({ env: { ...appEnv, SMTP_URL: mail.url, INBOUND_EMAIL_DOMAIN: INBOUND_DOMAIN, ...options.env }, clocks: { jobs: clock } });
  const base = t.listen();
  // Passes run when a test says so (later()), not on the worker's own timer.
  t.ctx.jobWorker.stop();
  const { ben, inbox } = await signedInTeam(t, options.inbox);
  const json = { "content-type": "application/json", origin: TEST_ORIGIN };
  const widget = (path: string, token: string, body: unknown) =>
    t.request(`/api/v1/widget/${path}`, { method: "POST", headers: { ...json, authorization: `Bearer ${token}` }, body: JSON.stringify(body) });

  return {
    t,
    base,
    mail,
    clock,
    ben,
    inbox,
    async customer({ email = `kim.${++customers}@example.com`, locale, inbox: into = inbox } = {}) {
      const started = await t.request("/api/v1/widget/session", { method: "POST", headers: json, body: JSON.stringify({ inbox: into.publicKey, ...(locale ? { locale } : {}) }) });
      const { token, contact } = (await started.json()) as { token: string; contact: { id: string } };
      const res = email === null ? await widget("handoff", token, {}) : await widget("away", token, { email });
      if (res.status !== 200) throw new Error(`the customer could not start a conversation: ${res.status}`);
      const { conversation } = (await res.json()) as { conversation: { id: string } };
      return { token, contactId: contact.id, conversationId: conversation.id, email };
    },
    reply: (conversationId, body, clientId = crypto.randomUUID()) => t.post(`/inbox/c/${conversationId}/messages`, { body, clientId }, { cookie: ben.cookie }),
    jobsOf: (conversationId) =>
      t.database.db
        .select()
        .from(jobs)
        .where(and(eq(jobs.kind, REPLY_EMAIL_JOB), sql`${jobs.payload}->>'conversationId' = ${conversationId}`))
        .orderBy(asc(jobs.runAt), asc(jobs.createdAt)),
    async later(ms) {
      await clock.advance(ms);
      await t.ctx.jobWorker.pass();
    },
    async replyEmailedSeq(conversationId) {
      const [row] = await t.database.db.select({ seq: conversations.replyEmailedSeq }).from(conversations).where(eq(conversations.id, conversationId));
      return row!.seq;
    },
    async close() {
      await t.close();
      await mail.close();
    },
  };
}
