// One error handler for every route (ARCHITECTURE.md §8). It is registered globally and before any
// route plugin (Elysia runs a hook only for routes registered after it unless it is global), so no
// route can answer with Elysia's default error body, which would show SQL, parameters or a stack.
import { Elysia, ValidationError } from "elysia";
import { Alert } from "../../views/components/alert.tsx";
import { ErrorPage } from "../../views/errors/error-page.tsx";
import type { Logger } from "../log/logger.ts";
import { errorMessage } from "../log/logger.ts";
import { BadInput, Refusal } from "./refusal.ts";
import { routeOf } from "./route-of.ts";

/** The error body of the JSON API (docs/widget-protocol.md). */
export interface ApiError {
  error: { code: string; message: string; retryAfter?: number; fields?: string[]; errorId?: string };
}

/** Where the failure is explained: JSON for the API, a page for browsers. */
function wantsJson(request: Request, path: string): boolean {
  return path.startsWith("/api/") || (request.headers.get("accept") ?? "").startsWith("application/json");
}

/** htmx swapping a part of the page (not restoring a whole page from its history). */
function isFragmentRequest(request: Request): boolean {
  return request.headers.get("hx-request") === "true" && request.headers.get("hx-history-restore-request") !== "true";
}

/**
 * The names of the fields a validation error is about ("user.email"), never their values. A
 * numeric query field is checked on its own after conversion, without its path: such schemas
 * carry their field's name as `title`.
 */
export function fieldsOf(error: ValidationError): string[] {
  const title = (error.validator as { title?: unknown } | undefined)?.title;
  const names = new Set<string>();
  for (const issue of error.all) {
    const path = "path" in issue && typeof issue.path === "string" ? issue.path : "";
    const name = path.replace(/^\//, "").replaceAll("/", ".");
    names.add(name || (typeof title === "string" ? title : error.type));
  }
  return [...names].slice(0, 20);
}

interface Answer {
  status: number;
  code: string;
  title: string;
  message: string;
  fields?: string[];
  retryAfter?: number;
  errorId?: string;
}

/** `set.status` too, so that the request log records the status this answer has. */
function respond(request: Request, path: string, set: { status?: number | string }, answer: Answer): Response | Promise<Response> {
  set.status = answer.status;
  const headers: Record<string, string> = {};
  if (answer.retryAfter) headers["retry-after"] = String(answer.retryAfter);
  if (wantsJson(request, path)) {
    const body: ApiError = {
      error: {
        code: answer.code,
        message: answer.message,
        ...(answer.retryAfter ? { retryAfter: answer.retryAfter } : {}),
        ...(answer.fields ? { fields: answer.fields } : {}),
        ...(answer.errorId ? { errorId: answer.errorId } : {}),
      },
    };
    return Response.json(body, { status: answer.status, headers });
  }
  return renderPage(answer.status, ErrorPage({ title: answer.title, message: answer.message, fields: answer.fields, errorId: answer.errorId }), headers);
}

async function renderPage(status: number, page: JSX.Element | string, headers: Record<string, string> = {}): Promise<Response> {
  return new Response(await page, { status, headers: { ...headers, "content-type": "text/html; charset=utf-8" } });
}

/** Maps every error to an answer; unknown ones are logged with an id and answered with only that id. */
export function errorHandler(log: Logger) {
  return new Elysia({ name: "http.error-handler" }).onError({ as: "global" }, ({ code, error, request, path, route, set }) => {
    if (code === "NOT_FOUND") {
      return respond(request, path, set, { status: 404, code: "not_found", title: "Page not found", message: "There is nothing at this address." });
    }
    if (error instanceof ValidationError) {
      const fields = fieldsOf(error);
      return respond(request, path, set, {
        status: 400,
        code: "bad_request",
        title: "Bad request",
        message: `The request was refused: ${fields.join(", ")} ${fields.length === 1 ? "is" : "are"} not valid here.`,
        fields,
      });
    }
    if (code === "PARSE") {
      return respond(request, path, set, { status: 400, code: "bad_request", title: "Bad request", message: "The request body could not be read." });
    }
    if (error instanceof BadInput) {
      return respond(request, path, set, { status: 400, code: error.code, title: "Bad request", message: error.message, fields: error.fields });
    }
    if (error instanceof Refusal) {
      set.status = error.status;
      if (error.location) return new Response(null, { status: error.status, headers: { location: error.location } });
      if (error.page && !wantsJson(request, path)) return renderPage(error.status, error.page());
      // htmx puts the answer where the result would have gone (the page's forms say where): the
      // refusal is said there, as an alert, and the rest of the page stays.
      if (!wantsJson(request, path) && (error.alert !== undefined || isFragmentRequest(request))) {
        return renderPage(error.status, <Alert message={error.alert ?? error.message} />, error.retryAfter ? { "retry-after": String(error.retryAfter) } : {});
      }
      return respond(request, path, set, { status: error.status, code: error.code, title: "Request refused", message: error.message, retryAfter: error.retryAfter });
    }
    const errorId = crypto.randomUUID().slice(0, 8);
    log.error("request failed", { errorId, method: request.method, route: routeOf(route, path), error: errorMessage(error) });
    return respond(request, path, set, {
      status: 500,
      code: "server_error",
      title: "Something went wrong",
      message: "Something went wrong on our side. Please try again; if it keeps happening, tell your admin this error id.",
      errorId,
    });
  });
}
