// The SQL of the satisfaction (CSAT) figure: ratings given in the range (conversation_ratings.created_at,
// so a rating counts on the local day it was given), per local day and per agent (the assignee when
// the rated episode closed). Good = 4 (Good) or 5 (Great); the share is good / all.
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { aggregate, hi, lo, type Bounds } from "./range-sql.ts";

/** How many ratings of each value, 1..5 (index 0 is rating 1). */
export type Distribution = [number, number, number, number, number];

const byRating: SQL = sql.raw([1, 2, 3, 4, 5].map((n) => `count(*) filter (where r.rating = ${n})::int as r${n}`).join(", "));
type Counts = { r1: number; r2: number; r3: number; r4: number; r5: number };
export const distributionOf = (c: Counts): Distribution => [c.r1, c.r2, c.r3, c.r4, c.r5];

/** Every local day of the range, with the ratings given on it (0s on days without any). */
export async function csatPerDay(db: Db, b: Bounds): Promise<({ day: string } & Counts)[]> {
  const zeros = sql.raw([1, 2, 3, 4, 5].map((n) => `coalesce(n.r${n}, 0)::int as r${n}`).join(", "));
  return aggregate(
    db,
    sql`with days as (
      select i, ${b.range.from}::date + i as day, (${b.range.from}::date + i)::timestamp at time zone ${b.range.timeZone} as starts
      from generate_series(0, ${b.range.days}::int) as i
    )
    select to_char(d.day, 'YYYY-MM-DD') as day, ${zeros}
    from days d
    left join (
      select width_bucket(r.created_at, (select array_agg(starts order by i) from days)) as edge, ${byRating}
      from conversation_ratings r
      where r.created_at >= ${lo(b)} and r.created_at < ${hi(b)}
      group by 1
    ) n on n.edge = d.i + 1
    where d.i < ${b.range.days}::int
    order by d.i`,
  );
}

/** Per agent who had rated conversations in the range (null: no assignee, or the agent was deleted), most rated first. */
export async function csatPerAgent(db: Db, b: Bounds): Promise<({ agentName: string | null } & Counts)[]> {
  return aggregate(
    db,
    sql`select a.name as "agentName", ${byRating}
    from conversation_ratings r
    left join agents a on a.id = r.agent_id
    where r.created_at >= ${lo(b)} and r.created_at < ${hi(b)}
    group by r.agent_id, a.name
    order by count(*) desc, a.name nulls last`,
  );
}
