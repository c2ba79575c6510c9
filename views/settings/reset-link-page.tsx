import { AppLayout } from "../layouts/app-layout.tsx";
import { COPY_SCRIPTS, CopyButton, CopyStatus } from "../components/copy-field.tsx";

export interface ResetLinkPageProps {
  me: { name: string; role: string };
  agent: { name: string; email: string };
  link: string;
  /** How long the link works, in words ("24 hours"). */
  lifetime: string;
}

/** An admin made a one-time reset link for a teammate: shown this once, to pass on. */
export function ResetLinkPage(props: ResetLinkPageProps) {
  return (
    <AppLayout title="Password reset link" section="settings" agent={props.me} scripts={COPY_SCRIPTS}>
      <h1>Password reset link</h1>
      <div class="card">
        <div class="field">
          <label for="reset-link">
            Reset link for <span safe>{props.agent.name}</span> (<span safe>{props.agent.email}</span>): copy it now, it is
            shown only once
          </label>
          <div class="copy-field">
            <input id="reset-link" type="text" readonly value={props.link} autofocus />
            <CopyButton from="reset-link" text="Copy link" />
          </div>
          <CopyStatus from="reset-link" />
        </div>
        <p class="lead">
          Send it to them yourself. It works once, for <span safe>{props.lifetime}</span>; their password stays as it is until they
          use it, and then they are signed out everywhere. Making another link replaces this one.
        </p>
      </div>
      <p>
        <a href="/settings/agents">Back to Agents</a>
      </p>
    </AppLayout>
  );
}
