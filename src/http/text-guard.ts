// PostgreSQL's text cannot hold a NUL character: a query with one fails, which used to surface as
// a 500 with the statement. No person types one, so every route refuses it up front, by field name.
import { Elysia } from "elysia";
import { BadInput } from "./refusal.ts";

/** Far deeper than any form or JSON body we accept; deeper input is refused, not walked. */
const MAX_DEPTH = 8;

/** The dotted paths of every string in `value` that holds a NUL, e.g. ["user.name"]. */
export function fieldsWithNul(value: unknown, path = "", depth = 0, found: string[] = []): string[] {
  if (typeof value === "string") {
    if (value.includes("\u0000")) found.push(path || "value");
  } else if (typeof value === "object" && value !== null && !(value instanceof Blob) && !(value instanceof ArrayBuffer)) {
    if (depth >= MAX_DEPTH) found.push(path || "value");
    else for (const [key, item] of Object.entries(value)) fieldsWithNul(item, path ? `${path}.${key}` : key, depth + 1, found);
  }
  return found;
}

/** Runs after the body is parsed and before it is validated, for every route. */
export function textGuard() {
  return new Elysia({ name: "http.text-guard" }).onTransform({ as: "global" }, ({ body, query, params }) => {
    const fields = [...fieldsWithNul(params), ...fieldsWithNul(query), ...fieldsWithNul(body)];
    if (fields.length) throw new BadInput("Text may not contain NUL characters (U+0000).", [...new Set(fields)].slice(0, 20));
  });
}
