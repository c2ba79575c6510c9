import type { Inbox } from "../../src/inboxes/service.ts";
import { errorCount, HEX_COLOR, LIMITS, type InboxSettingsErrors, type InboxSettingsValues } from "../../src/inboxes/model.ts";
import { Alert } from "../components/alert.tsx";
import { Field, fieldAria, FieldError } from "../components/form-field.tsx";
import { AppLayout } from "../layouts/app-layout.tsx";
import { EMBED_SNIPPET_SCRIPTS, EmbedSnippet } from "../widget/embed-snippet.tsx";
import { SettingsNav } from "./settings-nav.tsx";

const NO_ERRORS: InboxSettingsErrors = { fields: {}, faqRows: {} };

/** A radio group: fieldset and legend, each option labelled, the error tied to the group. */
function RadioGroup(props: {
  name: string;
  legend: string;
  value: string;
  error: string | undefined;
  options: Array<{ value: string; label: string; hint?: string }>;
}) {
  const errorId = `${props.name}-error`;
  return (
    <fieldset class="radio-group" aria-describedby={props.error ? errorId : undefined}>
      <legend safe>{props.legend}</legend>
      <FieldError id={errorId} message={props.error} />
      {props.options.map((option) => {
        const id = `${props.name}-${option.value}`;
        return (
          <div class="radio-option">
            <input
              type="radio"
              id={id}
              name={props.name}
              value={option.value}
              checked={props.value === option.value}
              aria-invalid={props.error ? "true" : undefined}
              aria-describedby={option.hint ? `${id}-hint` : undefined}
            />
            <label for={id} safe>
              {option.label}
            </label>
            {option.hint ? (
              <p class="hint" id={`${id}-hint`} safe>
                {option.hint}
              </p>
            ) : (
              ""
            )}
          </div>
        );
      })}
    </fieldset>
  );
}

/**
 * One FAQ row. `rowKey` makes the ids unique; the browser script clones the blank row from the
 * <template> and gives it a fresh key (public/settings.js).
 */
function FaqRow(props: { rowKey: string; number: number | null; keywords: string; answer: string; errors?: { keywords?: string; answer?: string } }) {
  const base = `faq-${props.rowKey}`;
  const errors = props.errors ?? {};
  const title = props.number === null ? "New question" : `Question ${props.number}`;
  return (
    <fieldset class="faq-row" data-faq-row>
      <legend data-faq-title safe>
        {title}
      </legend>
      {/* The keywords' hint is said once above the rows: every row points to it. */}
      <Field id={`${base}-keywords`} label="Keywords (comma-separated)" error={errors.keywords}>
        <input
          id={`${base}-keywords`}
          name="faqKeywords"
          type="text"
          value={props.keywords}
          {...fieldAria(`${base}-keywords`, errors.keywords, "faq-keywords-hint")}
        />
      </Field>
      <Field id={`${base}-answer`} label="Answer" error={errors.answer}>
        <textarea
          id={`${base}-answer`}
          name="faqAnswer"
          rows="3"
          maxlength={String(LIMITS.faqAnswer)}
          {...fieldAria(`${base}-answer`, errors.answer)}
          safe
        >
          {props.answer}
        </textarea>
      </Field>
      {/* Shown by public/settings.js; without it, clearing both fields removes the question. */}
      <button type="button" class="link-button faq-remove" data-faq-remove hidden>
        Remove <span data-faq-remove-label safe>{title.toLowerCase()}</span>
      </button>
    </fieldset>
  );
}

