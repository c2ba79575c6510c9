import type { WidgetStrings } from "../../src/widget/locales/index.ts";

/**
 * The one-time ask for an address, inline at the end of the transcript (not a modal): shown while
 * the server says askEmail (public/embed/email.js). Labelled, with its error tied to its field.
 */
export function AskEmailCard({ s }: { s: WidgetStrings }): string {
  return (
    <div class="sd-card" x-show="$store.chat.showAsk" role="group" aria-labelledby="sd-ask-title">
      <p id="sd-ask-title" class="sd-card-title" safe>
        {s.askTitle}
      </p>
      <form x-on:submit="$store.chat.answerAsk($event)" class="sd-row">
        <label for="sd-ask-email" class="sr-only" safe>
          {s.email}
        </label>
        <input id="sd-ask-email" type="email" required autocomplete="email" x-model="$store.chat.askAddress" placeholder={s.email} aria-describedby="sd-ask-err" />
        <button type="submit" class="sd-btn" safe>
          {s.askSubmit}
        </button>
      </form>
      <button type="button" class="sd-link" x-on:click="$store.chat.skipAsk()" safe>
        {s.askSkip}
      </button>
      <p id="sd-ask-err" class="sd-err" role="alert" x-text="$store.chat.askError"></p>
    </div>
  ) as string;
}

/**
 * "Email me this conversation": offered at the end of a chat (closed), or from its link while open.
 * The address field shows only when the contact has none; its confirmation names where it went.
 */
export function TranscriptCard({ s }: { s: WidgetStrings }): string {
  return (
    <>
      <button type="button" class="sd-link sd-offer" x-show="$store.chat.offerTranscript" x-on:click="$store.chat.openTranscript()" safe>
        {s.transcriptOffer}
      </button>
      <div class="sd-card" x-show="$store.chat.showTranscript" role="group" aria-labelledby="sd-tr-title">
        <p id="sd-tr-title" class="sd-card-title" safe>
          {s.transcriptOffer}
        </p>
        <p role="status" x-text="$store.chat.transcriptSent"></p>
        <form x-show="!$store.chat.transcriptSent" x-on:submit="$store.chat.sendTranscript($event)" class="sd-row">
          <label for="sd-tr-email" class="sr-only" safe>
            {s.email}
          </label>
          <input
            id="sd-tr-email"
            type="email"
            autocomplete="email"
            x-show="$store.chat.needsAddress"
            x-bind:required="$store.chat.needsAddress"
            x-model="$store.chat.transcriptAddress"
            placeholder={s.email}
            aria-describedby="sd-tr-err"
          />
          <button id="sd-tr-send" type="submit" class="sd-btn" safe>
            {s.transcriptSend}
          </button>
        </form>
        <p id="sd-tr-err" class="sd-err" role="alert" x-text="$store.chat.transcriptError"></p>
      </div>
    </>
  ) as string;
}
