// The faces of the widget's home (issue 18 item 13): a few of the team, as initials with a first
// name, those online first. Only first names leave for the visitor's browser: full names and
// everything else about an agent stay with the team.
import { asc, isNull } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { agents } from "../db/schema/index.ts";

export interface TeamFace {
  name: string;
  initials: string;
}

const SHOWN = 3;
const TTL_MS = 30_000;
/** The active team per database handle for half a minute: every session asks, and the team rarely changes. */
const cache = new WeakMap<Db, { rows: Array<{ id: string; name: string }>; until: number }>();

async function activeTeam(db: Db, now: number) {
  const hit = cache.get(db);
  if (hit && hit.until > now) return hit.rows;
  const rows = await db.select({ id: agents.id, name: agents.name }).from(agents).where(isNull(agents.deactivatedAt)).orderBy(asc(agents.createdAt));
  cache.set(db, { rows, until: now + TTL_MS });
  return rows;
}

/** "Ana Maria Admin" -> { name: "Ana", initials: "AA" }. A name typed as an address gives only what is before its "@". */
export function faceOf(fullName: string): TeamFace {
  const words = fullName.trim().split(/\s+/).filter(Boolean).map((word) => word.split("@")[0]!).filter(Boolean);
  const first = words[0] ?? "";
  const last = words.length > 1 ? words[words.length - 1]! : "";
  return { name: first, initials: (Array.from(first)[0] ?? "").toUpperCase() + (Array.from(last)[0] ?? "").toUpperCase() };
}

/** Those online if any are (up to three), else the first three of the team. */
export async function teamFaces(db: Db, online: Set<string>, now = Date.now()): Promise<TeamFace[]> {
  const team = await activeTeam(db, now);
  const here = team.filter((agent) => online.has(agent.id));
  return (here.length ? here : team).slice(0, SHOWN).map((agent) => faceOf(agent.name));
}
