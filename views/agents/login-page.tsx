import { Alert } from "../components/alert.tsx";
import { FormField } from "../components/form-field.tsx";
import { Notice } from "../components/notice.tsx";
import { BaseLayout } from "../layouts/base-layout.tsx";

export function LoginPage(props: { email?: string; next?: string; message?: string; notice?: string }) {
  return (
    <BaseLayout title="Sign in">
      <main class="auth-card">
        <h1>Sign in to SupportDesk</h1>
        <Notice message={props.notice} />
        <Alert message={props.message} />
        <form method="post" action="/login" novalidate>
          <FormField name="email" label="Email" type="email" value={props.email} autocomplete="username" autofocus />
          <FormField name="password" label="Password" type="password" autocomplete="current-password" />
          {props.next ? <input type="hidden" name="next" value={props.next} /> : ""}
          <button type="submit" class="button primary">
            Sign in
          </button>
        </form>
        <p>
          <a href="/forgot-password">Forgot password?</a>
        </p>
      </main>
    </BaseLayout>
  );
}
