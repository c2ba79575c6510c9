import type { ConversationDeps } from "../conversations/changes.ts";
import { errorMessage, type Logger } from "../log/logger.ts";
import { drainQueues } from "./round-robin.ts";

/**
 * Runs round-robin when something may have made an assignment possible: a conversation entered
 * the queue, an agent came online (connected, or switched to Online) or closed a conversation.
 * Kicks coalesce: one run at a time on this instance, and one more after it when kicked meanwhile.
 * Instances run their own; the row locks of round-robin.ts keep them from giving one thing twice.
 */
export class QueueDrainer {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(private readonly deps: { log: Logger; onlineAgentIds: () => Promise<Set<string>> }) {}

  kick(conversationDeps: ConversationDeps): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.run(conversationDeps).finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.kick(conversationDeps);
      }
    });
  }

  /** Resolves once no run is under way (tests; shutdown). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.settled();
  }

  private async run(conversationDeps: ConversationDeps): Promise<void> {
    try {
      await drainQueues(conversationDeps, this.deps.onlineAgentIds);
    } catch (err) {
      // The next kick tries again; nothing was half given (one transaction per conversation).
      this.deps.log.warn("round-robin assignment failed", { error: errorMessage(err) });
    }
  }
}
