// Which way a customer's message goes, decided once, before it is sent anywhere. A conversation
// that is waiting or with an agent only gains the message: that takes the batched statement
// (customer-append-batcher.ts), shared with other customers' messages. Anything else (no
// conversation yet, the bot answering, closed) takes the full transaction, which handles every
// state. Trying the batch first and falling back cost every bot-mode message both.
//
// What decides is what this process last saw of the contact's conversation: the verbs tell it
// each state they leave a conversation in. Not knowing (a new contact, or after a restart) means
// the full path, which is always right and then tells the state. A change made on another
// instance (an agent closed it there) is noticed when the batch finds the conversation no longer
// waiting: that one message then takes the full path as well.
import type { Db } from "../db/database.ts";
import type { ConversationStatus } from "./model.ts";

/** Contacts remembered at most; the least recently seen are forgotten first (and take the full path next). */
const REMEMBERED_CONTACTS = 20_000;

/** The statuses in which a customer's message changes nothing but the message itself. */
const takesBatch = (status: ConversationStatus) => status === "queued" || status === "assigned";

export class MessagePaths {
  /** Contacts whose conversation was last seen waiting or with an agent, least recently seen first. */
  private readonly batched = new Set<string>();

  constructor(private readonly capacity = REMEMBERED_CONTACTS) {}

  /** Whether the contact's next message goes to the batch (else to the full transaction). */
  batchFor(inboxId: string, contactId: string): boolean {
    return this.batched.has(key(inboxId, contactId));
  }

  /** A verb left the contact's conversation in `status`. */
  seen(c: { inboxId: string; contactId: string; status: ConversationStatus; snoozedUntil?: Date | null }): void {
    const k = key(c.inboxId, c.contactId);
    this.batched.delete(k);
    // A snoozed conversation wakes on the customer's message: the full transaction does that.
    if (!takesBatch(c.status) || c.snoozedUntil) return;
    this.batched.add(k);
    if (this.batched.size > this.capacity) this.batched.delete(this.batched.values().next().value!);
  }
}

function key(inboxId: string, contactId: string): string {
  return `${inboxId}:${contactId}`;
}

const paths = new WeakMap<Db, MessagePaths>();

/** The process's one memory for this database (as the batcher is one per database). */
export function messagePaths(db: Db): MessagePaths {
  let memory = paths.get(db);
  if (!memory) paths.set(db, (memory = new MessagePaths()));
  return memory;
}
