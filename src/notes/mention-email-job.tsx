// The job that emails an agent who was mentioned in a note while away (scheduled with the note,
// in its transaction: src/notes/service.ts). It checks when it runs: the mention may have been
// read, the agent may be back (an inbox open, or one within 10 minutes: src/mail/agent-away.ts),
// or have turned these emails off (the same choice as the customer-message alerts). An agent who
// is not away yet may leave without reading it: the job looks again when they would count as
// away, for a day after the mention.
import { JobFailure, type JobHandler } from "../jobs/service.ts";
import { schedule } from "../jobs/service.ts";
import { AWAY_MS, awayLongEnough } from "../mail/agent-away.ts";
import { alertRecipient } from "../mail/agent-message-queries.ts";
import type { AgentMessageJobDeps } from "../mail/agent-message-job.tsx";
import { MentionEmail, mentionSubject, mentionText, type MentionEmailProps } from "../../views/email/mention-email.tsx";
import { mentionToEmail } from "./queries.ts";
import { MENTION_EMAIL_JOB } from "./service.ts";

/** How long after a mention its job keeps looking for the agent to be away with it unread. */
export const MENTION_FOLLOW_UP_MS = 24 * 60 * 60_000;

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
    const now = deps.clock.now();
    if (!awayLongEnough(agent, connected, now)) {
      // The earliest they can count as away: 10 minutes after now or after their last inbox.
      const next = (connected || !agent.inboxSeenAt ? now : agent.inboxSeenAt.getTime()) + AWAY_MS;
      if (next - mention.createdAt.getTime() > MENTION_FOLLOW_UP_MS) return deps.log.info("mention email not needed", { ...fields, reason: "the agent was not away within a day" });
      // Keyed by this job: a run repeated after a crash schedules no second look.
      await schedule(deps.db, MENTION_EMAIL_JOB, { notificationId }, { runAt: new Date(next), idempotencyKey: `${MENTION_EMAIL_JOB}:${notificationId}:after:${job.id}` });
      return deps.log.info("mention email not needed yet", { ...fields, reason: "the agent is not away", lookAgainAt: new Date(next).toISOString() });
    }

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
