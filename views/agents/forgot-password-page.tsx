import { Alert } from "../components/alert.tsx";
import { FormField } from "../components/form-field.tsx";
import { Notice } from "../components/notice.tsx";
import { BaseLayout } from "../layouts/base-layout.tsx";

export interface ForgotPasswordPageProps {
  /** SMTP is set up: the page offers an emailed link; otherwise it says who can reset a password. */
  emailConfigured: boolean;
  email?: string;
  /** After a request: the same words whether or not the address has an account. */
  requested?: boolean;
  message?: string;
}

/** "Forgot password?" from the sign-in page. */
export function ForgotPasswordPage(props: ForgotPasswordPageProps) {
  return (
    <BaseLayout title="Reset your password">
      <main class="auth-card">
        <h1>Reset your password</h1>
        {props.emailConfigured ? <EmailForm {...props} /> : <AskAnAdmin />}
        <p>
          <a href="/login">Back to sign in</a>
        </p>
      </main>
    </BaseLayout>
  );
}

function EmailForm(props: ForgotPasswordPageProps) {
  if (props.requested) {
    return (
      <Notice message="If an account uses that address, an email with a link to choose a new password is on its way. The link works once, for 1 hour." />
    );
  }
  return (
    <>
      <p class="lead">Enter the email address you sign in with. We will email you a link to choose a new password.</p>
      <Alert message={props.message} />
      <form method="post" action="/forgot-password" novalidate>
        <FormField name="email" label="Email" type="email" value={props.email} autocomplete="username" autofocus />
        <button type="submit" class="button primary">
          Email me a reset link
        </button>
      </form>
    </>
  );
}

function AskAnAdmin() {
  return (
    <>
      <p class="lead">
        This SupportDesk sends no email, so ask an admin of your team: in Settings → Agents they can make a one-time link for
        you to choose a new password.
      </p>
      <p>
        The only admin? Whoever runs the server can make that link with <code>supportdesk reset-password you@example.com</code>.
      </p>
    </>
  );
}
