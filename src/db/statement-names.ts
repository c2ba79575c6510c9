// What a database statement is called in the metrics' labels and the spans: its verb and the
// first of our tables it names ("insert messages"). Never its parameters, and never free text: the
// verbs and tables are fixed sets, so there are a few dozen names at most, whatever runs.
import { getTableName, is } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import * as schema from "./schema/index.ts";

export interface StatementName {
  /** "insert messages", or the verb alone ("select", "begin", "ddl", "other"). */
  name: string;
  verb: string;
  table: string | undefined;
}

const TABLES: ReadonlySet<string> = new Set(Object.values(schema).flatMap((value) => (is(value, PgTable) ? [getTableName(value)] : [])));
const VERBS = new Set(["select", "insert", "update", "delete", "with", "begin", "commit", "rollback", "savepoint", "release", "set", "lock"]);
/** Schema changes (the migrations at boot): one name, whatever they touch. */
const DDL = new Set(["create", "alter", "drop", "comment", "do", "truncate"]);
const FIRST_WORD = /^[\s(]*([a-z]+)/i;
const TABLE_AFTER = /\b(?:from|into|update|join|table)\s+(?:"?public"?\.)?"?([a-z_][a-z0-9_]*)"?/gi;
/** A statement with common table expressions is known by what it writes, if anything: insert first. */
const WRITES = [
  ["insert", /\binsert\s+into\s+"?([a-z_][a-z0-9_]*)"?/gi],
  ["update", /\bupdate\s+"?([a-z_][a-z0-9_]*)"?/gi],
  ["delete", /\bdelete\s+from\s+"?([a-z_][a-z0-9_]*)"?/gi],
] as const;

function firstTable(sql: string, pattern: RegExp): string | undefined {
  for (const match of sql.matchAll(pattern)) {
    const name = match[1]!.toLowerCase();
    if (TABLES.has(name)) return name;
  }
  return undefined;
}

/** The same texts come back all the time (drizzle builds each query the same way): name each once. */
const names = new Map<string, StatementName>();
const MAX_CACHED = 2000;

export function statementName(sql: string): StatementName {
  const cached = names.get(sql);
  if (cached !== undefined) return cached;
  const word = FIRST_WORD.exec(sql)?.[1]?.toLowerCase() ?? "";
  if (DDL.has(word)) return remember(sql, "ddl", undefined);
  let verb = VERBS.has(word) ? word : "other";
  let table: string | undefined;
  if (verb === "with") {
    for (const [writes, pattern] of WRITES) {
      table = firstTable(sql, pattern);
      if (table) {
        verb = writes;
        break;
      }
    }
    if (!table) verb = "select";
  }
  table ??= firstTable(sql, TABLE_AFTER);
  return remember(sql, verb, table);
}

function remember(sql: string, verb: string, table: string | undefined): StatementName {
  const name = { name: table ? `${verb} ${table}` : verb, verb, table };
  if (names.size < MAX_CACHED) names.set(sql, name);
  return name;
}
