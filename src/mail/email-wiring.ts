// Where email meets the running app: the job kinds that send it are registered, and the inbound
// SMTP listener (when SMTP_INBOUND_PORT is set) is started. boot.ts and the test app call this once
// the AppContext exists (the handlers need its secret and mailer) and before the job worker starts.
import { conversationDeps, type AppContext } from "../app-context.ts";
import { WAKE_JOB, wakeJob } from "../snooze/snooze-service.ts";
import { TRANSCRIPT_JOB } from "../widget/email-service.ts";
import { transcriptJob } from "./transcript-job.ts";
import { replyEmailJob } from "./reply-email-job.ts";
import { REPLY_EMAIL_JOB } from "./reply-email-schedule.ts";
import { wireAgentEmails } from "./agent-email-wiring.ts";

export interface EmailWiring {
  /** Stops the inbound listener, if one runs. */
  close(): Promise<void>;
}

export async function wireEmail(ctx: AppContext): Promise<EmailWiring> {
  const closers: Array<() => Promise<void>> = [];
  const { inboundPort, inboundDomain } = ctx.config.email;
  // Replies by email over SMTP (config.ts refuses a port without a domain).
  if (inboundPort !== null && inboundDomain !== null) {
    // Loaded only when configured: smtp-server is a few MiB of a start's memory that most installs never use.
    const { startInboundSmtp } = await import("./inbound-smtp.ts");
    const smtp = await startInboundSmtp(ctx, inboundPort, inboundDomain);
    closers.push(smtp.close);
  }

  // Each email kind registers its job handler here (one line each).
  ctx.jobHandlers.register(TRANSCRIPT_JOB, transcriptJob(ctx));
  ctx.jobHandlers.register(REPLY_EMAIL_JOB, replyEmailJob(ctx));
  wireAgentEmails(ctx);
  // Not email, but a job kind wired at the same moment (before the worker starts): snoozes wake.
  ctx.jobHandlers.register(WAKE_JOB, wakeJob(conversationDeps(ctx)));
  return {
    async close() {
      for (const close of closers) await close();
    },
  };
}
