import { needsAttention, type ConversationSummary, type ListRow } from "../../src/conversations/model.ts";
import { DateTime } from "../components/clock.tsx";
import { LabelChip } from "../components/label-chip.tsx";
import { senderName } from "./message-item.tsx";
import { contactDisplayName } from "../../src/contacts/display-name.ts";

/** The contact's display name (src/contacts/display-name.ts) from a conversation's summary or a row like it. */
export function contactLabel(c: Pick<ConversationSummary, "contactId" | "contactName" | "contactEmail">): string {
  return contactDisplayName({ id: c.contactId, name: c.contactName, email: c.contactEmail });
}

const PREVIEW_CHARS = 140;

/**
 * Who wrote the previewed message (the last a person wrote: the bot's answers are never previewed),
 * before its text. An agent's is "You: " for the viewer's own; the live push is rendered once for
 * every agent, so it names the agent, and the list's refresh that follows it (rendered for each
 * agent) says "You: " again. The customer's own words need no prefix.
 */
function authorPrefix(s: ListRow, viewerId: string | undefined) {
  if (s.lastMessageSender === "agent") {
    const mine = viewerId !== undefined && s.lastMessageAgentId === viewerId;
    const label = mine ? "You: " : `${s.lastMessageAgentName ?? "Agent"}: `;
    return (
      <span class="row-author" data-author-id={s.lastMessageAgentId ?? undefined} safe>
        {label}
      </span>
    );
  }
  return "";
}

/** "example.com/pricing": the page without its scheme, short enough for a row. */
function shortPage(url: string): string {
  try {
    const u = new URL(url);
    return (u.host + (u.pathname === "/" ? "" : u.pathname)).slice(0, 80);
  } catch {
    return "";
  }
}

/** The visitor's browser and page, so that two anonymous visitors' rows never look alike. */
function VisitLine(props: { summary: ConversationSummary }) {
  const browser = props.summary.contactBrowser;
  const page = props.summary.contactPageUrl ? shortPage(props.summary.contactPageUrl) : "";
  if (!browser && !page) return "";
  return (
    <span class="row-visit" safe>
      {[browser, page].filter(Boolean).join(" · ")}
    </span>
  );
}

/**
 * One row of an inbox tab. Pushed out of band whenever the conversation changes (it replaces the
 * row where one is shown; where rows go is the list's refresh). The data attributes describe the
 * row (public/inbox.js reads data-id for j/k). Queued rows show their last messages and Claim,
 * whose refusal ("Ana already took this conversation.") goes above the list: the row is leaving.
 */
export function ConversationRow(props: { summary: ListRow; oob?: boolean; viewerId?: string; selected?: boolean }) {
  const s = props.summary;
  const attention = needsAttention(s);
  const name = contactLabel(s);
  const href = `/inbox/c/${s.id}`;
  const queued = s.status === "queued";
  return (
    <li
      id={`conv-row-${s.id}`}
      class="conversation-row"
      data-id={s.id}
      data-status={s.status}
      data-assignee-id={s.assigneeId ?? undefined}
      data-activity={s.lastActivityAt.toISOString()}
      data-needs-attention={attention ? "true" : undefined}
      data-name={name}
      hx-swap-oob={props.oob ? "true" : undefined}
    >
      {/* The id lets htmx give focus back to this link when the list is swapped (j/k, Tab). */}
      <a
        class="row-link"
        id={`conv-link-${s.id}`}
        href={href}
        hx-get={href}
        hx-target="#pane"
        hx-swap="innerHTML"
        hx-push-url="true"
        aria-current={props.selected ? "true" : undefined}
      >
        <span class="row-top">
          <span class="row-name" safe>
            {name}
          </span>
          {/* "2026-11-21 14:03 UTC" until public/live.js makes it "2 min ago". */}
          <DateTime class="row-time" at={s.lastActivityAt} relative zone />
        </span>
        <VisitLine summary={s} />
        <span class="row-preview">
          {s.lastMessageBody ? authorPrefix(s, props.viewerId) : ""}
          <span class="row-text" safe>
            {(s.lastMessageBody ?? "").slice(0, PREVIEW_CHARS)}
          </span>
        </span>
        <span class="row-meta">
          {attention ? <span class="row-mark row-attention">Needs attention</span> : ""}
          {/* Asked while nobody was online: they may have left, so the answer goes by email too. An
              agent's reply in the chat or closing clears it (agent-verbs.ts); a closed row never shows it. */}
          {s.offline && s.status !== "closed" ? <span class="row-mark row-offline">Offline: reply by email</span> : ""}
          {s.queuePosition ? <span class="row-queue" safe>{`#${s.queuePosition} in queue`}</span> : ""}
          <span class="row-assignee" safe>
            {s.assigneeName ?? (s.status === "closed" ? "" : "Unassigned")}
          </span>
        </span>
        {s.labels.length ? (
          <span class="row-labels">
            <span class="visually-hidden">Labels: </span>
            {s.labels.map((l) => (
              <LabelChip label={l} />
            ))}
          </span>
        ) : (
          ""
        )}
      </a>
      {queued && s.recent?.length ? (
        <ol class="row-transcript" aria-label={`Last messages from ${name}`}>
          {s.recent.map((m) => (
            <li class="row-message" data-sender={m.sender}>
              <span class="row-message-sender" safe>{`${senderName(m, "System")}: `}</span>
              <span safe>{m.body.slice(0, PREVIEW_CHARS)}</span>
            </li>
          ))}
        </ol>
      ) : (
        ""
      )}
      {queued ? (
        <form class="row-accept" method="post" action={`${href}/accept`} hx-post={`${href}/accept`} hx-target="#list-notice" hx-swap="innerHTML">
          <button type="submit" class="button accept-button">
            Claim<span class="visually-hidden" safe>{` conversation with ${name}`}</span>
          </button>
        </form>
      ) : (
        ""
      )}
    </li>
  );
}
