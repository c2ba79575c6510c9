import { Elysia } from "elysia";
import type { AppContext } from "../app-context.ts";
import type { AgentSessionPlugin } from "../auth/agent-session.ts";
import { idParams } from "../http/params.ts";
import { Refusal } from "../http/refusal.ts";
import { Composer } from "../../views/conversations/composer.tsx";
import { unsentUploads } from "../files/queries.ts";
import { NotePush } from "../../views/notes/note-item.tsx";
import { TeammateOptions } from "../../views/notes/mentions-list.tsx";
import { NotificationsMenu, NotificationsPush } from "../../views/notes/notifications-menu.tsx";
import { noteForm, teammateQuery } from "./model.ts";
import * as service from "./service.ts";

/**
 * Private notes and the notifications they make, for signed-in agents: POST /inbox/c/:id/notes
 * (the composer in note mode), GET /inbox/c/:id/teammates?q= (the `@` list's options), and the
 * header's notifications menu: GET /notifications (the menu), GET /notifications/:id (marks it
 * read, then the conversation), POST /notifications/read (all of them read).
 */
export function noteRoutes(ctx: AppContext, session: AgentSessionPlugin) {
  const deps: service.NoteDeps = { db: ctx.database.db, bus: ctx.bus, clock: ctx.jobWorker.clock };
  return new Elysia({ name: "notes" })
    .use(session)
    .guard({ signedIn: true })
    .post(
      "/inbox/c/:id/notes",
      // As the reply form: the note joins the timeline and a fresh form (still in note mode, so
      // that the next thing typed is not sent to the customer by surprise) replaces this one.
      // Files waiting in the form are not a note's: they stay in the fresh form for a reply.
      async ({ agent, params, body, set }) => {
        const clientId = body.clientId || crypto.randomUUID();
        const ids = body.files === undefined ? [] : [body.files].flat();
        const waiting = () => (ids.length ? unsentUploads(deps.db, ids, agent.id) : Promise.resolve([]));
        try {
          const note = await service.addNote(deps, agent, params.id, clientId, body.body ?? "");
          set.status = 201;
          return (
            <>
              <NotePush note={note} />
              <Composer conversationId={params.id} clientId={crypto.randomUUID()} files={await waiting()} note oob />
            </>
          );
        } catch (err) {
          if (!(err instanceof Refusal) || err.status === 404) throw err;
          set.status = err.status;
          return <Composer conversationId={params.id} clientId={clientId} text={body.body} files={await waiting()} note error={err.message} oob />;
        }
      },
      { params: idParams, body: noteForm },
    )
    .get(
      "/inbox/c/:id/teammates",
      async ({ agent, params, query, set }) => {
        const found = await service.teammates(deps.db, agent, params.id, query.q ?? "");
        if (!found) {
          set.status = 404;
          return "";
        }
        set.headers["cache-control"] = "no-store";
        return <TeammateOptions conversationId={params.id} teammates={found} />;
      },
      { params: idParams, query: teammateQuery },
    )
    .get("/notifications", async ({ agent, set }) => {
      set.headers["cache-control"] = "no-store";
      return <NotificationsMenu view={await service.notificationsView(deps.db, agent.id)} />;
    })
    .get(
      "/notifications/:id",
      async ({ agent, params, redirect }) => {
        const conversationId = await service.openNotification(deps, agent.id, params.id);
        return redirect(conversationId ? `/inbox/c/${conversationId}` : "/inbox", 303);
      },
      { params: idParams },
    )
    .post("/notifications/read", async ({ agent }) => {
      await service.markAllRead(deps, agent.id);
      return <NotificationsPush view={await service.notificationsView(deps.db, agent.id)} />;
    });
}
