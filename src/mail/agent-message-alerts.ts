// When a customer writes in a conversation assigned to an agent who has had no inbox open for 10
// minutes, a job emails that agent (src/mail/agent-message-job.ts). This decides, after the row
// push, whom to schedule it for.
//
// Why after the push, not in the message's transaction: the batched append serves customers'
// messages many to a statement, and the ack waits for it; asking presence and writing a job there
// would move every message's latency (bench/delivery). The row push has read the summaries anyway.
// The price: a process that dies between the message's commit and this schedule loses that one
// alert. For an alert that is acceptable: the message itself is stored and waits in the agent's
// inbox, and the customer's next message schedules again.
import type { ConversationSummary } from "../conversations/model.ts";
import { customerMessagesByAgent } from "../conversations/agent-notifications.ts";
import type { AfterRowPush } from "../conversations/row-publisher.ts";
import type { Db } from "../db/database.ts";
import { schedule } from "../jobs/service.ts";
import { errorMessage, type Logger } from "../log/logger.ts";
import type { Clock } from "../realtime/clock.ts";
import type { Presence } from "../realtime/presence.ts";
import { awaySince } from "./agent-away.ts";
import { agentsToAlert, type AlertableAgent } from "./agent-message-queries.ts";

export const AGENT_MESSAGE_JOB = "email.agent-message";

export interface AgentMessagePayload {
  agentId: string;
  conversationId: string;
}

/**
 * One email per agent per conversation per absence, until someone reads the conversation: a
 * burst of messages makes one job, a read (agentReadSeq moves) or the agent coming back and
 * leaving again (inbox_seen_at moves) makes room for the next.
 */
export function agentMessageKey(agent: AlertableAgent, conversation: Pick<ConversationSummary, "id" | "agentReadSeq">): string {
  return `${AGENT_MESSAGE_JOB}:${agent.id}:${conversation.id}:${conversation.agentReadSeq}:${agent.inboxSeenAt?.getTime() ?? 0}`;
}

export interface AgentMessageAlertDeps {
  db: Db;
  presence: Presence;
  log: Logger;
  /** The job worker's: "due now" and "away for 10 minutes" are measured on it. */
  clock: Clock;
}

export class AgentMessageAlerts {
  /** One push's work after the other: bounded, and in the order the pushes came. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly deps: AgentMessageAlertDeps) {}

  /** Listens to the row publisher (RowPublisher.afterPush). */
  readonly afterPush: AfterRowPush = (summaries, wrote) => {
    const byAgent = customerMessagesByAgent(summaries, wrote);
    if (!byAgent.size) return;
    this.queue = this.queue
      .then(() => this.schedule(byAgent))
      .catch((err: unknown) => this.deps.log.warn("agent message alerts not scheduled", { count: byAgent.size, error: errorMessage(err) }));
  };

  /** Resolves once every push heard so far has been handled. */
  settled(): Promise<void> {
    return this.queue;
  }

  /** Connected agents and those back within 10 minutes need no email: only the others cost a statement. */
  private async schedule(byAgent: Map<string, ConversationSummary[]>): Promise<void> {
    const online = await this.deps.presence.onlineAgentIds();
    const offline = [...byAgent.keys()].filter((id) => !online.has(id));
    if (!offline.length) return;
    const now = this.deps.clock.now();
    const away = await agentsToAlert(this.deps.db, offline, awaySince(now));
    if (!away.length) return;
    await this.deps.db.transaction(async (tx) => {
      for (const agent of away) {
        for (const conversation of byAgent.get(agent.id) ?? []) {
          const payload: AgentMessagePayload = { agentId: agent.id, conversationId: conversation.id };
          await schedule(tx, AGENT_MESSAGE_JOB, payload, { runAt: new Date(now), idempotencyKey: agentMessageKey(agent, conversation) });
        }
      }
    });
  }
}
