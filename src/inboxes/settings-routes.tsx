import { accountTimeZone } from "../analytics/time-zone.ts";
import { Elysia, t } from "elysia";
import { conversationDeps, type AppContext } from "../app-context.ts";
import type { AgentSessionPlugin } from "../auth/agent-session.ts";
import { isUuid } from "../conversations/model.ts";
import { idParams, noticeFrom } from "../http/params.ts";
import { InboxEditPage } from "../../views/settings/inbox-edit-page.tsx";
import { InboxNotFoundPage } from "../../views/settings/inbox-not-found-page.tsx";
import { InboxSettingsPage } from "../../views/settings/inbox-settings-page.tsx";
import { faqRowsRoute } from "./faq-rows-route.tsx";
import { inboxSettingsForm, newInboxForm, parseInboxSettings, parseNewInboxName, valuesFromForm, valuesFromInbox } from "./model.ts";
import * as service from "./service.ts";

type Set = { status?: number | string };

/** Notices after a change went through (post/redirect/get), by the `done` query parameter. */
const NOTICES = {
  saved: "Saved. The widget uses the new settings from the next message on.",
  created: "Inbox created. Set it up below, then put its snippet on your website.",
  secret: "A new identity secret was made. Give it to your website's server: user hashes and identity tokens made with the old one are refused now.",
} as const;

const SettingsQuery = t.Object({ done: t.Optional(t.String({ maxLength: 20 })) });

/**
 * /settings and the inboxes' settings. Every signed-in agent sees the inboxes and their snippets;
 * changing an inbox takes an admin (`adminOnly`: 403 page for agents). State-changing posts also
 * pass the same-origin guard (app.ts).
 */
export function inboxSettingsRoutes(ctx: AppContext, session: AgentSessionPlugin) {
  const db = ctx.database.db;
  const publicUrl = ctx.config.publicUrl.href;
  const email = { smtp: ctx.mailer !== null, inbound: ctx.config.email.inboundDomain !== null };

  /** The inbox, or null after setting the 404 status. */
  async function inboxOr404(id: string, set: Set) {
    const inbox = isUuid(id) ? await service.findInbox(db, id) : undefined;
    if (!inbox) set.status = 404;
    return inbox ?? null;
  }

  return new Elysia({ name: "inbox-settings", prefix: "/settings" })
    .use(session)
    .use(faqRowsRoute(ctx, session))
    .guard({ signedIn: true }, (everyAgent) =>
      everyAgent.get("", async ({ agent }) => {
        const inboxes = await service.listInboxes(db);
        return <InboxSettingsPage agent={agent} inboxes={inboxes} publicUrl={publicUrl} />;
      }),
    )
    .guard({ adminOnly: true })
    .post(
      "/inboxes",
      async ({ agent, body, set, redirect }) => {
        const parsed = parseNewInboxName(body);
        if (!parsed.ok) {
          set.status = 422;
          const inboxes = await service.listInboxes(db);
          return <InboxSettingsPage agent={agent} inboxes={inboxes} publicUrl={publicUrl} newInbox={{ name: body.name ?? "", error: parsed.error }} />;
        }
        const inbox = await service.createInbox(db, parsed.name);
        ctx.log.info("inbox created", { inbox: inbox.id, by: agent.id });
        return redirect(`/settings/inboxes/${inbox.id}?done=created`, 303);
      },
      { body: newInboxForm },
    )
    .get(
      "/inboxes/:id",
      async ({ agent, params, query, set }) => {
        const inbox = await inboxOr404(params.id, set);
        if (!inbox) return <InboxNotFoundPage agent={agent} />;
        const notice = noticeFrom(NOTICES, query.done);
        return <InboxEditPage agent={agent} inbox={inbox} values={valuesFromInbox(inbox)} notice={notice} publicUrl={publicUrl} email={email} accountZone={await accountTimeZone(ctx)} />;
      },
      { params: idParams, query: SettingsQuery },
    )
    .post(
      "/inboxes/:id",
      async ({ agent, params, body, set, redirect }) => {
        const values = valuesFromForm(body);
        const parsed = parseInboxSettings(values);
        if (!parsed.ok) {
          // The inbox is needed only to show the form again (and a missing one is still a 404).
          const inbox = await inboxOr404(params.id, set);
          if (!inbox) return <InboxNotFoundPage agent={agent} />;
          set.status = 422;
          return <InboxEditPage agent={agent} inbox={inbox} values={values} errors={parsed.errors} publicUrl={publicUrl} email={email} accountZone={await accountTimeZone(ctx)} />;
        }
        const saved = isUuid(params.id) ? await service.updateInboxSettings(db, params.id, parsed.value) : undefined;
        if (!saved) {
          set.status = 404;
          return <InboxNotFoundPage agent={agent} />;
        }
        ctx.log.info("inbox settings saved", { inbox: saved.id, by: agent.id });
        // Switched to round-robin (or a higher limit): what waits may go out now.
        if (saved.assignmentMode === "round_robin") ctx.queueDrainer.kick(conversationDeps(ctx));
        return redirect(`/settings/inboxes/${saved.id}?done=saved`, 303);
      },
      { params: idParams, body: inboxSettingsForm },
    )
    .post(
      "/inboxes/:id/secret",
      async ({ agent, params, set, redirect }) => {
        const inbox = isUuid(params.id) ? await service.regenerateIdentitySecret(db, params.id) : undefined;
        if (!inbox) {
          set.status = 404;
          return <InboxNotFoundPage agent={agent} />;
        }
        ctx.log.info("inbox identity secret regenerated", { inbox: inbox.id, by: agent.id });
        return redirect(`/settings/inboxes/${inbox.id}?done=secret`, 303);
      },
      { params: idParams },
    );
}
