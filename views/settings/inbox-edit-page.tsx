import type { Inbox } from "../../src/inboxes/service.ts";
import { emailValuesFromInbox } from "../../src/inboxes/email-settings.ts";
import { errorCount, LIMITS, type InboxSettingsErrors, type InboxSettingsValues } from "../../src/inboxes/model.ts";
import { Alert } from "../components/alert.tsx";
import { Field, fieldAria } from "../components/form-field.tsx";
import { EMBED_SNIPPET_SCRIPTS, EmbedSnippet } from "../widget/embed-snippet.tsx";
import { AppearanceSection } from "./inbox-appearance-section.tsx";
import { EmailSection, type EmailAbility } from "./inbox-email-section.tsx";
import { FaqSection } from "./inbox-faq-section.tsx";
import { HoursSection } from "./inbox-hours-section.tsx";
import { hoursValuesFromInbox } from "../../src/inboxes/hours-settings.ts";
import { IdentitySection } from "./inbox-identity-section.tsx";
import { RadioGroup } from "./radio-group.tsx";
import { SettingsLayout } from "./settings-layout.tsx";

const NO_ERRORS: InboxSettingsErrors = { fields: {}, faqRows: {} };

/** /settings/inboxes/:id, for admins: everything about one inbox, validated as a whole on save. */
export function InboxEditPage(props: {
  agent: { name: string; role: string };
  inbox: Inbox;
  values: InboxSettingsValues;
  email: EmailAbility;
  errors?: InboxSettingsErrors;
  /** Shown after a save or another change went through. */
  notice?: string;
  publicUrl: string;
  /** The zone business hours are in when the inbox names none. */
  accountZone?: string;
}) {
  const { inbox, values } = props;
  const errors = props.errors ?? NO_ERRORS;
  const e = errors.fields;
  const failed = errorCount(errors);
  const action = `/settings/inboxes/${inbox.id}`;
  return (
    <SettingsLayout
      title={`${inbox.name} · Inbox settings`}
      current="inbox"
      ownHeading
      agent={props.agent}
      scripts={["/public/vendor/htmx.min.js", "/public/settings.js", ...EMBED_SNIPPET_SCRIPTS]}
      styles={["/public/inbox-settings.css"]}
    >
      <p class="breadcrumb">
        <a href="/settings">All inboxes</a>
      </p>
      <h1>
        Inbox settings: <span safe>{inbox.name}</span>
      </h1>
      <div role="status" class="status-region">
        {props.notice ? (
          <p class="notice" safe>
            {props.notice}
          </p>
        ) : (
          ""
        )}
      </div>
      <Alert message={failed ? `Nothing was saved. Fix the ${failed === 1 ? "field" : `${failed} fields`} marked below and save again.` : undefined} />

      <form method="post" action={action} class="settings-form" id="inbox-settings">
        <section class="card" aria-labelledby="general-heading">
          <h2 id="general-heading">General</h2>
          <Field id="name" label="Name" hint="Shown to agents, and at the top of the chat window." error={e.name}>
            <input
              id="name"
              name="name"
              type="text"
              value={values.name}
              maxlength={String(LIMITS.name)}
              required
              {...fieldAria("name", e.name, "name-hint")}
            />
          </Field>
          <Field
            id="greeting"
            label="Greeting"
            hint={`The bot's first message in a new conversation, up to ${LIMITS.greeting} characters. Leave it empty to send none.`}
            error={e.greeting}
          >
            <textarea id="greeting" name="greeting" rows="3" maxlength={String(LIMITS.greeting)} {...fieldAria("greeting", e.greeting, "greeting-hint")} safe>
              {values.greeting}
            </textarea>
          </Field>
          <RadioGroup
            name="handoffMode"
            legend="When a customer writes"
            value={values.handoffMode}
            error={e.handoffMode}
            options={[
              { value: "bot", label: "Bot first", hint: "The greeting and FAQ answers come first; the customer can ask for a person at any time." },
              { value: "immediate", label: "Straight to the queue", hint: "Every new conversation waits for an agent at once." },
            ]}
          />
        </section>

        <FaqSection faq={values.faq} errors={errors} faqUrl={`${action}/faq`} />

        <section class="card" aria-labelledby="websites-heading">
          <h2 id="websites-heading">Allowed websites</h2>
          <Field
            id="allowedOrigins"
            label="Websites that may show this chat"
            hint="One per line, like https://shop.example (with www. as its own line if you use it). Leave empty to allow any website."
            error={e.allowedOrigins}
          >
            <textarea
              id="allowedOrigins"
              name="allowedOrigins"
              rows="4"
              spellcheck="false"
              autocapitalize="off"
              {...fieldAria("allowedOrigins", e.allowedOrigins, "allowedOrigins-hint")}
              safe
            >
              {values.allowedOrigins}
            </textarea>
          </Field>
        </section>

        <section class="card" aria-labelledby="privacy-heading">
          <h2 id="privacy-heading">Visitor privacy</h2>
          <div class="checkbox-field">
            <input type="checkbox" id="keepPageQuery" name="keepPageQuery" value="on" checked={values.keepPageQuery} aria-describedby="keepPageQuery-hint" />
            <label for="keepPageQuery">Keep page query strings</label>
            <p class="hint" id="keepPageQuery-hint">
              Agents see the page each visitor is on. Its address is stored without the query string (after ?) unless you tick this, because
              query strings can carry your website's tokens or personal data. The part after # is never stored.
            </p>
          </div>
        </section>

        <AppearanceSection values={values} errors={e} />

        <IdentitySection identitySecret={inbox.identitySecret} requireIdentity={values.requireIdentity} />

        {/* Not posted (disabled without SMTP): the stored settings are shown. */}
        <EmailSection values={values.email ?? emailValuesFromInbox(inbox)} errors={e} ability={props.email} />

        <HoursSection values={values.hours ?? hoursValuesFromInbox(inbox)} errors={e} accountZone={props.accountZone ?? "UTC"} />

        <div class="form-actions">
          <button type="submit" class="button primary-action">
            Save changes
          </button>
        </div>
      </form>
      <form
        method="post"
        action={`${action}/secret`}
        id="regenerate-secret"
        data-confirm="Regenerate the identity secret? Your website's server must use the new one at once: user hashes and identity tokens made with the old secret stop working."
      ></form>

      <section class="card" aria-labelledby="snippet-heading">
        <h2 id="snippet-heading">Put it on your website</h2>
        <EmbedSnippet publicUrl={props.publicUrl} publicKey={inbox.publicKey} />
      </section>
    </SettingsLayout>
  );
}
