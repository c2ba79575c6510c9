import type { Db } from "../db/database.ts";
import { MAX_BODY_LENGTH, MAX_CLIENT_ID_LENGTH, MessageRejected, type Message, type MessageWithAuthor, type Sender } from "./model.ts";
import { insertNextMessage } from "./append-queries.ts";
import * as q from "./queries.ts";
import { storableText } from "../http/text-guard.ts";
import { isUuid } from "../conversations/model.ts";
import type { StoredFile } from "../files/model.ts";
import { lockUnsent, markSent } from "../files/queries.ts";

export interface NewMessage {
  conversationId: string;
  /** The sender's own id for the message; a retry with the same id returns the original. */
  clientId: string | null;
  sender: Sender;
  agentId?: string | null;
  body: string;
  /** Files uploaded earlier by the sender (src/files), sent with this message. */
  files?: FileClaim;
}

/** The uploads a message sends: ids, whose they must be, and how many a message may carry. */
export interface FileClaim {
  ids: string[];
  owner: { contactId: string } | { agentId: string };
  max: number;
}

/** Catch-up pages are bounded; a client far behind asks again from the last seq it got. */
export const CATCH_UP_LIMIT = 500;
/** How much history a new session or an opened conversation shows before "load earlier". */
export const LATEST_LIMIT = 50;

/** Refuses what appendToLocked would refuse, before the caller opens a transaction for it; the body as stored. */
export function checkMessage(input: Pick<NewMessage, "body" | "clientId" | "files">): string {
  const body = input.body.trim();
  const files = input.files?.ids ?? [];
  if (files.length > (input.files?.max ?? 0) || new Set(files).size !== files.length || !files.every(isUuid)) {
    throw new MessageRejected("bad_files", `A message can carry at most ${input.files?.max ?? 0} files, each once.`);
  }
  if (!body && files.length === 0) throw new MessageRejected("empty", "Write a message first.");
  if (body.length > MAX_BODY_LENGTH) {
    throw new MessageRejected("too_long", `Messages can be at most ${MAX_BODY_LENGTH} characters long.`);
  }
  // Refused as the sender's mistake, never a failed query (see storableText).
  if (!storableText(body)) throw new MessageRejected("bad_text", "Messages cannot contain NUL characters (U+0000) or half of a character.");
  if (input.clientId !== null && (!input.clientId || input.clientId.length > MAX_CLIENT_ID_LENGTH || !storableText(input.clientId))) {
    throw new MessageRejected("bad_client_id", `clientId must be 1 to ${MAX_CLIENT_ID_LENGTH} characters.`);
  }
  return body;
}

/**
 * Appends to a conversation whose row lock the caller already holds, after checking for a retry
 * itself (the conversation verbs do both anyway, so they are not done twice).
 */
export async function appendToLocked(tx: Db, input: NewMessage): Promise<Message> {
  return insertValidated(tx, input, checkMessage(input));
}

async function insertValidated(tx: Db, input: NewMessage, body: string): Promise<Message> {
  const files = input.files?.ids.length ? await claimFiles(tx, input.conversationId, input.files) : null;
  const message: Message = {
    id: Bun.randomUUIDv7(),
    conversationId: input.conversationId,
    seq: 0,
    clientId: input.clientId,
    sender: input.sender,
    agentId: input.agentId ?? null,
    body,
    attachments: files,
    createdAt: new Date(),
  };
  message.seq = await insertNextMessage(tx, message);
  if (files) await markSent(tx, input.files!.ids, message.id, input.conversationId);
  return message;
}

/** The sender's uploads, in the order sent, locked for this transaction; refused unless every one is theirs and unsent. */
async function claimFiles(tx: Db, conversationId: string, claim: FileClaim): Promise<StoredFile[]> {
  const owner = "agentId" in claim.owner ? { agentId: claim.owner.agentId, conversationId } : claim.owner;
  const rows = await lockUnsent(tx, claim.ids, owner);
  if (rows.length !== claim.ids.length) throw new MessageRejected("bad_files", "A file of this message was not found: attach it again.");
  return claim.ids.map((id) => rows.find((row) => row.id === id)!);
}

/** Everything after `afterSeq`, oldest first: what a reconnecting or gap-noticing reader fetches. */
export function messagesAfter(db: Db, conversationId: string, afterSeq: number, limit = CATCH_UP_LIMIT): Promise<MessageWithAuthor[]> {
  return q.messagesAfter(db, conversationId, Math.max(0, Math.floor(afterSeq)), Math.min(limit, CATCH_UP_LIMIT));
}

/** The newest messages of a conversation, oldest first (a new session, the agent's page). */
export function latestMessages(db: Db, conversationId: string, limit = LATEST_LIMIT): Promise<MessageWithAuthor[]> {
  return q.latestMessages(db, conversationId, Math.min(limit, CATCH_UP_LIMIT));
}

/** The message stored earlier under this clientId, if any: a retry must not change anything. */
export function originalOf(tx: Db, conversationId: string, clientId: string): Promise<Message | undefined> {
  return q.findByClientId(tx, conversationId, clientId);
}
