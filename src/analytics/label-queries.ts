// Conversations per label for /analytics. A conversation counts for a label it carries now when it
// was active in the range: started in it, or a message (anyone's) was written in it. Labels with
// none show 0. A label taken off (or deleted) no longer counts, as the label filter of the inbox
// no longer finds it.
import { sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { aggregate, hi, lo, type Bounds } from "./range-sql.ts";

export interface LabelCount {
  id: string;
  name: string;
  color: string;
  conversations: number;
}

/** Every label, by name, with the conversations carrying it that were active in the range. */
export function labelCounts(db: Db, b: Bounds): Promise<LabelCount[]> {
  // Every message moves its conversation's last_activity_at, so a conversation whose last
  // activity is older than the range had none in it: only the others look for a message.
  return aggregate<LabelCount>(
    db,
    sql`with active as (
      select c.id from conversations c
      where c.id in (select conversation_id from conversation_labels)
        and c.last_activity_at >= ${lo(b)} and c.created_at < ${hi(b)}
        and (c.created_at >= ${lo(b)} or exists (
          select 1 from messages m where m.conversation_id = c.id and m.created_at >= ${lo(b)} and m.created_at < ${hi(b)}
        ))
    )
    select l.id, l.name, l.color, count(a.id)::int as conversations
    from labels l
    left join conversation_labels cl on cl.label_id = l.id
    left join active a on a.id = cl.conversation_id
    group by l.id, l.name, l.color
    order by lower(l.name), l.id`,
  );
}
