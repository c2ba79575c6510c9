// The widget's file routes (docs/widget-protocol.md, "Files"): upload with the visitor token,
// fetch through a signed link (no credential in the URL), and a fresh link when one has expired.
import { Elysia, t } from "elysia";
import type { AppContext } from "../app-context.ts";
import { isUuid } from "../conversations/model.ts";
import { clientIp } from "../http/client-ip.ts";
import { Refusal } from "../http/refusal.ts";
import { widgetGuards } from "../widget/route-guards.ts";
import { filesOf } from "./files-of.ts";
import { noSuchFile } from "./model.ts";
import { attachmentForContact, findAttachment, storedFileOf } from "./queries.ts";
import { fileResponse } from "./serve.ts";
import { declaredLength, receiveUpload } from "./upload.ts";

const PREFIX = "/api/v1/widget";


export function widgetFileRoutes(ctx: AppContext) {
  const { visitorOf, tooMany } = widgetGuards(ctx);
  const files = () => filesOf(ctx);
  return new Elysia({ name: "widget-files", prefix: PREFIX })
    .post(
      "/files",
      async ({ request, query, server, set }) => {
        const visitor = await visitorOf(request);
        const ip = clientIp(request, server, ctx.config.trustProxy);
        // An upload spends the message budget: a file is one more thing to send.
        const limited = tooMany(set, await ctx.limits.take("message", { contact: visitor.contactId, ip }));
        if (limited) return limited;
        const { store, links, maxBytes } = files();
        const file = await receiveUpload({ db: ctx.database.db, store, maxBytes }, { inboxId: visitor.inbox.id, contactId: visitor.contactId }, query.name, request.body, declaredLength(request));
        set.status = 201;
        return { file: links.forWidget(file) };
      },
      // The body is the file, read as a stream by receiveUpload: never parsed (nor buffered) by Elysia.
      { parse: "none", query: t.Object({ name: t.Optional(t.String({ maxLength: 1000 })) }) },
    )
    .get(
      "/files/:id",
      async ({ params, query }) => {
        const verdict = isUuid(params.id) ? files().links.verify(params.id, query.e, query.s) : "bad";
        if (verdict === "expired") throw new Refusal(410, "link_expired", "This link has expired. Open the file from the chat again.");
        if (verdict === "bad") throw new Refusal(403, "forbidden", "This link is not valid.");
        const row = await findAttachment(ctx.database.db, params.id);
        const body = row && (await files().store.get(row.id));
        if (!row || !body) throw noSuchFile();
        const left = Number(query.e) - Date.now() / 1000;
        return fileResponse(storedFileOf(row), body, { maxAgeSeconds: left, crossOrigin: true });
      },
      { query: t.Object({ e: t.Optional(t.String({ maxLength: 20 })), s: t.Optional(t.String({ maxLength: 100 })) }) },
    )
    .get("/files/:id/link", async ({ params, request }) => {
      const visitor = await visitorOf(request);
      const row = isUuid(params.id) ? await attachmentForContact(ctx.database.db, params.id, visitor.contactId) : undefined;
      if (!row) throw noSuchFile();
      return { url: files().links.forWidget(storedFileOf(row)).url };
    });
}
