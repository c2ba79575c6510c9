import type { WidgetLocale, WidgetStrings } from "../../src/widget/locales/index.ts";
import { AskEmailCard, TranscriptCard } from "./email-cards.tsx";
import { AttachButton, FileChips, MessageFiles } from "./files.tsx";
import { MuteButton, WidgetHome } from "./home.tsx";
import { RatingCard } from "./rating-card.tsx";

export interface EmbedPageProps {
  publicKey: string;
  inboxName: string;
  /** The colour the site gave to boot, else the inbox's; and the text colour that reads on it. */
  color: string;
  onColor: string;
  position: string;
  hostOrigin: string;
  locale: WidgetLocale;
  strings: WidgetStrings;
  maxLength: number;
  /** Attachments: the largest file, and files per message (the server's limits, ATTACHMENT_MAX_*). */
  maxFileBytes: number;
  maxFiles: number;
  /** The chat's modules besides widget-app.js, fetched at once rather than one import after another. */
  modules: string[];
  /**
   * The hosted chat page (/chat/{link}): the session the server started for the link's contact, so
   * that the widget starts as them without a request (public/embed/connection.js). Not framed.
   */
  session?: unknown;
}

/**
 * The widget's iframe document: static markup with Alpine directives bound to the `chat` store of
 * public/embed/ (ES modules, no build step). Alpine is its CSP build, which reads only simple
 * expressions (names, members, calls, literals, operators: no globals, no arrow functions);
 * anything more is a getter or an action of the store. Everything the chat needs travels as JSON
 * in #sd-config; user text is only ever bound with x-text. A message's `html`, which the server
 * rendered and escaped (src/messages/render-body.ts), is shown by x-message-html (public/embed/message-html.js),
 * which copies it through an allowlist: nothing in the browser makes HTML.
 */
