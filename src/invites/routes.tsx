import { Elysia } from "elysia";
import { inviteDeps, type AppContext } from "../app-context.ts";
import { SESSION_COOKIE, sessionCookie } from "../auth/agent-session.ts";
import { AcceptInvitePage, InviteGonePage, type AcceptInvitePageProps } from "../../views/invites/accept-page.tsx";
import { acceptForm, parseAcceptance, tokenParams } from "./model.ts";
import { acceptInvite, inviteForToken, type Invite } from "./service.ts";

/**
 * The invitee's side: /invites/{token} shows the form, posting it creates the account. The token is
 * in the path because it arrives as a link in an email; pages here send no Referer elsewhere.
 */
export function inviteRoutes(ctx: AppContext) {
  const deps = () => inviteDeps(ctx);

  /** The open invite of a token, or the "does not work" page with 410 (used/expired) or 404. */
  async function openInvite(token: string, set: { status?: number | string }) {
    const found = await inviteForToken(deps(), token);
    if (found.state === "open") return { invite: found.invite };
    set.status = found.state === "gone" ? 410 : 404;
    return { page: <InviteGonePage /> };
  }

  const acceptPage = (token: string, invite: Invite, extra: Pick<AcceptInvitePageProps, "values" | "errors" | "message"> = {}) => (
    <AcceptInvitePage action={`/invites/${token}`} email={invite.email} role={invite.role} {...extra} />
  );

  return new Elysia({ name: "invites", prefix: "/invites" })
    // A local hook: it runs for this plugin's routes only, which are all /invites/{token}.
    .onAfterHandle(({ set }) => {
      // The URL holds a secret: keep it out of other sites' Referer headers and shared caches.
      // Not "no-referrer": browsers then send `Origin: null` with the form's POST, which the
      // cross-site guard must refuse.
      set.headers["referrer-policy"] = "same-origin";
      set.headers["cache-control"] = "no-store";
    })
    .get(
      "/:token",
      async ({ params, set }) => {
        const open = await openInvite(params.token, set);
        return open.invite ? acceptPage(params.token, open.invite) : open.page;
      },
      { params: tokenParams },
    )
    .post(
      "/:token",
      async ({ params, body, headers, cookie, set, redirect }) => {
        const open = await openInvite(params.token, set);
        if (!open.invite) return open.page;
        const parsed = parseAcceptance(body);
        if (!parsed.ok) {
          set.status = 422;
          return acceptPage(params.token, open.invite, { values: body, errors: parsed.errors });
        }
        const outcome = await acceptInvite(deps(), ctx.sessionSecret, params.token, parsed.value, headers["user-agent"] ?? null);
        if (!outcome.ok && outcome.reason === "gone") {
          // Someone (another tab, another click) used it a moment ago.
          set.status = 410;
          return <InviteGonePage />;
        }
        if (!outcome.ok) {
          set.status = 409;
          return acceptPage(params.token, open.invite, {
            values: body,
            message: "An account with this email address exists already. Sign in instead, or ask an admin.",
          });
        }
        cookie[SESSION_COOKIE]!.set(sessionCookie(ctx, outcome.sessionToken));
        return redirect("/inbox", 303);
      },
      { params: tokenParams, body: acceptForm },
    );
}
