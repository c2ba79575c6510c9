// Coalesces the inbox's list-row pushes (moved out of notify.tsx so its timing runs on a Clock).
import type { Db } from "../db/database.ts";
import { errorMessage, type Logger } from "../log/logger.ts";
import type { Bus } from "../realtime/bus.ts";
import { realClock, type Clock, type ClockTimer } from "../realtime/clock.ts";
import type { ConversationSummary } from "./model.ts";
import { pushRows } from "./notify.tsx";

/**
 * Told after each push, with the summaries it read and the conversations among them a customer
 * wrote in: work that rides on the push instead of adding a query to the message's path (the
 * agents' email alerts). Called synchronously; it must not throw, and starts its own work.
 */
export type AfterRowPush = (summaries: ConversationSummary[], customerWrote: ReadonlySet<string>) => void;

/** List rows changed within this window go to agents together, as one frame. */
const ROW_PUSH_INTERVAL_MS = 250;
/** Rows per frame (and per query); more changed conversations make more frames. */
const ROWS_PER_PUSH = 200;

/**
 * A busy inbox changes rows with every message, and each list shows the rows of many
 * conversations: pushing each change would cost a query and a frame per agent per message. Changes are collected
 * instead: the first after a quiet spell goes out at once, later ones within the window together
 * in one frame, rendered once with the latest state. Nothing here delays the messages themselves.
 */
export class RowPublisher {
  private readonly dirty = new Set<string>();
  /** Of the dirty ones, those a customer wrote in (their agents are notified with the row). */
  private readonly wrote = new Set<string>();
  /** Of the dirty ones, those a change may have moved to other lists (not `inPlace`): they go to every inbox page. */
  private readonly moved = new Set<string>();
  private timer: ClockTimer | null = null;
  private readonly clock: Clock;
  private readonly listeners: AfterRowPush[] = [];

  constructor(
    private readonly deps: { db: Db; bus: Bus; log: Logger; clock?: Clock },
    private readonly intervalMs = ROW_PUSH_INTERVAL_MS,
  ) {
    this.clock = deps.clock ?? realClock;
  }

  /** `listener` hears of every push from now on. */
  afterPush(listener: AfterRowPush): void {
    this.listeners.push(listener);
  }

  /** `inPlace`: this change left the conversation's status and assignee as they were (notify.rowChanged). */
  request(conversationId: string, customerWrote = false, inPlace = false): void {
    this.dirty.add(conversationId);
    if (customerWrote) this.wrote.add(conversationId);
    if (!inPlace) this.moved.add(conversationId);
    if (this.timer) return;
    void this.flush();
    this.timer = this.clock.setTimeout(() => this.tick(), this.intervalMs);
  }

  /** Returns the flush it started, which a manual clock waits for. */
  private tick(): Promise<void> | undefined {
    this.timer = null;
    if (this.dirty.size === 0) return;
    const flushed = this.flush();
    this.timer = this.clock.setTimeout(() => this.tick(), this.intervalMs);
    return flushed;
  }

  private async flush(): Promise<void> {
    const ids = [...this.dirty];
    const wrote = new Set(this.wrote);
    // In place only if every change since the last push was: one that moved it is announced to every page.
    const inPlace = new Set(ids.filter((id) => !this.moved.has(id)));
    this.dirty.clear();
    this.wrote.clear();
    this.moved.clear();
    try {
      for (let i = 0; i < ids.length; i += ROWS_PER_PUSH) {
        const pushed = await pushRows(this.deps, ids.slice(i, i + ROWS_PER_PUSH), wrote, inPlace);
        if (pushed.length && wrote.size) for (const listener of this.listeners) listener(pushed, wrote);
      }
    } catch (err) {
      this.deps.log.warn("list row push failed", { count: ids.length, error: errorMessage(err) });
    }
  }
}