export function EmbedPage(props: EmbedPageProps): string {
  const s = props.strings;
  const { publicKey, inboxName, color, onColor, position, hostOrigin, locale, strings, maxLength, maxFileBytes, maxFiles, session } = props;
  // `<` escaped so that no string in the config (an inbox name, a message) can close the script element.
  const safeConfig = JSON.stringify({ publicKey, inboxName, color, onColor, position, hostOrigin, locale, strings, maxLength, maxFileBytes, maxFiles, session }).replace(/</g, "\\u003c");
  return (
    <>
      {"<!doctype html>"}
      <html lang={locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="referrer" content="no-referrer" />
          <title safe>{s.pageTitle.replace("{inbox}", () => inboxName)}</title>
          <script type="application/json" id="sd-config">
            {safeConfig}
          </script>
          <link rel="stylesheet" href="/public/embed/widget.css" />
          {props.modules.map((module) => (
            <link rel="modulepreload" href={`/public/embed/${module}`} />
          ))}
          {/* Modules run before deferred scripts that come after them: the store exists when Alpine starts. */}
          <script type="module" src="/public/embed/widget-app.js"></script>
          <script src="/public/vendor/alpine-csp.min.js" defer></script>
        </head>
        <body class={session ? "sd-page" : undefined}>
          {/* `hidden` until Alpine binds it away, not x-cloak: x-cloak needs the stylesheet, and a field shown before the chat runs loses what is typed into it.
              The page's listeners: Escape minimises, a visible page counts as read, the first gesture unlocks audio (browsers want one), files dropped on the chat are attached. */}
          <div
            class="sd"
            x-data
            hidden
            x-bind:hidden="false"
            x-bind:style="$store.chat.theme"
            {...{
              "x-on:keydown.escape.window": "$store.chat.minimise()",
              "x-on:visibilitychange.document": "$store.chat.syncUnread()",
              "x-on:pointerdown.window.capture": "$store.chat.unlockAudio()",
              "x-on:keydown.window.capture": "$store.chat.unlockAudio()",
              "x-on:dragover": "$store.chat.dragOver($event)",
              "x-on:dragleave": "$store.chat.dragLeave($event)",
              "x-on:drop": "$store.chat.drop($event)",
            }}
          >
            <p class="sd-drop" x-show="$store.chat.dropping" x-text="$store.chat.strings.dropHint"></p>
            <header class="sd-head">
              <div class="sd-title">
                <h1 x-text="$store.chat.inbox.name" safe>
                  {inboxName}
                </h1>
                <p class="sd-sub">
                  <span x-show="$store.chat.agentName" x-text="$store.chat.agentName"></span>
                  <span class="sd-dot" x-bind:class="$store.chat.conn" aria-hidden="true"></span>
                  <span x-show="$store.chat.conn === 'connecting'" safe>
                    {s.connConnecting}
                  </span>
                  <span x-show="$store.chat.conn === 'connected'" safe>
                    {s.connConnected}
                  </span>
                  <span x-show="$store.chat.conn === 'reconnecting'" safe>
                    {s.connReconnecting}
                  </span>
                  <span x-show="$store.chat.conn === 'offline'" safe>
                    {s.connOffline}
                  </span>
                </p>
                <p class="sd-sub" x-show="$store.chat.headNote" x-text="$store.chat.headNote"></p>
              </div>
              <MuteButton s={s} />
              {session ? (
                ""
              ) : (
                <button type="button" class="sd-icon" x-on:click="$store.chat.minimise()" title={s.minimise} aria-label={s.minimise}>
                  <svg viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M6 9l6 6 6-6" />
                  </svg>
                </button>
              )}
            </header>
            <main class="sd-main">
              <section class="sd-log" tabindex="0" aria-label={s.messages}>
                <WidgetHome s={s} />
                <p class="sd-greet" x-show="$store.chat.showGreeting" x-text="$store.chat.inbox.greeting"></p>
                <ol>
                  <template x-for="r in $store.chat.rows" x-bind:key="r.key">
                    <li x-bind:class="{ 'sd-d': r.kind === 'day', 'sd-n': r.kind === 'note', 'sd-m': r.kind === 'message', 'sd-me': r.mine }">
                      <template x-if="r.kind !== 'message'">
                        <span x-text="r.text"></span>
                      </template>
                      <template x-if="r.kind === 'message'">
                        <div class="sd-wrap">
                          <span class="sd-who" x-show="r.author" x-text="r.author"></span>
                          <span class="sr-only" x-show="r.mine" x-text="$store.chat.strings.you + ':'"></span>
                          {/* The server's rendering of the message (escaped, links and the Markdown subset); plain text while it waits in the outbox or from an older server. */}
                          <template x-if="r.html">
                            <div class="sd-bub sd-md" x-message-html="r.html"></div>
                          </template>
                          <template x-if="!r.html">
                            <p class="sd-bub" x-text="r.body"></p>
                          </template>
                          <MessageFiles />
                          <span class="sd-meta">
                            <time x-bind:datetime="r.iso" x-text="r.time"></time>
                            <span x-show="r.state === 'sending'" x-text="$store.chat.strings.sending"></span>
                            <span x-show="r.state === 'failed'" class="sd-fail" x-text="$store.chat.strings.failed"></span>
                            <button type="button" class="sd-link" x-show="r.state === 'failed'" x-on:click="$store.chat.retry(r.clientId)" x-text="$store.chat.strings.retry"></button>
                            <button type="button" class="sd-link" x-show="r.state === 'failed'" x-on:click="$store.chat.discard(r.clientId)" x-text="$store.chat.strings.remove"></button>
                            <span x-show="r.seen" x-text="$store.chat.strings.seen"></span>
                          </span>
                        </div>
                      </template>
                    </li>
                  </template>
                </ol>
                <p class="sd-typing" x-show="$store.chat.typing" x-text="$store.chat.typingLabel"></p>
                <AskEmailCard s={s} />
                <RatingCard s={s} />
              </section>
              <div class="sd-bar">
                <p class="sd-note" role="status" x-text="$store.chat.queueLabel"></p>
                <button type="button" class="sd-ghost" x-show="$store.chat.canHandoff" x-on:click="$store.chat.handoff()" safe>
                  {s.handoff}
                </button>
                <div class="sd-away" x-show="$store.chat.away">
                  <p>
                    <strong safe>{s.awayTitle}</strong> <span x-show="$store.chat.awayUntil" x-text="$store.chat.awayUntil"></span>{" "}
                    <span x-show="$store.chat.awayAsks" safe>
                      {s.awayAsk}
                    </span>
                    <span x-show="!$store.chat.emailOn" safe>
                      {s.awayNoEmail}
                    </span>
                    <span x-show="$store.chat.awayDone" x-text="$store.chat.awayDone"></span>
                  </p>
                  <form x-show="$store.chat.awayAsks" x-on:submit="$store.chat.sendAway($event)" class="sd-row">
                    <label for="sd-email" class="sr-only" safe>
                      {s.email}
                    </label>
                    <input id="sd-email" type="email" required autocomplete="email" x-model="$store.chat.email" placeholder={s.email} aria-describedby="sd-away-err" />
                    <button type="submit" class="sd-btn" safe>
                      {s.awaySubmit}
                    </button>
                  </form>
                  <p id="sd-away-err" class="sd-err" x-show="$store.chat.awayError" x-text="$store.chat.awayError"></p>
                </div>
                <TranscriptCard s={s} />
                <p class="sd-err" role="alert" x-text="$store.chat.fatal"></p>
              </div>
              <FileChips />
              <form class="sd-form sd-row" x-show="!$store.chat.fatal" x-on:submit="$store.chat.send($event)">
                <AttachButton s={s} />
                <label for="sd-msg" class="sr-only" safe>
                  {s.message}
                </label>
                <textarea
                  id="sd-msg"
                  rows="1"
                  maxlength={String(maxLength + 1000)}
                  placeholder={s.placeholder}
                  x-model="$store.chat.draft"
                  x-on:input="$store.chat.input($event)"
                  x-on:keydown="$store.chat.enter($event)"
                  x-on:paste="$store.chat.paste($event)"
                  x-bind:aria-invalid="$store.chat.tooLong ? 'true' : 'false'"
                  aria-describedby="sd-hint sd-err sd-count"
                ></textarea>
                <button type="submit" class="sd-btn" safe>
                  {s.send}
                </button>
              </form>
              <p class="sd-foot" x-show="!$store.chat.fatal">
                <span id="sd-err" class="sd-err" role="alert" x-text="$store.chat.error"></span>
                <span id="sd-hint" class="sd-hint" x-show="!$store.chat.error" safe>
                  {s.formatHint}
                </span>
                <span id="sd-count" class="sd-count" x-bind:class="{ 'sd-fail': $store.chat.tooLong }" x-text="$store.chat.counter"></span>
              </p>
              <div class="sr-only" aria-live="polite" x-text="$store.chat.announce"></div>
            </main>
          </div>
        </body>
      </html>
    </>
  ) as string;
}
