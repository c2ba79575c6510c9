import type { WidgetStrings } from "../../src/widget/locales/index.ts";

/**
 * The widget's home (issue 18 item 13), shown until the customer writes: a few of the team as
 * initials (their first names for screen readers), whom the customer writes to, when the team
 * usually replies or when it is back; the inbox's greeting follows it (embed-page.tsx). Filled in
 * from the session.
 */
export function WidgetHome({ s }: { s: WidgetStrings }): string {
  return (
    <div class="sd-home" x-show="$store.chat.home">
      <ul class="sd-team" x-show="$store.chat.inbox.team.length" aria-label={s.team}>
        <template x-for="(a, i) in $store.chat.inbox.team" x-bind:key="i">
          <li>
            <span class="sd-av" aria-hidden="true" x-text="a.initials"></span>
            <span class="sr-only" x-text="a.name"></span>
          </li>
        </template>
      </ul>
      <h2 x-text="$store.chat.homeTitle"></h2>
      <p class="sd-reply" x-show="$store.chat.replyNote" x-text="$store.chat.replyNote"></p>
    </div>
  ) as string;
}

/**
 * The sound switch: its icon shows the sound as it is (a speaker with waves, or struck out) and its
 * name says what a press does ("Mute sounds", "Turn sounds on").
 */
export function MuteButton({ s }: { s: WidgetStrings }): string {
  return (
    <button type="button" class="sd-icon" x-on:click="$store.chat.toggleMute()" x-bind:aria-label="$store.chat.muteLabel" x-bind:title="$store.chat.muteLabel" title={s.mute} aria-label={s.mute}>
      <svg viewBox="0 0 24 24" aria-hidden="true">
        <path d="M11 5 6 9H3v6h3l5 4z" />
        <path x-show="!$store.chat.muted" d="M15.5 8.5a5 5 0 0 1 0 7M18.5 5.5a9 9 0 0 1 0 13" />
        <path x-show="$store.chat.muted" d="m16 9 6 6m0-6-6 6" />
      </svg>
    </button>
  ) as string;
}