/** /settings/inboxes/:id, for admins: everything about one inbox, validated as a whole on save. */
export function InboxEditPage(props: {
  agent: { name: string; role: string };
  inbox: Pick<Inbox, "id" | "name" | "publicKey" | "identitySecret">;
  values: InboxSettingsValues;
  errors?: InboxSettingsErrors;
  /** Shown after a save or another change went through. */
  notice?: string;
  publicUrl: string;
}) {
  const { inbox, values } = props;
  const errors = props.errors ?? NO_ERRORS;
  const e = errors.fields;
  const failed = errorCount(errors);
  const action = `/settings/inboxes/${inbox.id}`;
  const pickerColor = HEX_COLOR.test(values.color.trim()) ? values.color.trim().toLowerCase() : "#2563eb";
  return (
    <AppLayout
      title={`${inbox.name} · Inbox settings`}
      section="settings"
      agent={props.agent}
      scripts={["/public/settings.js", ...EMBED_SNIPPET_SCRIPTS]}
      styles={["/public/inbox-settings.css"]}
    >
      <SettingsNav current="inbox" role={props.agent.role} />
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

        <section class="card" aria-labelledby="faq-heading">
          <h2 id="faq-heading">Bot answers (FAQ)</h2>
          <p class="hint" id="faq-keywords-hint" safe>
            {`In bot-first mode, a customer message that mentions a keyword (a whole word or phrase, any case) gets that answer. Up to ${LIMITS.faqEntries} questions, ${LIMITS.faqKeywords} keywords each.`}
          </p>
          <FieldError id="faq-error" message={e.faq} />
          <div class="faq-rows" data-faq-rows data-faq-max={String(LIMITS.faqEntries)} aria-describedby={e.faq ? "faq-error" : undefined}>
            {values.faq.map((row, i) => (
              <FaqRow rowKey={String(i)} number={i + 1} keywords={row.keywords} answer={row.answer} errors={errors.faqRows[i]} />
            ))}
            {/* One blank row, so that a question can be added without JavaScript too. */}
            <FaqRow rowKey={String(values.faq.length)} number={values.faq.length + 1} keywords="" answer="" />
          </div>
          <template id="faq-row-template">
            <FaqRow rowKey="new" number={null} keywords="" answer="" />
          </template>
          <button type="button" class="button" data-faq-add hidden>
            Add a question
          </button>
        </section>

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

        <section class="card" aria-labelledby="appearance-heading">
          <h2 id="appearance-heading">Appearance</h2>
          <Field
            id="color"
            label="Colour"
            hint="The chat window's accent colour, as # and six hex digits, like #2563eb. Text on it turns dark or light to stay readable."
            error={e.color}
          >
            <div class="color-inputs">
              {/* The text field is what is posted; the picker (shown by settings.js) fills it in. */}
              <input type="color" id="color-picker" value={pickerColor} aria-label="Pick the colour" data-color-picker hidden />
              <input
                id="color"
                name="color"
                type="text"
                value={values.color}
                maxlength="7"
                spellcheck="false"
                autocapitalize="off"
                {...fieldAria("color", e.color, "color-hint")}
                data-color-text
              />
            </div>
          </Field>
          <RadioGroup
            name="position"
            legend="Chat button position"
            value={values.position}
            error={e.position}
            options={[
              { value: "right", label: "Bottom right" },
              { value: "left", label: "Bottom left" },
            ]}
          />
        </section>

        <section class="card" aria-labelledby="identity-heading">
          <h2 id="identity-heading">Identity verification</h2>
          <p class="hint">
            Your website's server signs each signed-in user with this secret and passes the result to the widget with the user, so nobody can pretend to be
            one of your users: either an identity token (a JWT signed with HS256, with the user's id, email and name, that expires) or the user's id signed
            with HMAC-SHA256 (hex). Keep the secret on your server, never in a page.
          </p>
          <div class="secret">
            <span class="secret-label" id="secret-label">
              Identity secret
            </span>
            <details class="secret-details">
              <summary aria-describedby="secret-label">Show the secret</summary>
              <code class="secret-value" safe>
                {inbox.identitySecret}
              </code>
            </details>
            {/* Its own form (below the settings form): a button may not submit two forms. */}
            <button type="submit" class="button" form="regenerate-secret">
              Regenerate secret
            </button>
          </div>
          <div class="checkbox-field">
            <input type="checkbox" id="requireIdentity" name="requireIdentity" value="on" checked={values.requireIdentity} aria-describedby="requireIdentity-hint" />
            <label for="requireIdentity">Require verified users</label>
            <p class="hint" id="requireIdentity-hint">
              Anonymous visitors cannot chat; only users your website signs in and vouches for. Takes effect at once, also for open chats.
            </p>
          </div>
        </section>

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
    </AppLayout>
  );
}
