import type { ContactEditErrors, ContactEditValues } from "../../src/contacts/model.ts";
import { NOTES_MAX } from "../../src/contacts/model.ts";
import { contactDisplayName, visitorName } from "../../src/contacts/display-name.ts";
import { Field, fieldAria } from "../components/form-field.tsx";

/** What the card shows and edits of a contact. */
export interface CardContact {
  id: string;
  name: string | null;
  email: string | null;
  emailVerified: boolean;
  notes: string | null;
}

/** The form shown again after a refusal: what was typed, and why it was refused. */
export interface CardEdit {
  values: ContactEditValues;
  errors: ContactEditErrors;
}

/**
 * Who the customer is, as agents may correct it: name, email and notes, and the form that edits
 * them (POST /inbox/c/:id/contact, src/contacts/routes.tsx). Saved, the card goes out of band to
 * every agent viewing the conversation (`oob`: its content only, so that the element the saving
 * agent's request will swap stays on the page if the push comes first); refused, it comes back to
 * the agent open, with what they typed and why. Notes are for agents: the card is only ever in the inbox, never in the widget.
 */
export function ContactCard(props: { conversationId: string; contact: CardContact; edit?: CardEdit; oob?: boolean }) {
  const c = props.contact;
  const id = (field: string) => `contact-${field}-${props.conversationId}`;
  const values = props.edit?.values ?? { name: c.name ?? "", email: c.email ?? "", notes: c.notes ?? "" };
  const errors = props.edit?.errors ?? {};
  const firstError = (["name", "email", "notes"] as const).find((f) => errors[f]);
  return (
    <div id={`contact-card-${props.conversationId}`} class="contact-card" hx-swap-oob={props.oob ? "innerHTML" : undefined}>
      <dl class="contact-facts">
        <dt>Name</dt>
        <dd safe>{c.name || `Not given (shown as ${visitorName(c.id)})`}</dd>
        <dt>Email</dt>
        <dd>
          {c.email ? (
            <>
              <a href={`mailto:${c.email}`} safe>
                {c.email}
              </a>
              {c.emailVerified ? (
                <>
                  {" "}
                  <span class="badge badge-verified" data-email-verified="true">
                    Verified
                  </span>
                </>
              ) : (
                ""
              )}
            </>
          ) : (
            "Not given"
          )}
        </dd>
        <dt>Notes</dt>
        <dd class="contact-notes" safe>
          {c.notes || "None"}
        </dd>
      </dl>
      <details class="contact-edit" open={props.edit ? true : undefined}>
        <summary>Edit contact</summary>
        <form method="post" action={`/inbox/c/${props.conversationId}/contact`} hx-post={`/inbox/c/${props.conversationId}/contact`} hx-target={`#contact-card-${props.conversationId}`} hx-swap="outerHTML" novalidate>
          <Field id={id("name")} label="Name" error={errors.name}>
            <input id={id("name")} name="name" type="text" value={values.name} autocomplete="off" autofocus={firstError === "name"} {...fieldAria(id("name"), errors.name)} />
          </Field>
          <Field id={id("email")} label="Email" error={errors.email}>
            <input id={id("email")} name="email" type="email" value={values.email} autocomplete="off" autofocus={firstError === "email"} {...fieldAria(id("email"), errors.email)} />
          </Field>
          <Field id={id("notes")} label="Notes" hint={`Only agents see notes (at most ${NOTES_MAX.toLocaleString("en")} characters).`} error={errors.notes}>
            <textarea id={id("notes")} name="notes" rows="4" autofocus={firstError === "notes"} {...fieldAria(id("notes"), errors.notes, `${id("notes")}-hint`)} safe>
              {values.notes}
            </textarea>
          </Field>
          <button type="submit" class="button">
            Save contact
          </button>
        </form>
      </details>
    </div>
  );
}

/** "Saved." beside the card, for the agent who saved (out of band; the card itself goes to everyone). */
export function ContactSaved(props: { conversationId: string; saved: boolean; oob?: boolean }) {
  return (
    <p id={`contact-saved-${props.conversationId}`} class="contact-saved" role="status" hx-swap-oob={props.oob ? "true" : undefined}>
      {props.saved ? "Saved." : ""}
    </p>
  );
}

/** The conversation's title in its header, renamed with the contact (its text only: the header is the pane's). */
export function ContactTitlePush(props: { conversationId: string; contact: Pick<CardContact, "id" | "name" | "email"> }) {
  return (
    <span id={`conversation-title-${props.conversationId}`} hx-swap-oob="innerHTML" safe>
      {contactDisplayName(props.contact)}
    </span>
  );
}
