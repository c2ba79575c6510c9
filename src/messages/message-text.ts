// A message's words where only words fit (list previews, notifications, emails): its body, or for
// a message of files alone their names ("📎 invoice.pdf, photo.png"), so that no preview is blank.
import { sql, type SQL } from "drizzle-orm";
import type { Message } from "./model.ts";

const FILES_MARK = "📎 ";

export function messageText(message: Pick<Message, "body" | "attachments">): string {
  if (message.body || !message.attachments?.length) return message.body;
  return FILES_MARK + message.attachments.map((file) => file.name).join(", ");
}

/** messageText in SQL, for the messages row aliased `m` (a table alias, trusted: never user input). */
export const messageTextSql = (m: string): SQL => {
  const row = sql.raw(m);
  return sql`case when ${row}.body = '' and ${row}.attachments is not null then ${FILES_MARK} || (select string_agg(f->>'name', ', ') from jsonb_array_elements(${row}.attachments) f) else ${row}.body end`;
};
