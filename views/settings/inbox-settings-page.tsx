import { LIMITS } from "../../src/inboxes/model.ts";
import type { Inbox } from "../../src/inboxes/service.ts";
import { Field, fieldAria } from "../components/form-field.tsx";
import { EMBED_SNIPPET_SCRIPTS, EmbedSnippet } from "../widget/embed-snippet.tsx";
import { SettingsLayout } from "./settings-layout.tsx";

export type InboxSettingsView = Pick<Inbox, "id" | "name" | "publicKey" | "allowedOrigins">;

/** The "New inbox" form's state after a refused post (admins only). */
export interface NewInboxState {
  name: string;
  error?: string;
}

/**
 * /settings: every inbox with its embed snippet (any agent may copy it). Admins also get a link
 * to each inbox's settings and a form to add an inbox for another website.
 */
export function InboxSettingsPage(props: {
  agent: { name: string; role: string };
  inboxes: InboxSettingsView[];
  publicUrl: string;
  newInbox?: NewInboxState;
}) {
  const admin = props.agent.role === "admin";
  const newInbox = props.newInbox ?? { name: "" };
  return (
    <SettingsLayout title="Settings" current="inbox" agent={props.agent} scripts={EMBED_SNIPPET_SCRIPTS} styles={["/public/inbox-settings.css"]}>
      <h2>Inboxes</h2>
      <p class="hint">Each inbox is one website’s chat: its own snippet, greeting, answers and look.</p>
      {props.inboxes.map((inbox) => (
        <section class="card" aria-labelledby={`inbox-${inbox.id}`}>
          <div class="inbox-card-head">
            <h3 id={`inbox-${inbox.id}`} safe>
              {inbox.name}
            </h3>
            {admin ? (
              <a class="button" href={`/settings/inboxes/${inbox.id}`}>
                Edit<span class="visually-hidden" safe>{` ${inbox.name}`}</span>
              </a>
            ) : (
              ""
            )}
          </div>
          <p>
            Allowed websites:{" "}
            {inbox.allowedOrigins.length ? <span safe>{inbox.allowedOrigins.join(", ")}</span> : "any (no list set)"}
          </p>
          <EmbedSnippet publicUrl={props.publicUrl} publicKey={inbox.publicKey} />
          <p>
            <a href="/demo">Try it on the demo page</a>
          </p>
        </section>
      ))}
      {admin ? (
        <section class="card" aria-labelledby="new-inbox-heading">
          <h3 id="new-inbox-heading">New inbox</h3>
          <form method="post" action="/settings/inboxes" class="settings-form new-inbox-form">
            <Field
              id="new-inbox-name"
              label="Name"
              hint="Usually the website it is for, like “Shop”. You can change everything else afterwards."
              error={newInbox.error}
            >
              <input
                id="new-inbox-name"
                name="name"
                type="text"
                value={newInbox.name}
                maxlength={String(LIMITS.name)}
                required
                {...fieldAria("new-inbox-name", newInbox.error, "new-inbox-name-hint")}
              />
            </Field>
            <button type="submit" class="button">
              Create inbox
            </button>
          </form>
        </section>
      ) : (
        ""
      )}
    </SettingsLayout>
  );
}
