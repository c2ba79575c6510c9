// The job that emails an agent a customer's message (scheduled by agent-message-alerts.ts). It
// runs a moment after the message and checks everything again: the conversation may have been
// read, reassigned or closed since, and the agent may be back.
import type { Db } from "../db/database.ts";
import { JobFailure, type JobHandler } from "../jobs/service.ts";
import type { Logger } from "../log/logger.ts";
import type { Clock } from "../realtime/clock.ts";
import type { Presence } from "../realtime/presence.ts";
import { contactLabel } from "../../views/conversations/conversation-row.tsx";
import { AgentMessageEmail, agentMessageSubject, agentMessageText, type AgentMessageEmailProps } from "../../views/email/agent-message-email.tsx";
import { awayLongEnough } from "./agent-away.ts";
import type { AgentMessagePayload } from "./agent-message-alerts.ts";
import { alertConversation, alertRecipient, unreadCustomerMessages, type AlertConversation, type AlertRecipient } from "./agent-message-queries.ts";
import type { Mailer } from "./mailer.ts";

/** The email shows the newest unread messages, this many at most. */
const MESSAGES_SHOWN = 5;

export interface AgentMessageJobDeps {
  db: Db;
  /** null: SMTP_URL is not set (any more); the job ends without sending. */
  mailer: Mailer | null;
  presence: Presence;
  clock: Clock;
  log: Logger;
  publicUrl: URL;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function payloadOf(raw: unknown): AgentMessagePayload {
  const { agentId, conversationId } = (raw ?? {}) as Record<string, unknown>;
  if (typeof agentId !== "string" || !UUID.test(agentId) || typeof conversationId !== "string" || !UUID.test(conversationId)) {
    throw new JobFailure("the job does not name an agent and a conversation", { permanent: true });
  }
  return { agentId, conversationId };
}

/** Why no email goes out now (for the log), or null when it should. Presence is asked last: it may be a Redis call. */
async function reasonNotToSend(
  deps: AgentMessageJobDeps,
  agentId: string,
  agent: AlertRecipient | undefined,
  conversation: AlertConversation | undefined,
): Promise<string | null> {
  if (!agent || agent.deactivatedAt) return "the agent is gone or deactivated";
  if (!agent.notifyEmail) return "the agent turned these emails off";
  if (!conversation) return "the conversation is gone";
  if (conversation.status !== "assigned" || conversation.assigneeId !== agentId) return "the conversation is no longer assigned to the agent";
  const connected = (await deps.presence.onlineAgentIds()).has(agentId);
  if (!awayLongEnough(agent, connected, deps.clock.now())) return "the agent has had an inbox open within 10 minutes";
  return null;
}

export function agentMessageJob(deps: AgentMessageJobDeps): JobHandler {
  return async (job) => {
    const { agentId, conversationId } = payloadOf(job.payload);
    const fields = { job: job.id, agent: agentId, conversation: conversationId };
    if (!deps.mailer) return deps.log.info("agent message email not sent: SMTP_URL is not set", fields);
    const agent = await alertRecipient(deps.db, agentId);
    const conversation = await alertConversation(deps.db, conversationId);
    const reason = await reasonNotToSend(deps, agentId, agent, conversation);
    if (reason) return deps.log.info("agent message email not needed", { ...fields, reason });
    const unread = await unreadCustomerMessages(deps.db, conversationId, conversation!.agentReadSeq, MESSAGES_SHOWN);
    if (!unread.total) return deps.log.info("agent message email not needed", { ...fields, reason: "the customer's messages have been read" });

    const origin = deps.publicUrl.origin;
    const props: AgentMessageEmailProps = {
      customer: contactLabel(conversation!),
      inbox: conversation!.inboxName,
      messages: unread.newest.map((m) => m.body),
      total: unread.total,
      conversationUrl: `${origin}/inbox/c/${conversationId}`,
      profileUrl: `${origin}/settings/profile`,
    };
    // A try after a crash mid-send sends the same Message-ID again: mail clients show it once.
    await deps.mailer.send({
      to: agent!.email,
      subject: agentMessageSubject(props),
      text: agentMessageText(props),
      html: await (<AgentMessageEmail {...props} />),
      messageId: `<agent-message-${job.id}@${deps.publicUrl.hostname}>`,
      language: "en",
    });
    deps.log.info("agent message email sent", { ...fields, messages: unread.total });
  };
}
