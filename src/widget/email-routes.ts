// The widget's email verbs over HTTP (docs/widget-protocol.md, "Email"): the one-time ask for an
// address, and "Email me this conversation". Visitor token, origin check and budgets as /away.
import { Elysia } from "elysia";
import { conversationDeps, type AppContext } from "../app-context.ts";
import { clientIp } from "../http/client-ip.ts";
import { isEmailAddress } from "../http/email-address.ts";
import { answerEmailPrompt, refuseUnlessEmailOn, requestTranscript } from "./email-service.ts";
import { EmailPromptBody, TranscriptBody } from "./model.ts";
import { widgetGuards } from "./route-guards.ts";
import { WidgetRefused } from "./service.ts";

/** A typed address, trimmed; refused (400 bad_email) unless it looks like one. */
function typedEmail(value: string): string {
  const email = value.trim();
  if (!isEmailAddress(email, 320)) throw new WidgetRefused(400, "bad_email", "That does not look like an email address.");
  return email;
}

export function widgetEmailRoutes(ctx: AppContext, prefix: string) {
  const { visitorOf, tooMany } = widgetGuards(ctx);
  const deps = () => ({ ...conversationDeps(ctx), emailConfigured: ctx.mailer !== null });

  return new Elysia({ prefix })
    .post(
      "/email-prompt",
      async ({ body, request, server, set }) => {
        const visitor = await visitorOf(request);
        refuseUnlessEmailOn(deps(), visitor);
        const email = body.skip === true ? null : typedEmail(body.email ?? "");
        // An address given like the away form's: one budget for both.
        const limited = tooMany(set, await ctx.limits.take("handoff", { contact: visitor.contactId, ip: clientIp(request, server, ctx.config.trustProxy) }));
        if (limited) return limited;
        await answerEmailPrompt(deps(), visitor, email);
        return { askEmail: false, contact: { email } };
      },
      { body: EmailPromptBody },
    )
    .post(
      "/transcript",
      async ({ body, request, server, set }) => {
        const visitor = await visitorOf(request);
        refuseUnlessEmailOn(deps(), visitor);
        const typed = body?.email === undefined || body.email.trim() === "" ? null : typedEmail(body.email);
        // Each request may send an email to an address the visitor typed: a budget of its own.
        const limited = tooMany(set, await ctx.limits.take("transcript", { contact: visitor.contactId, ip: clientIp(request, server, ctx.config.trustProxy) }));
        if (limited) return limited;
        set.status = 202;
        return requestTranscript(deps(), visitor, typed);
      },
      { body: TranscriptBody },
    );
}
