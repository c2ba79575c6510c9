import { Elysia, t } from "elysia";
import { conversationDeps, type AppContext } from "../app-context.ts";
import type { AgentSessionPlugin } from "../auth/agent-session.ts";
import { Refusal } from "../http/refusal.ts";
import { Alert } from "../../views/components/alert.tsx";
import { ConversationPane } from "../../views/conversations/conversation-pane.tsx";
import { ConversationNotice, ConversationStatus, UnassignedNotice } from "../../views/conversations/conversation-status.tsx";
import { Composer } from "../../views/conversations/composer.tsx";
import { unsentUploads } from "../files/queries.ts";
import { MessagesPush } from "../../views/conversations/message-item.tsx";
import { InboxListAnswer, type InboxListView } from "../../views/inbox/inbox-list.tsx";
import { InboxPage } from "../../views/inbox/inbox-page.tsx";
import { ConversationRefused, DEFAULT_TAB, isUuid, TABS, type Tab } from "./model.ts";
import * as service from "./service.ts";
import { headerAfterVerb } from "./verb-answer.tsx";

const IdParams = t.Object({ id: t.String() });

/** /inbox: an unknown tab falls back to the default; a search too long is refused by the service. */
const ListQuery = t.Object({
  tab: t.Optional(t.String()),
  q: t.Optional(t.String()),
  cursor: t.Optional(t.String({ maxLength: 200 })),
  label: t.Optional(t.String({ maxLength: 100 })),
});

/** The label filter: a label's id, or none (anything else is no filter, as an unknown tab is the default one). */
const labelOf = (value: string | undefined) => (isUuid(value) ? value : null);

/**
 * The agents' inbox: pages, fragments for htmx, and the conversation verbs. Every route needs
 * an agent's session cookie (a visitor's token is no key here); state-changing ones also pass
 * the same-origin guard in app.ts. A verb that did nothing throws its refusal, which the error
 * handler answers with its status where the verb's result would have gone.
 */
