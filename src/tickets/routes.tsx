import { Elysia, t } from "elysia";
import type { AppContext } from "../app-context.ts";
import type { AgentSessionPlugin } from "../auth/agent-session.ts";
import { noticeFrom } from "../http/params.ts";
import { Alert } from "../../views/components/alert.tsx";
import { NewTicketPage } from "../../views/tickets/new-ticket-page.tsx";
import { CommentForm } from "../../views/tickets/ticket-comments.tsx";
import { TicketConflict } from "../../views/tickets/ticket-conflict.tsx";
import { TicketLive } from "../../views/tickets/ticket-live.tsx";
import { TicketNotFoundPage } from "../../views/tickets/ticket-not-found-page.tsx";
import { TicketPage, type TicketPageState } from "../../views/tickets/ticket-page.tsx";
import { TicketResults, type TicketListView } from "../../views/tickets/ticket-results.tsx";
import { TicketRows } from "../../views/tickets/ticket-rows.tsx";
import { TICKET_COLUMNS } from "../../views/tickets/ticket-row.tsx";
import { TicketsPage } from "../../views/tickets/tickets-page.tsx";
import { listQuery, parseFilters, refreshSize, shownCount, type ListQuery } from "./filters.ts";
import { commentForm, createForm, updateForm, valuesFromForm } from "./forms.ts";
import { PAGE_SIZE, parseTicketNumber, TicketRefused } from "./model.ts";
import * as service from "./service.ts";

type Set = { status?: number | string; headers: Record<string, unknown> };
type Headers = Record<string, string | undefined>;

/** Notices after a change went through (post/redirect/get), by the `done` query parameter. */
const NOTICES = {
  saved: "Saved.",
  unchanged: "Nothing to save: no field was changed.",
  commented: "Comment added.",
} as const;

const NumberParams = t.Object({ number: t.String() });

/** The properties form's notice, out of band. */
const PropsNotice = (props: { ticketId: string; text: string }) => (
  <p id={`ticket-props-notice-${props.ticketId}`} class="ticket-props-notice" role="status" hx-swap-oob="true" safe>
    {props.text}
  </p>
);

/** htmx swapping a part of the page, not loading or restoring a whole one. */
const isFragment = (headers: Headers) => headers["hx-request"] === "true" && headers["hx-history-restore-request"] !== "true";

/** A refusal's messages in one line (htmx shows it under the form). */
const messageOf = (err: TicketRefused) => (Object.keys(err.fields).length ? Object.values(err.fields).join(" ") : err.message);

/**
 * /tickets (the list), /tickets/new and /tickets/:number (a ticket), and the ticket verbs. Every
 * route needs an agent's session cookie; state-changing ones also pass the same-origin guard in
 * app.ts. Forms are plain posts that work without JavaScript (post/redirect/get; a refusal renders
 * the page again with what was typed); with htmx the ticket page's forms post in place.
 */
