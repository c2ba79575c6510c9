import { FormField } from "../components/form-field.tsx";
import { BaseLayout } from "../layouts/base-layout.tsx";

export interface ResetPasswordPageProps {
  /** Where the form posts: /reset-password/{token}, the link's own URL. */
  action: string;
  email: string;
  error?: string;
}

/** The page a reset link opens: a new password, by the rules of setup. */
export function ResetPasswordPage(props: ResetPasswordPageProps) {
  return (
    <BaseLayout title="Choose a new password">
      <main class="auth-card">
        <h1>Choose a new password</h1>
        <p class="lead">
          For <strong safe>{props.email}</strong>. You will be signed out everywhere else.
        </p>
        <form method="post" action={props.action} novalidate>
          {/* For password managers: which account the new password belongs to. */}
          <input type="hidden" name="username" value={props.email} autocomplete="username" />
          <FormField name="password" label="New password" type="password" error={props.error} autocomplete="new-password" autofocus />
          <button type="submit" class="button primary">
            Set new password
          </button>
        </form>
      </main>
    </BaseLayout>
  );
}

/** A reset link that no longer works: one page for used, replaced, expired and unknown links. */
export function ResetLinkGonePage() {
  return (
    <BaseLayout title="Reset link not valid">
      <main class="auth-card">
        <h1>This reset link does not work</h1>
        <p>It may have been used already, replaced by a newer link, or expired.</p>
        <p>
          <a href="/forgot-password">Get a new link</a> or <a href="/login">sign in</a>.
        </p>
      </main>
    </BaseLayout>
  );
}
