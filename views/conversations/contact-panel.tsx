import type { ContactDetails, EarlierConversation } from "../../src/conversations/model.ts";
import { DateTime } from "../components/clock.tsx";
import { STATUS_LABEL } from "./conversation-status.tsx";
import { ContactPhoneBack } from "./phone-links.tsx";
import { ContactCard, ContactSaved } from "./contact-card.tsx";

function attributeText(value: string | number | boolean | null): string {
  return value === null ? "—" : String(value);
}

/**
 * Who the agent is talking to, beside the conversation: name, email (and whether the site signed
 * it) and the agents' notes, which agents edit (contact-card.tsx), whether the embedding site verified them (an identity HMAC or token set `externalId`), what
 * the site told us about them (attributes), and when we saw them.
 *
 * The current page and the browser are what the widget reported (src/contacts/visit.ts).
 * Earlier conversations: a contact has one conversation per inbox (continuity), so the same
 * person's other conversations are those of other contacts: with the same email in this inbox
 * (another device), or with the same verified email in another inbox; a user id is only ever
 * compared within its own inbox (see queries.ts earlierColumn).
 */
export function ContactPanel(props: { contact: ContactDetails; earlier: EarlierConversation[]; conversationId: string; now: Date }) {
  const c = props.contact;
  const titleId = `contact-title-${props.conversationId}`;
  const attributes = Object.entries(c.attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return (
    <aside class="contact-panel" id={`contact-${props.conversationId}`} aria-labelledby={titleId}>
      <ContactPhoneBack conversationId={props.conversationId} />
      <h3 id={titleId}>Contact</h3>
      <ContactCard conversationId={props.conversationId} contact={c} />
      <ContactSaved conversationId={props.conversationId} saved={false} />
      <dl class="contact-facts">
        <dt>Identity</dt>
        <dd>
          {c.externalId ? (
            <span class="badge badge-verified" data-verified="true">
              Verified
            </span>
          ) : (
            <span class="badge badge-unverified" data-verified="false">
              Not verified
            </span>
          )}
        </dd>
        {c.externalId ? (
          <>
            <dt>User id</dt>
            <dd class="contact-external-id" safe>
              {c.externalId}
            </dd>
          </>
        ) : (
          ""
        )}
        <dt>Current page</dt>
        <dd class="contact-page">
          {/* The visitor reports it: only http(s) is stored, and it opens apart from the inbox. */}
          {c.lastPageUrl ? (
            <a href={c.lastPageUrl} target="_blank" rel="noopener noreferrer nofollow" safe>
              {c.lastPageUrl}
            </a>
          ) : (
            "Not known"
          )}
        </dd>
        <dt>Browser</dt>
        <dd safe>{c.browser ?? "Not known"}</dd>
        <dt>Inbox</dt>
        <dd safe>{c.inboxName}</dd>
        <dt>First seen</dt>
        <dd>
          <DateTime at={c.firstSeenAt} />
        </dd>
        <dt>Last seen</dt>
        <dd>
          <DateTime at={c.lastSeenAt} />
        </dd>
      </dl>
      <h4>Attributes</h4>
      {attributes.length ? (
        <dl class="contact-attributes">
          {attributes.map(([key, value]) => (
            <>
              <dt safe>{key}</dt>
              <dd safe>{attributeText(value)}</dd>
            </>
          ))}
        </dl>
      ) : (
        <p class="muted">No attributes</p>
      )}
      <h4>Earlier conversations</h4>
      <EarlierList earlier={props.earlier} />
    </aside>
  );
}

/** Opened in the pane like a row of the list; each says where it was and how it was matched. */
function EarlierList(props: { earlier: EarlierConversation[] }) {
  if (!props.earlier.length) return <p class="muted">No earlier conversations</p>;
  return (
    <ul class="earlier-conversations">
      {props.earlier.map((o) => {
        const href = `/inbox/c/${o.id}`;
        return (
          <li data-conversation-id={o.id}>
            <a href={href} hx-get={href} hx-target="#pane" hx-swap="innerHTML" hx-push-url="true">
              <span class="earlier-inbox" safe>
                {o.inboxName}
              </span>{" "}
              <span class="earlier-status">{STATUS_LABEL[o.status]}</span>
            </a>
            <span class="earlier-preview" safe>
              {o.preview || "No messages"}
            </span>
            <span class="earlier-meta">
              <DateTime at={o.lastActivityAt} relative />
              {o.matchedBy === "email" ? " · same email, not verified" : " · same verified email"}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
