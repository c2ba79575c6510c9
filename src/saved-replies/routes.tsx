import { Elysia, t } from "elysia";
import type { AppContext } from "../app-context.ts";
import type { AgentSessionPlugin } from "../auth/agent-session.ts";
import { idParams, noticeFrom } from "../http/params.ts";
import type { Agent } from "../agents/service.ts";
import { SavedReplyOptions } from "../../views/conversations/saved-replies-list.tsx";
import { SavedRepliesPage, type SavedRepliesPageProps } from "../../views/settings/saved-replies-page.tsx";
import { SavedReplyEditPage } from "../../views/settings/saved-reply-edit-page.tsx";
import { SavedReplyResults } from "../../views/settings/saved-reply-results.tsx";
import { LIMITS, replyForm, scopeOf, searchQuery } from "./model.ts";
import * as service from "./service.ts";

/** Fixed confirmations after a redirect (post/redirect/get): the query names one, never carries text. */
const NOTICES = {
  added: "The saved reply was added.",
  saved: "The saved reply was saved.",
  deleted: "The saved reply was deleted.",
} as const;

/** htmx swapping a part of the page, not loading or restoring a whole one. */
const isFragment = (headers: Record<string, string | undefined>) => headers["hx-request"] === "true" && headers["hx-history-restore-request"] !== "true";

/**
 * Saved replies: /settings/replies (the list, its search, add, edit, delete), for every signed-in
 * agent, with the team's replies written by admins only (the service answers 403); and the
 * composer's list, GET /inbox/c/:id/saved-replies?q=. Forms are plain posts that work without
 * scripts (post/redirect/get; a refused one comes back with what was typed and why, 422).
 */
export function savedReplyRoutes(ctx: AppContext, session: AgentSessionPlugin) {
  const db = ctx.database.db;

  async function listPage(me: Agent, q: string, extra: Omit<SavedRepliesPageProps, "me" | "lists" | "q"> = {}) {
    return <SavedRepliesPage me={me} lists={await service.listReplies(db, me, q)} q={q} {...extra} />;
  }

  return new Elysia({ name: "saved-replies" })
    .use(session)
    .guard({ signedIn: true })
    .get(
      "/settings/replies",
      async ({ agent, query, headers, set }) => {
        const q = query.q?.trim() ?? "";
        set.headers.vary = "HX-Request, HX-History-Restore-Request";
        if (isFragment(headers)) return <SavedReplyResults lists={await service.listReplies(db, agent, q)} q={q} admin={agent.role === "admin"} />;
        return listPage(agent, q, { notice: noticeFrom(NOTICES, query.done) });
      },
      { query: searchQuery },
    )
    .post(
      "/settings/replies",
      async ({ agent, body, set, redirect }) => {
        const result = await service.createReply(db, agent, scopeOf(body), body);
        if (result.ok) return redirect("/settings/replies?done=added", 303);
        set.status = 422;
        return listPage(agent, "", { form: { values: body, errors: result.errors } });
      },
      { body: replyForm },
    )
    .get("/settings/replies/:id", async ({ agent, params }) => <SavedReplyEditPage me={agent} reply={await service.replyToEdit(db, agent, params.id)} />, {
      params: idParams,
    })
    .post(
      "/settings/replies/:id",
      async ({ agent, params, body, set, redirect }) => {
        const result = await service.updateReply(db, agent, params.id, body);
        if (result.ok) return redirect("/settings/replies?done=saved", 303);
        set.status = 422;
        return <SavedReplyEditPage me={agent} reply={await service.replyToEdit(db, agent, params.id)} form={{ values: body, errors: result.errors }} />;
      },
      { params: idParams, body: replyForm },
    )
    .post(
      "/settings/replies/:id/delete",
      async ({ agent, params, redirect }) => {
        await service.deleteReply(db, agent, params.id);
        return redirect("/settings/replies?done=deleted", 303);
      },
      { params: idParams },
    )
    .get(
      "/inbox/c/:id/saved-replies",
      // The options of the composer's `/` list (views/conversations/saved-replies-list.tsx), for
      // public/saved-replies.js to swap in: ranked here, filled in for this conversation.
      async ({ agent, params, query, set }) => {
        const q = query.q ?? "";
        const suggestions = await service.suggestions(db, agent, params.id, q);
        if (!suggestions) {
          set.status = 404;
          return "";
        }
        set.headers["cache-control"] = "no-store";
        return <SavedReplyOptions conversationId={params.id} suggestions={suggestions} query={q.trim()} />;
      },
      { params: idParams, query: t.Object({ q: t.Optional(t.String({ maxLength: LIMITS.search })) }) },
    );
}
