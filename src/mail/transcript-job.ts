// The `email.transcript` job: "Email me this conversation" (scheduled by src/widget/email-service.ts).
// The whole conversation as it was when the customer asked, in their language, to their address.
import { accountTimeZone } from "../account/service.ts";
import type { AppContext } from "../app-context.ts";
import type { Db } from "../db/database.ts";
import type { JobHandler } from "../jobs/handlers.ts";
import { JobFailure } from "../jobs/retry.ts";
import type { MessageWithAuthor } from "../messages/model.ts";
import { replay } from "../messages/replay.ts";
import type { TranscriptPayload } from "../widget/email-service.ts";
import { isWidgetLocale } from "../widget/locales/index.ts";
import { TranscriptEmail } from "../../views/email/transcript-email.tsx";
import { mailErrorCodes, sendFailureReason } from "./mailer.ts";
import { conversationThreadId } from "./signed-links.ts";
import { transcriptOf, transcriptPlainText } from "./transcript-text.ts";
import { transcriptRecipient } from "./transcript-queries.ts";

/** An email has room for this many messages (5,000 characters each at most); longer conversations send their newest. */
export const MAX_TRANSCRIPT_MESSAGES = 1000;

/** The messages after `afterSeq` up to `upToSeq`, oldest first (seqs are gapless). */
async function messagesBetween(db: Db, conversationId: string, afterSeq: number, upToSeq: number): Promise<MessageWithAuthor[]> {
  const found: MessageWithAuthor[] = [];
  await replay(db, conversationId, afterSeq, (page) => {
    found.push(...page.filter((m) => m.seq <= upToSeq));
    return page.at(-1)!.seq < upToSeq;
  });
  return found;
}

export function transcriptJob(ctx: AppContext): JobHandler<TranscriptPayload> {
  const host = ctx.config.publicUrl.hostname;
  return async (job) => {
    const { conversationId, upToSeq } = job.payload;
    if (!ctx.mailer) throw new JobFailure("SMTP_URL is not set, so the transcript cannot be sent", { permanent: true });
    const db = ctx.database.db;
    const to = await transcriptRecipient(db, conversationId);
    if (!to?.email) {
      // Nothing to retry: the conversation was deleted, or its customer's address removed.
      ctx.log.info("transcript not sent: no conversation or no address any more", { job: job.id });
      return;
    }
    const from = Math.max(0, upToSeq - MAX_TRANSCRIPT_MESSAGES);
    const [messages, { timeZone }] = await Promise.all([messagesBetween(db, conversationId, from, upToSeq), accountTimeZone(db, ctx.config.timeZone)]);
    const transcript = transcriptOf({ locale: isWidgetLocale(to.locale) ? to.locale : "en", inboxName: to.inboxName, messages, omitted: from, timeZone });
    try {
      await ctx.mailer.send({
        to: to.email,
        subject: transcript.subject,
        text: transcriptPlainText(transcript),
        html: await TranscriptEmail({ t: transcript }),
        fromName: to.senderName ?? to.inboxName,
        // The job's id: a try after a crash mid-send repeats the same message, which clients show once.
        messageId: `<transcript-${job.id}@${host}>`,
        references: [conversationThreadId(conversationId, host)],
        language: transcript.locale,
      });
    } catch (err) {
      ctx.log.warn("transcript email failed", { job: job.id, attempt: job.attempt, ...mailErrorCodes(err) });
      throw new JobFailure(sendFailureReason(err));
    }
  };
}
