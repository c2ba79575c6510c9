import type { WidgetStrings } from "../../src/widget/locales/index.ts";

/**
 * "How was your conversation?" (CSAT), once the conversation is closed and until this closed episode
 * is rated (the server says `rated`): five buttons in a labelled group, the chosen one pressed, then
 * an optional comment and the rating is sent (public/embed/widget-app.js). The thanks is a note in
 * the transcript, read out by the page's live region.
 */
export function RatingCard({ s }: { s: WidgetStrings }): string {
  return (
    <div class="sd-card" x-show="$store.chat.askRating" role="group" aria-labelledby="sd-rate-q">
      <p id="sd-rate-q" class="sd-card-title" safe>
        {s.rateAsk}
      </p>
      <p class="sd-rate">
        {s.rateChoices.split("|").map((label, i) => (
          <button type="button" class="sd-ghost" x-on:click={`$store.chat.pick(${i + 1})`} x-bind:aria-pressed={`$store.chat.rating === ${i + 1}`} safe>
            {label}
          </button>
        ))}
      </p>
      <form x-show="$store.chat.rating" x-on:submit="$store.chat.rate($event)">
        <label for="sd-rate-c" safe>
          {s.rateComment}
        </label>
        <p class="sd-row">
          <textarea id="sd-rate-c" maxlength="1000" x-model="$store.chat.rateComment"></textarea>
          <button type="submit" class="sd-btn" safe>
            {s.rateSend}
          </button>
        </p>
      </form>
      <p class="sd-err" role="alert" x-text="$store.chat.rateError"></p>
    </div>
  ) as string;
}
