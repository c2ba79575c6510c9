/**
 * The agent's notification choices beside the list: the same choices as on /settings/profile. A
 * change posts the form (htmx), and the answer is this form again with what was saved. The form
 * carries the saved choices (data-notify-*), which public/inbox.js reads before it plays a sound
 * or shows a desktop notification; the script only asks this browser's permission for the latter.
 */
export function NotificationPrefs(props: { sound: boolean; desktop: boolean; saved?: boolean }) {
  return (
    <form
      id="inbox-prefs"
      class="pref-form"
      method="post"
      action="/settings/profile/notifications"
      hx-post="/settings/profile/notifications"
      hx-trigger="change"
      hx-swap="outerHTML"
      data-notify-sound={props.sound ? "on" : "off"}
      data-notify-desktop={props.desktop ? "on" : "off"}
    >
      {/* Never an empty form, also with both boxes unticked (an unticked box sends nothing). */}
      <input type="hidden" name="from" value="inbox" />
      <label class="pref">
        <input type="checkbox" id="pref-sound" data-pref="sound" checked={props.sound} name="sound" value="on" />
        Sound
      </label>
      <label class="pref">
        <input type="checkbox" id="pref-desktop" data-pref="desktop" checked={props.desktop} name="desktop" value="on" />
        Desktop notifications
      </label>
      {/* Shown by public/inbox.js while this browser has not been asked yet. */}
      <button type="button" class="link-button" id="pref-desktop-allow" hidden>
        Allow in this browser
      </button>
      <p class="pref-hint" id="pref-hint" role="status" hidden={!props.saved}>
        {props.saved ? "Saved." : ""}
      </p>
    </form>
  );
}
