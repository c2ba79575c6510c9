// The job that emails an agent who was mentioned in a note while away (scheduled with the note,
// in its transaction: src/notes/service.ts). It checks when it runs: the mention may have been
// read, the agent may be back (an inbox open, or one within 10 minutes: src/mail/agent-away.ts),
// or have turned these emails off (the same choice as the customer-message alerts).
import { JobFailure, type JobHandler } from "../jobs/service.ts";
import { awayLongEnough } from "../mail/agent-away.ts";
import { alertRecipient } from "../mail/agent-message-queries.ts";
import type { AgentMessageJobDeps } from "../mail/agent-message-job.tsx";
import { MentionEmail, mentionSubject, mentionText, type MentionEmailProps } from "../../views/email/mention-email.tsx";
import { mentionToEmail } from "./queries.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function notificationIdOf(raw: unknown): string {
  const { notificationId } = (raw ?? {}) as Record<string, unknown>;
  if (typeof notificationId !== "string" || !UUID.test(notificationId)) throw new JobFailure("the job does not name a notification", { permanent: true });
  return notificationId;
}

export function mentionEmailJob(deps: AgentMessageJobDeps): JobHandler {
  return async (job) => {
    const notificationId = notificationIdOf(job.payload);
    const fields = { job: job.id, notification: notificationId };
    if (!deps.mailer) return deps.log.info("mention email not sent: SMTP_URL is not set", fields);
    const mention = await mentionToEmail(deps.db, notificationId);
    if (!mention || !mention.conversationId || mention.noteBody === null) return deps.log.info("mention email not needed", { ...fields, reason: "the note is gone" });
    if (mention.readAt) return deps.log.info("mention email not needed", { ...fields, reason: "the mention was read" });
    const agent = await alertRecipient(deps.db, mention.agentId);
    if (!agent || agent.deactivatedAt || !agent.notifyEmail) return deps.log.info("mention email not needed", { ...fields, reason: "the agent is gone or turned these emails off" });
    const connected = (await deps.presence.onlineAgentIds()).has(mention.agentId);
    if (!awayLongEnough(agent, connected, deps.clock.now())) return deps.log.info("mention email not needed", { ...fields, reason: "the agent is not away" });

    const origin = deps.publicUrl.origin;
    const props: MentionEmailProps = {
      author: mention.actorName ?? "A teammate",
      note: mention.noteBody,
      conversationUrl: `${origin}/inbox/c/${mention.conversationId}`,
      profileUrl: `${origin}/settings/profile`,
    };
    await deps.mailer.send({
      to: agent.email,
      subject: mentionSubject(props),
      text: mentionText(props),
      html: await (<MentionEmail {...props} />),
      messageId: `<mention-${job.id}@${deps.publicUrl.hostname}>`,
      language: "en",
    });
    deps.log.info("mention email sent", fields);
  };
}
