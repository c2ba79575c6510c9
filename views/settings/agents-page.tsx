import { Alert } from "../components/alert.tsx";
import { COPY_SCRIPTS, CopyField } from "../components/copy-field.tsx";
import { FormField } from "../components/form-field.tsx";
import { Notice } from "../components/notice.tsx";
import { SettingsLayout } from "./settings-layout.tsx";

export interface AgentRowView {
  id: string;
  name: string;
  email: string;
  role: string;
  deactivatedAt: Date | null;
}

export interface PendingInviteView {
  id: string;
  email: string;
  role: string;
  createdAt: Date;
  expiresAt: Date;
}

/** What the admin sees right after inviting: the link once (no SMTP), or whether the email went out. */
export interface InviteCreatedView {
  email: string;
  /** Shown when it was not emailed (no SMTP, or sending failed): the only time it is ever shown. */
  link: string | null;
  emailed: boolean;
  sendError: string | null;
}

export interface AgentsPageProps {
  me: { id: string; name: string; role: string };
  agents: AgentRowView[];
  invites: PendingInviteView[];
  form?: { values?: { email?: string; role?: string }; errors?: { email?: string; role?: string } };
  created?: InviteCreatedView;
  /** A fixed message from the server ("Invite revoked."), never user text. */
  notice?: string;
  message?: string;
}

function Day(props: { at: Date }) {
  const iso = props.at.toISOString();
  return (
    <time datetime={iso} safe>
      {iso.slice(0, 10)}
    </time>
  );
}

function RoleBadge(props: { role: string }) {
  return props.role === "admin" ? <span class="badge badge-info">Admin</span> : <span class="badge">Agent</span>;
}

/** One action on a row: a form that posts to `action`; the hidden text names what it acts on. */
function PostButton(props: { action: string; label: "Deactivate" | "Reactivate" | "Revoke" | "Reset password"; hiddenText: string }) {
  return (
    <form method="post" action={props.action}>
      <button type="submit" class="link-button">
        {props.label} <span class="visually-hidden" safe>{props.hiddenText}</span>
      </button>
    </form>
  );
}

function InviteCreated(props: { created: InviteCreatedView }) {
  const c = props.created;
  return (
    <section class="card invite-created" aria-labelledby="invite-created-title" role="status">
      <h2 id="invite-created-title">Invite created</h2>
      {c.emailed ? (
        <p>
          An email with the invite link was sent to <strong safe>{c.email}</strong>. The link works once and expires in 7 days.
        </p>
      ) : (
        ""
      )}
      {c.sendError ? (
        <p class="alert" role="alert">
          The email to <strong safe>{c.email}</strong> could not be sent (<span safe>{c.sendError}</span>). The invite exists:
          pass the link below on yourself, or revoke it.
        </p>
      ) : (
        ""
      )}
      {c.link ? (
        <>
          <CopyField
            id="invite-link"
            label={
              <>
                Invite link for <span safe>{c.email}</span>: copy it now, it is shown only once
              </>
            }
            value={c.link}
            buttonText="Copy link"
            autofocus
          />
          <p class="lead">It works once and expires in 7 days.</p>
        </>
      ) : (
        ""
      )}
    </section>
  );
}

/** /settings/agents: the team, pending invites and the invite form (admins only). */
export function AgentsPage(props: AgentsPageProps) {
  const errors = props.form?.errors ?? {};
  const values = props.form?.values ?? {};
  const role = values.role === "admin" ? "admin" : "agent";
  return (
    <SettingsLayout title="Agents" current="agents" agent={props.me} scripts={props.created?.link ? COPY_SCRIPTS : undefined}>
      <h2>Agents</h2>
      <Notice message={props.notice} />
      <Alert message={props.message} />
      {props.created ? <InviteCreated created={props.created} /> : ""}

      <table class="agents-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.agents.map((a) => (
            <tr data-agent-id={a.id}>
              <td>
                <span safe>{a.name}</span>
                {a.id === props.me.id ? " (you)" : ""}
              </td>
              <td safe>{a.email}</td>
              <td>
                <RoleBadge role={a.role} />
              </td>
              <td>{a.deactivatedAt ? <span class="badge">Deactivated</span> : <span class="badge badge-ok">Active</span>}</td>
              <td>
                {a.id === props.me.id ? (
                  ""
                ) : a.deactivatedAt ? (
                  <PostButton action={`/settings/agents/${a.id}/reactivate`} label="Reactivate" hiddenText={a.name} />
                ) : (
                  <PostButton action={`/settings/agents/${a.id}/deactivate`} label="Deactivate" hiddenText={a.name} />
                )}
                {a.id === props.me.id || a.deactivatedAt ? "" : <PostButton action={`/settings/agents/${a.id}/reset-password`} label="Reset password" hiddenText={`for ${a.name}`} />}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="lead">A deactivated agent is signed out everywhere at once and can no longer sign in.</p>

      <h2>Invite someone</h2>
      <form method="post" action="/settings/agents/invites" novalidate class="card">
        <FormField name="email" label="Email" type="email" value={values.email} error={errors.email} autocomplete="off" autofocus={Boolean(errors.email)} />
        <div class="field">
          <label for="field-role">Role</label>
          <select id="field-role" name="role">
            <option value="agent" selected={role === "agent"}>
              Agent: answers conversations
            </option>
            <option value="admin" selected={role === "admin"}>
              Admin: also manages agents and settings
            </option>
          </select>
          {errors.role ? (
            <p class="field-error" safe>
              {errors.role}
            </p>
          ) : (
            ""
          )}
        </div>
        <button type="submit" class="button primary">
          Send invite
        </button>
      </form>

      <h2>Pending invites</h2>
      {props.invites.length === 0 ? (
        <p>No pending invites.</p>
      ) : (
        <table class="invites-table">
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Sent</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.invites.map((i) => (
              <tr data-invite-id={i.id}>
                <td safe>{i.email}</td>
                <td>
                  <RoleBadge role={i.role} />
                </td>
                <td>
                  <Day at={i.createdAt} />
                </td>
                <td>
                  <Day at={i.expiresAt} />
                </td>
                <td>
                  <PostButton action={`/settings/agents/invites/${i.id}/revoke`} label="Revoke" hiddenText={`the invite for ${i.email}`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </SettingsLayout>
  );
}
