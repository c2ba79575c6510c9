// The emails agents get (issue 14 item 4): a customer's message while they were away, and the
// queue alert for admins. Called once by wireEmail, before the job worker starts.
import type { AppContext } from "../app-context.ts";
import { AGENT_MESSAGE_JOB, AgentMessageAlerts } from "./agent-message-alerts.ts";
import { agentMessageJob } from "./agent-message-job.tsx";
import { queueAlertJob } from "./queue-alert-job.tsx";
import { QUEUE_ALERT_JOB } from "./queue-alert-schedule.ts";
import { mentionEmailJob } from "../notes/mention-email-job.tsx";
import { MENTION_EMAIL_JOB } from "../notes/service.ts";

/** Each app's alerts scheduler, for tests to wait on (agentMessageAlertsOf). */
const alertsOf = new WeakMap<AppContext, AgentMessageAlerts>();

/** The agent message alerts wired into this app (undefined without SMTP): tests wait for their decisions. */
export const agentMessageAlertsOf = (ctx: AppContext) => alertsOf.get(ctx);

/**
 * Registers both jobs (also without SMTP: jobs scheduled while it was set then end without
 * sending, rather than wait forever), and, with SMTP, lets the row pushes schedule the agents'
 * message alerts.
 */
export function wireAgentEmails(ctx: AppContext): void {
  const db = ctx.database.db;
  const clock = ctx.jobWorker.clock;
  const common = { db, mailer: ctx.mailer, clock, log: ctx.log, publicUrl: ctx.config.publicUrl };
  ctx.jobHandlers.register(AGENT_MESSAGE_JOB, agentMessageJob({ ...common, presence: ctx.presence }));
  ctx.jobHandlers.register(QUEUE_ALERT_JOB, queueAlertJob(common));
  ctx.jobHandlers.register(MENTION_EMAIL_JOB, mentionEmailJob({ ...common, presence: ctx.presence }));
  if (!ctx.mailer) return;
  const alerts = new AgentMessageAlerts({ db, presence: ctx.presence, log: ctx.log, clock });
  ctx.rows.afterPush(alerts.afterPush);
  alertsOf.set(ctx, alerts);
}
