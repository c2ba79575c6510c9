// The agent email tests' setup: a test app that sends real mail to an SMTP server in the test
// process, with the job worker's clock in the test's hands (the worker's own timer stopped: a test
// runs a pass when it means to), Ana (admin) and Ben (agent), and Redis presence when the tests
// run on PostgreSQL + Redis.
import { and, eq, sql } from "drizzle-orm";
import { conversationDeps } from "../app-context.ts";
import type { ConversationSummary } from "../conversations/model.ts";
import * as conversations from "../conversations/service.ts";
import { contacts, conversations as conversationRows, jobs, type Job } from "../db/schema/index.ts";
import { signedInTeam, type InboxRow, type TeamMember } from "../testing/fixtures.ts";
import { ManualClock } from "../testing/manual-clock.ts";
import { smtpCapture, type SmtpCapture } from "../testing/smtp-capture.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";
import { agentMessageAlertsOf } from "./agent-email-wiring.ts";

export const testRedisUrl = process.env.TEST_REDIS_URL?.trim() || null;

export interface AgentEmailSetup {
  t: TestApp;
  mail: SmtpCapture;
  /** The job worker's clock, also the alerts' and inbox_seen_at's. */
  clock: ManualClock;
  ana: TeamMember;
  ben: TeamMember;
  inbox: InboxRow;
  /** A customer `name` whose conversation in `inbox` is assigned to `agentId`; `write` returns the message's seq. */
  assignedTo(agentId: string, name: string): Promise<{ conversationId: string; write(body: string): Promise<number> }>;
  /** The alerts have decided on the row push that carried `conversationId` at `seq` (a job scheduled or not). */
  decided(conversationId: string, seq: number): Promise<void>;
  /** Jobs of `kind` whose payload names `field` = `value`. */
  jobsWhere(kind: string, field: string, value: string): Promise<Job[]>;
  /** An inbox page's socket for `member`, open once the server has set it up. */
  inboxPage(member: TeamMember): Promise<TestSocket>;
  close(): Promise<void>;
}

export async function agentEmailSetup(env: Record<string, string> = {}): Promise<AgentEmailSetup> {
  const mail = await smtpCapture();
  const clock = new ManualClock(Date.now());
  const redis: Record<string, string> = testRedisUrl ? { REDIS_URL: testRedisUrl, SESSION_SECRET: "agent-email-test-secret-0123456789" } : {};
  const t = await createTestApp({ env: { SMTP_URL: mail.url, ...redis, ...env }, clocks: { jobs: clock } });
  const base = t.listen();
  t.ctx.jobWorker.stop();
  const { ana, ben, inbox } = await signedInTeam(t, { name: "Help <desk>", handoffMode: "immediate" });
  const sockets: TestSocket[] = [];

  // What the row publisher pushed, heard after the alerts (listeners are told in order).
  const pushed: ConversationSummary[] = [];
  const waiters = new Set<() => void>();
  t.ctx.rows.afterPush((summaries, wrote) => {
    pushed.push(...summaries.filter((s) => wrote.has(s.id)));
    for (const wake of waiters) wake();
  });

  return {
    t,
    mail,
    clock,
    ana,
    ben,
    inbox,
    async assignedTo(agentId, name) {
      const db = t.database.db;
      const [contact] = await db.insert(contacts).values({ inboxId: inbox.id, name }).returning();
      const [row] = await db.insert(conversationRows).values({ inboxId: inbox.id, contactId: contact!.id, status: "assigned", assigneeId: agentId }).returning();
      const write = async (body: string) => {
        const sent = await conversations.customerSends(conversationDeps(t.ctx), { inbox, contactId: contact!.id, clientId: crypto.randomUUID(), body });
        return sent.message.seq;
      };
      return { conversationId: row!.id, write };
    },
    async decided(conversationId, seq) {
      await new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!pushed.some((s) => s.id === conversationId && s.lastSeq >= seq)) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no row push of ${conversationId} at seq ${seq}`));
        }, 5000);
        waiters.add(check);
        check();
      });
      await agentMessageAlertsOf(t.ctx)!.settled();
    },
    jobsWhere: (kind, field, value) =>
      t.database.db
        .select()
        .from(jobs)
        .where(and(eq(jobs.kind, kind), sql`${jobs.payload}->>${field} = ${value}`))
        .orderBy(jobs.createdAt),
    async inboxPage(member) {
      const socket = await openSocket(`${base.replace("http", "ws")}/ws/inbox`, { cookie: member.cookie, origin: TEST_ORIGIN });
      sockets.push(socket);
      await socket.waitFor((f) => f.includes('id="live-status"'));
      return socket;
    },
    async close() {
      for (const socket of sockets) socket.close();
      await t.close();
      await mail.close();
    },
  };
}
