import { Alert } from "../components/alert.tsx";
import { FormField } from "../components/form-field.tsx";
import { BaseLayout } from "../layouts/base-layout.tsx";

export interface SetupPageProps {
  values?: { name?: string; email?: string };
  errors?: { name?: string; email?: string; password?: string };
  message?: string;
}

/** First run: the person installing SupportDesk becomes its first admin. */
export function SetupPage(props: SetupPageProps) {
  const errors = props.errors ?? {};
  // Focus lands where the person has something to fix, else on the first field.
  const focus = (["name", "email", "password"] as const).find((f) => errors[f]) ?? "name";
  return (
    <BaseLayout title="Set up">
      <main class="auth-card">
        <h1>Welcome to SupportDesk</h1>
        <p class="lead">Create the first admin account. You can invite your team afterwards.</p>
        <Alert message={props.message} />
        <form method="post" action="/setup" novalidate>
          <FormField name="name" label="Name" value={props.values?.name} error={errors.name} autocomplete="name" autofocus={focus === "name"} />
          <FormField name="email" label="Email" type="email" value={props.values?.email} error={errors.email} autocomplete="email" autofocus={focus === "email"} />
          <FormField name="password" label="Password" type="password" error={errors.password} autocomplete="new-password" autofocus={focus === "password"} />
          <button type="submit" class="button primary">
            Create admin account
          </button>
        </form>
      </main>
    </BaseLayout>
  );
}
