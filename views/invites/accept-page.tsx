import { Alert } from "../components/alert.tsx";
import { FormField } from "../components/form-field.tsx";
import { BaseLayout } from "../layouts/base-layout.tsx";

export interface AcceptInvitePageProps {
  /** Where the form posts: /invites/{token}. The token is the invitee's own, in their own URL. */
  action: string;
  email: string;
  role: string;
  values?: { name?: string };
  errors?: { name?: string; password?: string };
  message?: string;
}

/** The page an invite link opens: the invitee picks a name and a password. */
export function AcceptInvitePage(props: AcceptInvitePageProps) {
  const errors = props.errors ?? {};
  const focus = errors.password && !errors.name ? "password" : "name";
  return (
    <BaseLayout title="Join SupportDesk">
      <main class="auth-card">
        <h1>Join SupportDesk</h1>
        <p class="lead">
          You were invited as {props.role === "admin" ? "an admin" : "an agent"} with <strong safe>{props.email}</strong>. Choose
          your name and a password.
        </p>
        <Alert message={props.message} />
        <form method="post" action={props.action} novalidate>
          <input type="hidden" name="username" value={props.email} autocomplete="username" />
          <FormField name="name" label="Name" value={props.values?.name} error={errors.name} autocomplete="name" autofocus={focus === "name"} />
          <FormField name="password" label="Password" type="password" error={errors.password} autocomplete="new-password" autofocus={focus === "password"} />
          <button type="submit" class="button primary">
            Create account
          </button>
        </form>
      </main>
    </BaseLayout>
  );
}

/**
 * An invite link that no longer works. One page for used, revoked, expired and unknown links,
 * so that it tells a stranger nothing about which addresses were invited or have accounts.
 */
export function InviteGonePage() {
  return (
    <BaseLayout title="Invite link not valid">
      <main class="auth-card">
        <h1>This invite link does not work</h1>
        <p>
          It may have been used already, expired (links last 7 days) or been revoked. Ask an admin of your team for a new
          invite.
        </p>
        <p>
          Already have an account? <a href="/login">Sign in</a>.
        </p>
      </main>
    </BaseLayout>
  );
}
