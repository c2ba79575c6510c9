// What a conversation verb answers the agent who used it (claim, assign, close, reopen, snooze,
// unsnooze): the header's state again, and the notice of an earlier refusal cleared out of band.
import type { Db } from "../db/database.ts";
import { ConversationNotice, ConversationStatus } from "../../views/conversations/conversation-status.tsx";
import type { VerbResult } from "./agent-verbs.ts";
import { summary as readSummary } from "./listing.ts";

/** The current header after a verb; nothing when the conversation is gone. */
export async function headerAfterVerb(db: Db, id: string, result: VerbResult): Promise<string> {
  // The verb read the summary to announce a change; when nothing changed, it is read now.
  const summary = result.summary ?? (await readSummary(db, id));
  return summary ? (
    <>
      <ConversationStatus summary={summary} />
      <ConversationNotice conversationId={id} oob />
    </>
  ) : (
    ""
  );
}
