import { Elysia } from "elysia";
import { conversationDeps, type AppContext } from "../app-context.ts";
import type { AgentSessionPlugin } from "../auth/agent-session.ts";
import { idParams } from "../http/params.ts";
import { ContactCard, ContactSaved, ContactTitlePush } from "../../views/conversations/contact-card.tsx";
import { contactEditForm } from "./model.ts";
import { editContact } from "./service.tsx";

/**
 * POST /inbox/c/:id/contact: the contact panel's form (views/conversations/contact-card.tsx) saves
 * the name, email and notes of the conversation's contact. htmx gets the card back (with "Saved.",
 * and the title, out of band), or the card open with the errors (422). Without JavaScript the
 * answer is the conversation again. An unknown conversation is the error handler's 404.
 */
export function contactRoutes(ctx: AppContext, session: AgentSessionPlugin) {
  const deps = conversationDeps(ctx);
  return new Elysia({ name: "contacts", prefix: "/inbox/c" })
    .use(session)
    .guard({ signedIn: true })
    .post(
      "/:id/contact",
      async ({ params, body, headers, set, redirect }) => {
        const result = await editContact(deps, params.id, body);
        if (headers["hx-request"] !== "true") return redirect(`/inbox/c/${params.id}`, 303);
        if (!result.ok) {
          set.status = 422;
          return (
            <>
              <ContactCard conversationId={params.id} contact={result.contact} edit={{ values: result.values, errors: result.errors }} />
              <ContactSaved conversationId={params.id} saved={false} oob />
            </>
          );
        }
        return (
          <>
            <ContactCard conversationId={params.id} contact={result.contact} />
            <ContactSaved conversationId={params.id} saved oob />
            <ContactTitlePush conversationId={params.id} contact={result.contact} />
          </>
        );
      },
      { params: idParams, body: contactEditForm },
    );
}