export function conversationRoutes(ctx: AppContext, session: AgentSessionPlugin) {
  const deps = conversationDeps(ctx);

  /** The current header after a verb. */
  const afterVerb = async (id: string, verb: () => Promise<service.VerbResult>) => headerAfterVerb(ctx.database.db, id, await verb());

  /**
   * Unassign and its Undo answer into the header's notice (their buttons aim there, as a push
   * may replace the state's block first): after Unassign, its Undo; after Undo, nothing. The new
   * state comes out of band.
   */
  async function intoNotice(id: string, verb: () => Promise<service.VerbResult & { undo?: service.UnassignUndo }>) {
    const result = await verb();
    const summary = result.summary ?? (await service.summary(ctx.database.db, id));
    return (
      <>
        {result.undo ? <UnassignedNotice conversationId={id} {...result.undo} /> : <ConversationNotice conversationId={id} />}
        {summary ? <ConversationStatus summary={summary} oob /> : ""}
      </>
    );
  }

  /**
   * The list of the inbox: the rows and the tab counts in one statement, or the counts and why
   * there are no rows (a search too long, a bad cursor: 400).
   */
  async function inboxList(
    agentId: string,
    tab: Tab,
    query: { q?: string; cursor?: string; until?: string },
    set: { status?: number | string },
    filter: { label?: string | null; withLabels?: boolean } = {},
  ): Promise<InboxListView> {
    const q = query.q?.trim() ?? "";
    const cursor = query.cursor || null;
    const until = query.until || null;
    const label = filter.label ?? null;
    try {
      const { rows, next, last, counts, labels } = await service.inboxList(ctx.database.db, agentId, tab, cursor, q, undefined, until, filter);
      return { tab, q, label, labels, rows, next, last, counts, cursor, until };
    } catch (err) {
      if (!(err instanceof ConversationRefused)) throw err;
      set.status = err.status;
      return { tab, q, label, rows: [], next: null, counts: await service.tabCounts(ctx.database.db, agentId), error: err.message };
    }
  }

  return new Elysia({ name: "conversations", prefix: "/inbox" })
    .use(session)
    .guard({ signedIn: true })
    // --- the list (tabs, search, counts, a queued row's Claim) ---
    .get(
      "",
      async ({ agent, query, set }) => {
        const tab = (TABS as readonly string[]).includes(query.tab ?? "") ? (query.tab as Tab) : DEFAULT_TAB;
        // The labels for the filter come with the rows: a page is one statement.
        const list = await inboxList(agent.id, tab, query, set, { label: labelOf(query.label), withLabels: true });
        return <InboxPage agent={agent} list={list} labels={list.labels} />;
      },
      { query: ListQuery },
    )
    .get(
      "/list",
      // A page of the list (a search, "Load more", a refresh), for the agent who asks, with the
      // tab bar and the list's state out of band.
      async ({ agent, query, set }) => (
        <InboxListAnswer list={await inboxList(agent.id, query.tab, query, set, { label: labelOf(query.label) })} viewerId={agent.id} selectedId={query.selected} />
      ),
      {
        query: t.Object({
          tab: t.UnionEnum(TABS),
          cursor: t.Optional(t.String({ maxLength: 200 })),
          until: t.Optional(t.String({ maxLength: 200 })),
          q: t.Optional(t.String()),
          selected: t.Optional(t.String({ maxLength: 36 })),
          label: t.Optional(t.String({ maxLength: 100 })),
        }),
      },
    )
    .post(
      "/c/:id/accept",
      // A queued row's Claim (the path keeps its first name, /accept): claims, then opens the
      // conversation (htmx: into #pane, with the URL pushed; without JavaScript: a redirect). Lost
      // to a colleague: 409 and who took it, above the list.
      async ({ agent, params, headers, set, redirect }) => {
        const htmx = headers["hx-request"] === "true";
        await service.claim(deps, agent, params.id).catch((err: unknown) => {
          // Without JavaScript the agent goes to the conversation anyway, and sees there who has it.
          if (htmx || !(err instanceof ConversationRefused && err.code === "taken")) throw err;
        });
        if (!htmx) return redirect(`/inbox/c/${params.id}`, 303);
        set.headers["hx-location"] = JSON.stringify({ path: `/inbox/c/${params.id}`, target: "#pane", swap: "innerHTML" });
        return "";
      },
      { params: IdParams },
    )
    .get(
      "/c/:id",
      async ({ agent, params, headers, set }) => {
        const data = isUuid(params.id) ? await service.conversationPane(ctx.database.db, params.id) : undefined;
        if (!data) set.status = 404;
        const pane = data ? (
          <ConversationPane {...data} viewerId={agent.id} now={new Date()} clientId={crypto.randomUUID()} />
        ) : (
          <Alert message="This conversation does not exist." />
        );
        // htmx swapping #pane gets the pane alone; a direct load, a reload or htmx restoring history
        // (which swaps the whole body) gets the inbox page with this conversation open.
        set.headers.vary = "HX-Request, HX-History-Restore-Request";
        const fragment = headers["hx-request"] === "true" && headers["hx-history-restore-request"] !== "true";
        if (fragment) return pane;
        return <InboxPage agent={agent} pane={pane} selectedId={data?.summary.id} labels={data?.labels} />;
      },
      { params: IdParams },
    )
    .post("/c/:id/claim", ({ agent, params }) => afterVerb(params.id, () => service.claim(deps, agent, params.id)), { params: IdParams })
    .post("/c/:id/assign", ({ agent, params, body }) => afterVerb(params.id, () => service.assign(deps, agent, params.id, body.agentId)), {
      params: IdParams,
      body: t.Object({ agentId: t.String() }),
    })
    .post("/c/:id/unassign", ({ agent, params }) => intoNotice(params.id, () => service.unassign(deps, agent, params.id)), { params: IdParams })
    .post("/c/:id/undo-unassign", ({ agent, params, body }) => intoNotice(params.id, () => service.undoUnassign(deps, agent, params.id, body.event)), {
      params: IdParams,
      body: t.Object({ event: t.String({ maxLength: 100 }) }),
    })
    .post("/c/:id/close", ({ agent, params }) => afterVerb(params.id, () => service.close(deps, agent, params.id)), { params: IdParams })
    .post("/c/:id/reopen", ({ agent, params }) => afterVerb(params.id, () => service.reopen(deps, agent, params.id)), { params: IdParams })
    .post(
      "/c/:id/messages",
      // The reply form (views/conversations/composer.tsx): the reply joins the transcript and a
      // fresh form replaces this one, both out of band. Refused, the form comes back with the text,
      // the same clientId and why; an unknown conversation is the error handler's 404.
      async ({ agent, params, body, set }) => {
        // Without a clientId (a plain form post) a resubmitted form is not recognised as a retry.
        const clientId = body.clientId || crypto.randomUUID();
        const ids = body.files === undefined ? [] : [body.files].flat();
        const files = ids.length ? { ids, owner: { agentId: agent.id }, max: ctx.config.attachments.maxFiles } : undefined;
        try {
          const { message } = await service.agentSends(deps, agent, params.id, clientId, body.body ?? "", files);
          set.status = 201;
          return (
            <>
              <MessagesPush conversationId={params.id} messages={[message]} viewerId={agent.id} />
              <Composer conversationId={params.id} clientId={crypto.randomUUID()} oob />
            </>
          );
        } catch (err) {
          if (!(err instanceof Refusal) || err.status === 404) throw err;
          set.status = err.status;
          // The form again as it was: the text, and the files still waiting to be sent.
          const pending = await unsentUploads(ctx.database.db, ids, agent.id);
          return <Composer conversationId={params.id} clientId={clientId} text={body.body} files={pending} error={err.alert ?? err.message} oob />;
        }
      },
      { params: IdParams, body: t.Object({ body: t.Optional(t.String()), clientId: t.Optional(t.String()), files: t.Optional(t.Union([t.String(), t.Array(t.String(), { maxItems: 100 })])) }) },
    )
    .post(
      "/c/:id/viewed",
      async ({ params, body, set }) => {
        if (!isUuid(params.id)) {
          set.status = 404;
          return "";
        }
        await service.markViewed(deps, params.id, body.seq);
        set.status = 204;
        return "";
      },
      { params: IdParams, body: t.Object({ seq: t.Integer({ minimum: 0, maximum: 2 ** 31 - 1, title: "seq" }) }) },
    );
}