export function ticketRoutes(ctx: AppContext, session: AgentSessionPlugin) {
  const db = ctx.database.db;
  const deps: service.TicketDeps = { db, bus: ctx.bus, log: ctx.log };

  /**
   * The list for these query parameters; a filter or cursor that cannot be used is said (400), and
   * the rest is shown. A refresh (`shown`) brings as many rows as the page showed.
   */
  async function listView(agentId: string, query: ListQuery, set: Set, withAgents: boolean) {
    const parsed = parseFilters(query);
    let error = parsed.ok ? undefined : parsed.error;
    let cursor = query.cursor || null;
    if (error) set.status = 400;
    const size = refreshSize(query.shown, PAGE_SIZE);
    let page: service.ListPage;
    try {
      page = await service.listTickets(db, agentId, parsed.value, cursor, { count: !cursor, agents: withAgents }, size);
    } catch (err) {
      if (!(err instanceof TicketRefused)) throw err;
      set.status = 400;
      error = error ? `${error} ${err.message}` : err.message;
      cursor = null;
      page = await service.listTickets(db, agentId, parsed.value, null, { count: true, agents: withAgents }, size);
    }
    const list: TicketListView = { filters: parsed.value, rows: page.rows, next: page.next, total: page.total, cursor, error };
    return { list, agents: page.agents ?? [] };
  }

  /** The ticket page again after a refused post (no JavaScript), or the 404 page. */
  async function pageAgain(agent: { id: string; name: string; role: string }, number: number, state: TicketPageState, status: number, set: Set) {
    const ticket = await service.ticketDetail(db, number);
    if (!ticket) {
      set.status = 404;
      return <TicketNotFoundPage agent={agent} />;
    }
    set.status = status;
    return <TicketPage agent={agent} ticket={ticket} state={state} />;
  }

  return new Elysia({ name: "tickets", prefix: "/tickets" })
    .use(session)
    .guard({ signedIn: true })
    .get(
      "",
      async ({ agent, query, headers, set }) => {
        // htmx (the filters changing, the list refreshing itself) gets the results alone; a load, a
        // reload or the back button the page.
        set.headers.vary = "HX-Request, HX-History-Restore-Request";
        const fragment = isFragment(headers);
        const { list, agents } = await listView(agent.id, query, set, !fragment);
        if (fragment) return <TicketResults list={list} />;
        return <TicketsPage agent={agent} list={list} agents={agents} />;
      },
      { query: listQuery },
    )
    .get(
      "/more",
      // "Load more": the next page's rows, which replace the link's row (`shown`: the rows above it).
      async ({ agent, query, set }) => {
        const parsed = parseFilters(query);
        try {
          if (!parsed.ok) throw new TicketRefused("invalid", parsed.error);
          const page = await service.listTickets(db, agent.id, parsed.value, query.cursor || null, { count: false, agents: false });
          return <TicketRows rows={page.rows} next={page.next} filters={parsed.value} first={false} shown={shownCount(query.shown) + page.rows.length} />;
        } catch (err) {
          if (!(err instanceof TicketRefused)) throw err;
          set.status = 400;
          return (
            <tr class="tickets-error">
              <td colspan={String(TICKET_COLUMNS.length)}>
                <Alert message={err.message} />
              </td>
            </tr>
          );
        }
      },
      { query: listQuery },
    )
    .get(
      "/new",
      async ({ agent, query, set }) => {
        try {
          const form = await service.newTicketForm(db, agent, query.conversation || null);
          return <NewTicketPage agent={agent} context={form.context} values={form.values} />;
        } catch (err) {
          if (!(err instanceof TicketRefused)) throw err;
          set.status = 404;
          return <TicketNotFoundPage agent={agent} what="conversation" />;
        }
      },
      { query: t.Object({ conversation: t.Optional(t.String({ maxLength: 100 })) }) },
    )
    .post(
      "",
      async ({ agent, body, set, redirect }) => {
        const values = valuesFromForm(body);
        try {
          const ticket = await service.createTicket(deps, agent, values);
          ctx.log.info("ticket created", { ticket: ticket.number, by: agent.id });
          return redirect(`/tickets/${ticket.number}`, 303);
        } catch (err) {
          if (!(err instanceof TicketRefused)) throw err;
          const context = await service.formContext(db, values.conversationId);
          if (err.code === "conversation_not_found" || err.code === "not_found" || !context) {
            set.status = 404;
            return <TicketNotFoundPage agent={agent} what="conversation" />;
          }
          set.status = err.status;
          return err.code === "unclosed_exists" ? (
            <NewTicketPage agent={agent} context={context} values={values} conflict={{ message: err.message, existing: err.existing }} />
          ) : (
            <NewTicketPage agent={agent} context={context} values={values} errors={err.fields} />
          );
        }
      },
      { body: createForm },
    )
    .get(
      "/:number",
      async ({ agent, params, query, headers, set }) => {
        const number = parseTicketNumber(params.number);
        const ticket = number === null ? undefined : await service.ticketDetail(db, number);
        if (!ticket) {
          set.status = 404;
          return <TicketNotFoundPage agent={agent} />;
        }
        // The page's catch-up after its socket reconnected: its live parts, whole (out of band).
        if (query.part === "live" && isFragment(headers)) return <TicketLive ticket={ticket} history={ticket.history} comments={ticket.comments} />;
        return <TicketPage agent={agent} ticket={ticket} state={{ notice: noticeFrom(NOTICES, query.done) }} />;
      },
      { params: NumberParams, query: t.Object({ done: t.Optional(t.String({ maxLength: 20 })), part: t.Optional(t.String({ maxLength: 20 })) }) },
    )
    .post(
      "/:number",
      // Status, priority, assignee. htmx: the page's live parts and a notice, in place (out of
      // band), and the last refusal gone.
      async ({ agent, params, body, headers, set, redirect }) => {
        const htmx = headers["hx-request"] === "true";
        const number = parseTicketNumber(params.number);
        try {
          if (number === null) throw new TicketRefused("not_found", "This ticket does not exist.");
          const result = await service.updateTicket(deps, agent, number, body);
          if (!htmx) return redirect(`/tickets/${number}?done=${result.changed ? "saved" : "unchanged"}`, 303);
          // The push failed: the page reloads instead of showing a change it did not get.
          if (result.changed && result.live === null) set.headers["hx-refresh"] = "true";
          return (
            <>
              {(result.live ?? "") as "safe"}
              <PropsNotice ticketId={result.ticket.id} text={result.changed ? NOTICES.saved : NOTICES.unchanged} />
              <div id={`ticket-props-error-${result.ticket.id}`} hx-swap-oob="innerHTML"></div>
            </>
          );
        } catch (err) {
          if (!(err instanceof TicketRefused)) throw err;
          if (htmx || number === null) {
            set.status = err.status;
            if (err.code === "unclosed_exists") return <TicketConflict message={err.message} existing={err.existing} />;
            if (number === null) return <TicketNotFoundPage agent={agent} />;
            return <Alert message={messageOf(err)} />;
          }
          const state: TicketPageState = err.code === "unclosed_exists" ? { conflict: { message: err.message, existing: err.existing } } : { errors: err.fields };
          return pageAgain(agent, number, state, err.status, set);
        }
      },
      { params: NumberParams, body: updateForm },
    )
    .post(
      "/:number/comments",
      async ({ agent, params, body, headers, set, redirect }) => {
        const htmx = headers["hx-request"] === "true";
        const number = parseTicketNumber(params.number);
        try {
          if (number === null) throw new TicketRefused("not_found", "This ticket does not exist.");
          const result = await service.addComment(deps, agent, number, body.body);
          if (!htmx) return redirect(`/tickets/${number}?done=commented`, 303);
          if (result.live === null) set.headers["hx-refresh"] = "true";
          set.status = 201;
          // A fresh form in place of the one posted; the comment comes with the live parts.
          return (
            <>
              <CommentForm ticketId={result.ticket.id} number={number} />
              {(result.live ?? "") as "safe"}
            </>
          );
        } catch (err) {
          if (!(err instanceof TicketRefused)) throw err;
          if (htmx || number === null || err.code === "not_found") {
            set.status = err.status;
            return htmx ? <Alert message={messageOf(err)} /> : <TicketNotFoundPage agent={agent} />;
          }
          return pageAgain(agent, number, { comment: { value: body.body ?? "", error: messageOf(err) } }, err.status, set);
        }
      },
      { params: NumberParams, body: commentForm },
    );
}
