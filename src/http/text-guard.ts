// PostgreSQL's text cannot hold a NUL character, and a lone UTF-16 surrogate breaks a JSON
// parameter: a query with either fails, which used to surface as a 500 with the statement. No
// person types one, so every route refuses them up front, by field name.
import { Elysia } from "elysia";
import { BadInput } from "./refusal.ts";

/** Far deeper than any form or JSON body we accept; deeper input is refused, not walked. */
const MAX_DEPTH = 8;

/**
 * Whether PostgreSQL can store `text` as it is: no NUL, and well-formed UTF-16 (a lone surrogate,
 * half of an emoji, makes a JSON parameter unreadable to the database).
 */
export function storableText(text: string): boolean {
  return !text.includes("\u0000") && text.isWellFormed();
}

/** The dotted paths of every string in `value` that is not storableText, e.g. ["user.name"]. */
export function fieldsNotStorable(value: unknown, path = "", depth = 0, found: string[] = []): string[] {
  if (typeof value === "string") {
    if (!storableText(value)) found.push(path || "value");
  } else if (typeof value === "object" && value !== null && !(value instanceof Blob) && !(value instanceof ArrayBuffer)) {
    if (depth >= MAX_DEPTH) found.push(path || "value");
    else for (const [key, item] of Object.entries(value)) fieldsNotStorable(item, path ? `${path}.${key}` : key, depth + 1, found);
  }
  return found;
}

/** Runs after the body is parsed and before it is validated, for every route. */
export function textGuard() {
  return new Elysia({ name: "http.text-guard" }).onTransform({ as: "global" }, ({ body, query, params }) => {
    const fields = [...fieldsNotStorable(params), ...fieldsNotStorable(query), ...fieldsNotStorable(body)];
    if (fields.length) throw new BadInput("Text may not contain NUL characters (U+0000) or half of a character (a lone surrogate).", [...new Set(fields)].slice(0, 20));
  });
}
