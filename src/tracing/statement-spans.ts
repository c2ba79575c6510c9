// A span per database statement, named by what it does to which table ("insert messages"), never
// by its text or parameters: statements made inside a traced frame, request or job only. Both
// drivers' clients are wrapped where drizzle calls them (postgres.js's unsafe, PGlite's query),
// transactions included; with tracing off the clients are returned as they are.
import type { PGlite } from "@electric-sql/pglite";
import { SpanKind, type Span } from "@opentelemetry/api";
import type postgres from "postgres";
import { recordingParent, spanFailed, startSpan, tracingOn } from "./tracing.ts";

const IDENTIFIER = /^[A-Za-z_][\w$]*$/;
/** A name as drizzle writes it: `"messages"`, `"drizzle"."__drizzle_migrations"` or bare. */
const NAME = String.raw`(?:"[^"]+"|[A-Za-z_][\w$]*)(?:\."[^"]+"|\.[A-Za-z_][\w$]*)?`;
const TABLE_AFTER: Record<string, RegExp> = {
  insert: new RegExp(String.raw`^insert\s+into\s+(${NAME})`, "i"),
  update: new RegExp(String.raw`^update\s+(?:only\s+)?(${NAME})`, "i"),
  delete: new RegExp(String.raw`^delete\s+from\s+(?:only\s+)?(${NAME})`, "i"),
};
/** Any other statement: the first table it reads (a name followed by "(" is a function: skipped). */
const READS = new RegExp(String.raw`\b(?:from|join)\s+(${NAME})(\s*\()?`, "gi");

/** The table of a matched name, unquoted and without its schema; undefined unless a plain identifier. */
function tableOf(name: string | undefined): string | undefined {
  const table = name?.split(".").pop()?.replaceAll('"', "");
  return table && IDENTIFIER.test(table) ? table.slice(0, 63) : undefined;
}

/**
 * What a `with` statement does: its insert when it has one (the row it exists to write), else its
 * update, else its delete, else its main select, the first outside the parentheses of its CTEs.
 */
function mainPart(text: string): string {
  if (!/^with\b/i.test(text)) return text;
  // "for update", "for no key update" and "do update" are row locks and upserts, not statements.
  for (const verb of [/\binsert\s+into\b/i, /(?<!\b(?:for|key|do)\s+)\bupdate\s/i, /\bdelete\s+from\b/i]) {
    const at = verb.exec(text)?.index;
    if (at !== undefined) return text.slice(at);
  }
  let depth = 0;
  for (const m of text.matchAll(/[()]|\bselect\b/gi)) {
    if (m[0] === "(") depth++;
    else if (m[0] === ")") depth--;
    else if (depth === 0) return text.slice(m.index);
  }
  return text;
}

function firstTable(verb: string, text: string): string | undefined {
  const own = TABLE_AFTER[verb];
  if (own) return tableOf(own.exec(text)?.[1]);
  for (const m of text.matchAll(READS)) if (!m[2]) return tableOf(m[1]);
  return undefined;
}

/** "insert messages", "select conversations", "begin": the verb and the first table, never the text. */
export function statementName(sql: string): { name: string; operation: string; table: string | undefined } {
  const text = mainPart(sql.replace(/^(?:\s+|--[^\n]*\n|\/\*[\s\S]*?\*\/)+/, ""));
  const verb = /^[A-Za-z]+/.exec(text)?.[0]?.toLowerCase() ?? "statement";
  const table = firstTable(verb, text);
  return { name: table ? `${verb} ${table}` : verb, operation: verb, table };
}

function statementSpan(sql: string): Span | undefined {
  if (!recordingParent()) return undefined;
  const { name, operation, table } = statementName(sql);
  const attributes: Record<string, string> = { "db.system.name": "postgresql", "db.operation.name": operation, "db.query.summary": name };
  if (table) attributes["db.collection.name"] = table;
  return startSpan(name, { kind: SpanKind.CLIENT, attributes });
}

function endWhenSettled(span: Span | undefined, settled: PromiseLike<unknown>): void {
  if (!span) return;
  settled.then(
    () => span.end(),
    (err: unknown) => {
      spanFailed(span, err);
      span.end();
    },
  );
}

/** Wraps the callback of begin/savepoint/transaction so the transaction's own client is traced too. */
function wrappingCallback<C>(args: unknown[], wrap: (client: C) => C): unknown[] {
  const last = args.length - 1;
  const fn = args[last] as (client: C) => unknown;
  const copy = [...args];
  copy[last] = (client: C) => fn(wrap(client));
  return copy;
}

/** postgres.js: drizzle sends each statement through `unsafe`, and transactions through `begin`/`savepoint`. */
export function tracedPostgres(client: postgres.Sql): postgres.Sql {
  if (!tracingOn()) return client;
  return new Proxy(client, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key === "unsafe") {
        return (query: string, ...rest: unknown[]) => {
          const span = statementSpan(query);
          const pending = (value as (...a: unknown[]) => postgres.PendingQuery<postgres.Row[]>).call(target, query, ...rest);
          // Awaiting it here starts it a tick early; drizzle's .values(), called at once, still applies.
          endWhenSettled(span, pending);
          return pending;
        };
      }
      if (key === "begin" || key === "savepoint") {
        return (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(target, wrappingCallback(args, tracedPostgres));
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** PGlite: drizzle sends each statement through `query`, and transactions through `transaction`. */
export function tracedPGlite<C extends Pick<PGlite, "query">>(client: C): C {
  if (!tracingOn()) return client;
  return new Proxy(client, {
    get(target, key) {
      // PGlite's getters read private fields: `this` must be the client itself, not the proxy.
      const value = Reflect.get(target, key);
      if (key === "query") {
        return (query: string, ...rest: unknown[]) => {
          const span = statementSpan(query);
          const pending = (value as (...a: unknown[]) => Promise<unknown>).call(target, query, ...rest);
          endWhenSettled(span, pending);
          return pending;
        };
      }
      if (key === "transaction") {
        return (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(target, wrappingCallback(args, (tx: C) => tracedPGlite(tx)));
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
