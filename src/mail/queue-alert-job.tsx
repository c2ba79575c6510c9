// The queue alert's job (scheduled by queue-alert-schedule.ts when a conversation enters the
// queue): if the customer is still waiting in the same stay, every admin who chose the alert gets
// one email about them.
import { queueAlertMinutes } from "../account/queries.ts";
import type { Db } from "../db/database.ts";
import { JobFailure, type JobHandler } from "../jobs/service.ts";
import type { Logger } from "../log/logger.ts";
import type { Clock } from "../realtime/clock.ts";
import { contactLabel } from "../../views/conversations/conversation-row.tsx";
import { QueueAlertEmail, queueAlertSubject, queueAlertText, type QueueAlertEmailProps } from "../../views/email/queue-alert-email.tsx";
import type { Mailer } from "./mailer.ts";
import { queueAlertAdmins, queueStay, waitingCount } from "./queue-alert-queries.ts";
import type { QueueAlertPayload } from "./queue-alert-schedule.ts";

export interface QueueAlertJobDeps {
  db: Db;
  /** null: SMTP_URL is not set (any more); the job ends without sending. */
  mailer: Mailer | null;
  clock: Clock;
  log: Logger;
  publicUrl: URL;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function payloadOf(raw: unknown): QueueAlertPayload {
  const { conversationId, enteredAt } = (raw ?? {}) as Record<string, unknown>;
  if (typeof conversationId !== "string" || !UUID.test(conversationId) || typeof enteredAt !== "number" || !Number.isFinite(enteredAt)) {
    throw new JobFailure("the job does not name a conversation and when it entered the queue", { permanent: true });
  }
  return { conversationId, enteredAt };
}

export function queueAlertJob(deps: QueueAlertJobDeps): JobHandler {
  return async (job) => {
    const { conversationId, enteredAt } = payloadOf(job.payload);
    const fields = { job: job.id, conversation: conversationId };
    if (!deps.mailer) return deps.log.info("queue alert not sent: SMTP_URL is not set", fields);
    // Turned off since the customer joined the queue: no alert.
    const alertMinutes = await queueAlertMinutes(deps.db);
    if (alertMinutes === null) return deps.log.info("queue alert not needed", { ...fields, reason: "the queue alert is off" });
    const stay = await queueStay(deps.db, conversationId);
    if (stay?.status !== "queued" || stay.queueEnteredAt?.getTime() !== enteredAt) {
      return deps.log.info("queue alert not needed", { ...fields, reason: "the customer is no longer waiting in that stay" });
    }
    const admins = await queueAlertAdmins(deps.db);
    if (!admins.length) return deps.log.info("queue alert not needed", { ...fields, reason: "no admin chose queue alerts" });

    const origin = deps.publicUrl.origin;
    const props: QueueAlertEmailProps = {
      customer: contactLabel(stay),
      inbox: stay.inboxName,
      waitedMinutes: Math.max(alertMinutes, Math.floor((deps.clock.now() - enteredAt) / 60_000)),
      alertMinutes,
      waiting: await waitingCount(deps.db),
      conversationUrl: `${origin}/inbox/c/${conversationId}`,
      profileUrl: `${origin}/settings/profile`,
    };
    const html = await (<QueueAlertEmail {...props} />);
    // One email per admin, each with its own stable Message-ID: a try after a failure part-way
    // repeats the ones already sent with the same id (mail clients show them once).
    for (const admin of admins) {
      await deps.mailer.send({
        to: admin.email,
        subject: queueAlertSubject(props),
        text: queueAlertText(props),
        html,
        messageId: `<queue-alert-${job.id}-${admin.id}@${deps.publicUrl.hostname}>`,
        language: "en",
      });
    }
    deps.log.info("queue alert sent", { ...fields, admins: admins.length });
  };
}
