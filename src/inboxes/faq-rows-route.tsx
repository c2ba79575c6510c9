import { Elysia, t } from "elysia";
import type { AppContext } from "../app-context.ts";
import type { AgentSessionPlugin } from "../auth/agent-session.ts";
import { isUuid } from "../conversations/model.ts";
import { idParams } from "../http/params.ts";
import { FaqRowsUpdate } from "../../views/settings/inbox-faq-section.tsx";
import { inboxSettingsForm, LIMITS } from "./model.ts";
import * as service from "./service.ts";

/** The settings form as htmx posts it from Add ("faqAdd") or a row's Remove ("faqRemove": its index). */
const faqForm = t.Object({
  ...inboxSettingsForm.properties,
  faqAdd: t.Optional(t.String({ maxLength: 10 })),
  faqRemove: t.Optional(t.String({ maxLength: 10 })),
});

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

export const FAQ_FULL = `An inbox has at most ${LIMITS.faqEntries} questions. Remove one to add another.`;

/**
 * POST /settings/inboxes/:id/faq (mounted under /settings by settings-routes.tsx): the FAQ rows as typed, with a blank row added or one removed,
 * numbered again, for the page to swap in. Nothing is saved; Save changes does that.
 */
export function faqRowsRoute(ctx: AppContext, session: AgentSessionPlugin) {
  const db = ctx.database.db;
  return new Elysia({ name: "inbox-faq-rows" })
    .use(session)
    .guard({ adminOnly: true })
    .post(
      "/inboxes/:id/faq",
      async ({ params, body, set }) => {
        if (!isUuid(params.id) || !(await service.findInbox(db, params.id))) {
          set.status = 404;
          return "This inbox no longer exists.";
        }
        const keywords = list(body.faqKeywords);
        const answers = list(body.faqAnswer);
        const rows = Array.from({ length: Math.max(keywords.length, answers.length) }, (_, i) => ({ keywords: keywords[i] ?? "", answer: answers[i] ?? "" }));
        const url = `/settings/inboxes/${params.id}/faq`;
        if (body.faqAdd !== undefined) {
          if (rows.length >= LIMITS.faqEntries) {
            set.status = 422;
            return <span safe>{FAQ_FULL}</span>;
          }
          rows.push({ keywords: "", answer: "" });
          return <FaqRowsUpdate rows={rows} faqUrl={url} focus={{ row: rows.length - 1, on: "keywords" }} />;
        }
        const removed = Number(body.faqRemove);
        if (Number.isInteger(removed) && removed >= 0 && removed < rows.length) rows.splice(removed, 1);
        // The focus goes to the row that took the removed one's place (or the one before it).
        const focus = rows.length ? { row: Math.min(removed, rows.length - 1), on: "remove" as const } : undefined;
        return <FaqRowsUpdate rows={rows} faqUrl={url} focus={focus} />;
      },
      { params: idParams, body: faqForm },
    );
}
