// The agents' file routes: an upload for the reply being written (answered with its chip for the
// composer), and any sent file, or one's own unsent upload, behind the session cookie.
import { Elysia, t } from "elysia";
import type { AppContext } from "../app-context.ts";
import type { AgentSessionPlugin } from "../auth/agent-session.ts";
import { isUuid } from "../conversations/model.ts";
import { Refusal } from "../http/refusal.ts";
import { PendingFile } from "../../views/conversations/pending-file.tsx";
import { filesOf } from "./files-of.ts";
import { noSuchFile } from "./model.ts";
import { findAttachment, inboxOfConversation, storedFileOf } from "./queries.ts";
import { fileResponse } from "./serve.ts";
import { declaredLength, receiveUpload } from "./upload.ts";


export function agentFileRoutes(ctx: AppContext, session: AgentSessionPlugin) {
  return new Elysia({ name: "agent-files" })
    .use(session)
    .guard({ signedIn: true })
    .post(
      "/inbox/c/:id/files",
      async ({ agent, params, query, request, set }) => {
        const inboxId = isUuid(params.id) ? await inboxOfConversation(ctx.database.db, params.id) : undefined;
        if (!inboxId) throw new Refusal(404, "no_conversation", "There is no such conversation.");
        const { store, maxBytes } = filesOf(ctx);
        const uploader = { inboxId, agentId: agent.id, conversationId: params.id };
        const file = await receiveUpload({ db: ctx.database.db, store, maxBytes }, uploader, query.name, request.body, declaredLength(request));
        set.status = 201;
        return <PendingFile file={file} />;
      },
      { parse: "none", query: t.Object({ name: t.Optional(t.String({ maxLength: 1000 })) }) },
    )
    .get("/files/:id/*", async ({ agent, params }) => {
      const row = isUuid(params.id) ? await findAttachment(ctx.database.db, params.id) : undefined;
      // Unsent uploads are their uploader's alone (a customer's too: it is not in the conversation yet).
      if (!row || (row.messageId === null && row.uploaderAgentId !== agent.id)) throw noSuchFile();
      const body = await filesOf(ctx).store.get(row.id);
      if (!body) throw noSuchFile();
      return fileResponse(storedFileOf(row), body, { maxAgeSeconds: 3600, crossOrigin: false });
    });
}
