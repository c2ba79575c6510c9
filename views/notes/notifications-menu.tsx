import type { MentionNotification, NotificationsView } from "../../src/notes/model.ts";
import { DateTime } from "../components/clock.tsx";
import { oneLine } from "../components/one-line.ts";

/** Characters of a note that a notification shows. */
const PREVIEW_CHARS = 100;
const preview = (text: string) => oneLine(text, PREVIEW_CHARS);

/** Where the menu goes in the app header: it loads itself (GET /notifications), then the agent's socket keeps it current. */
export function NotificationsSlot() {
  return <div id="notifications-menu" class="notifications-menu" hx-get="/notifications" hx-trigger="load" hx-swap="outerHTML"></div>;
}

/** The button: its name carries the unread count, "Notifications (2)". */
export function NotificationsButton(props: { unread: number; oob?: boolean }) {
  return (
    <button type="button" id="notifications-button" class="button notifications-button" popovertarget="notifications-list" data-unread={String(props.unread)} hx-swap-oob={props.oob ? "true" : undefined}>
      {props.unread ? `Notifications (${props.unread})` : "Notifications"}
    </button>
  );
}

function NotificationRow(props: { n: MentionNotification }) {
  const n = props.n;
  return (
    <li class={n.readAt ? "notification" : "notification unread"}>
      {/* Opening it marks it read (GET /notifications/:id redirects to the conversation). */}
      <a href={`/notifications/${n.id}`}>
        <span class="notification-title" safe>{`${n.actorName ?? "A former agent"} mentioned you`}</span>
        {n.readAt ? "" : <span class="visually-hidden"> (unread)</span>}
        <span class="notification-preview" safe>
          {preview(n.noteBody)}
        </span>
      </a>
      <DateTime at={n.createdAt} relative />
    </li>
  );
}

/** The list inside the popover: the newest notifications, and "Mark all read". */
export function NotificationsList(props: { view: NotificationsView; oob?: boolean }) {
  return (
    <div id="notifications-items" hx-swap-oob={props.oob ? "innerHTML" : undefined}>
      {props.view.items.length ? (
        <ul aria-label="Mentions">
          {props.view.items.map((n) => (
            <NotificationRow n={n} />
          ))}
        </ul>
      ) : (
        <p class="notifications-empty">Nothing yet. When a teammate mentions you in a note, it shows here.</p>
      )}
      {props.view.unread ? (
        <button type="button" class="link-button" hx-post="/notifications/read" hx-swap="none">
          Mark all read
        </button>
      ) : (
        ""
      )}
    </div>
  );
}

/** The whole menu (the slot's answer). */
export function NotificationsMenu(props: { view: NotificationsView }) {
  return (
    <div id="notifications-menu" class="notifications-menu">
      <NotificationsButton unread={props.view.unread} />
      <div id="notifications-list" class="notifications-popover" popover aria-label="Notifications">
        <NotificationsList view={props.view} />
      </div>
    </div>
  );
}

/** The live update on the agent's own topic: the button and the list, out of band (an open popover stays open). */
export function NotificationsPush(props: { view: NotificationsView }) {
  return (
    <>
      <NotificationsButton unread={props.view.unread} oob />
      <NotificationsList view={props.view} oob />
    </>
  );
}
