// The queue alert (off by default): when a customer has waited in the queue longer than the
// account's alert wait, admins who chose it get an email (src/mail/queue-alert-job.tsx).
//
// A job is scheduled in the transaction that puts a conversation into the queue, due when its
// wait would pass the alert wait; it then checks that the conversation is still waiting in that
// same stay. A periodic scan of the queue would work too, but would cost every instance a query a
// minute forever, also where the alert is off; this costs one read of the settings row per entry
// (on the full transaction path, never the batched append that most customer messages take).
// So the wait in force when a customer joins the queue is the one that counts: the settings page
// says a change applies to customers who join the queue from then on.
import { queueAlertMinutes } from "../account/queries.ts";
import type { Db } from "../db/database.ts";
import { schedule } from "../jobs/service.ts";

export const QUEUE_ALERT_JOB = "email.queue-alert";

export interface QueueAlertPayload {
  conversationId: string;
  /** queue_entered_at of the stay it is about, in milliseconds: a later stay is another alert. */
  enteredAt: number;
}

/** Inside the transaction in which the conversation entered the queue at `enteredAt` (its queue_entered_at). */
export async function scheduleQueueAlert(tx: Db, conversationId: string, enteredAt: Date): Promise<void> {
  const minutes = await queueAlertMinutes(tx);
  if (minutes === null) return;
  const payload: QueueAlertPayload = { conversationId, enteredAt: enteredAt.getTime() };
  await schedule(tx, QUEUE_ALERT_JOB, payload, {
    runAt: new Date(enteredAt.getTime() + minutes * 60_000),
    idempotencyKey: `${QUEUE_ALERT_JOB}:${conversationId}:${enteredAt.getTime()}`,
  });
}
