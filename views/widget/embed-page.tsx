import type { WidgetLocale, WidgetStrings } from "../../src/widget/locales/index.ts";

export interface EmbedPageProps {
  publicKey: string;
  inboxName: string;
  color: string;
  position: string;
  hostOrigin: string;
  locale: WidgetLocale;
  strings: WidgetStrings;
}

/**
 * The widget's iframe document: static markup with Alpine directives, driven by
 * public/embed/widget-app.js. Alpine is its CSP build, which reads only simple expressions
 * (names, members, calls, literals, operators: no globals like `String`, no arrow functions);
 * anything more is a method or getter of the `chat` component. Everything the app needs travels as JSON in #sd-config; user text is
 * only ever bound with x-text, never x-html.
 */
export function EmbedPage(props: EmbedPageProps): string {
  const s = props.strings;
  const { publicKey, inboxName, color, position, hostOrigin, locale, strings } = props;
  // `<` escaped so that no string in the config (an inbox name, say) can close the script element.
  const safeConfig = JSON.stringify({ publicKey, inboxName, color, position, hostOrigin, locale, strings }).replace(/</g, "\\u003c");
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
          <script src="/public/embed/widget-app.js" defer></script>
          <script src="/public/vendor/alpine-csp.min.js" defer></script>
        </head>
        <body>
          {/* `hidden`, not x-cloak: x-cloak needs the stylesheet, and a field shown before the chat runs loses what is typed into it. */}
          <div class="sd" x-data="chat" hidden>
            <header class="sd-head">
              <div class="sd-title">
                <h1 x-text="inbox.name" safe>
                  {inboxName}
                </h1>
                <p class="sd-sub">
                  <span x-show="agentName" x-text="agentName"></span>
                  <span class="sd-dot" x-bind:class="conn" aria-hidden="true"></span>
                  <span x-text="connLabel"></span>
                </p>
              </div>
              <button type="button" class="sd-icon" x-on:click="toggleMute" x-bind:aria-pressed="muted ? 'true' : 'false'" title={s.mute} aria-label={s.mute}>
                <svg viewBox="0 0 24 24" aria-hidden="true">
                  <path d="M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 20a2 2 0 0 0 4 0" />
                  <path x-show="muted" d="M3 3l18 18" />
                </svg>
              </button>
              <button type="button" class="sd-icon" x-on:click="minimise" title={s.minimise} aria-label={s.minimise}>
                <svg viewBox="0 0 24 24" aria-hidden="true">
                  <path d="M6 9l6 6 6-6" />
                </svg>
              </button>
            </header>
            <main class="sd-main">
              <section class="sd-log" x-ref="log" tabindex="0" aria-label={s.messages}>
                <p class="sd-greet" x-show="showGreeting" x-text="inbox.greeting"></p>
                <ol>
                  <template x-for="r in items" x-bind:key="r.k">
                    <li x-bind:class="r.c">
                      <template x-if="r.t !== 'm'">
                        <span x-text="r.text"></span>
                      </template>
                      <template x-if="r.t === 'm'">
                        <div class="sd-wrap">
                          <span class="sd-who" x-show="r.who" x-text="r.who"></span>
                          <span class="sr-only" x-show="r.mine" x-text="s.you + ':'"></span>
                          <p class="sd-bub" x-text="r.body"></p>
                          <span class="sd-meta">
                            <time x-bind:datetime="r.iso" x-text="r.time"></time>
                            <span x-show="r.st === 'sending'" x-text="s.sending"></span>
                            <span x-show="r.st === 'failed'" class="sd-fail" x-text="s.failed"></span>
                            <button type="button" class="sd-link" x-show="r.st === 'failed'" x-on:click="retry(r.cid)" x-text="s.retry"></button>
                            <span x-show="r.seen" x-text="s.seen"></span>
                          </span>
                        </div>
                      </template>
                    </li>
                  </template>
                </ol>
                <p class="sd-typing" x-show="typing" x-text="typingLabel"></p>
              </section>
              <div class="sd-bar">
                <p class="sd-note" role="status" x-text="queueLabel"></p>
                <button type="button" class="sd-ghost" x-show="canHandoff" x-on:click="handoff" safe>
                  {s.handoff}
                </button>
                <div class="sd-away" x-show="away">
                  <p>
                    <strong safe>{s.awayTitle}</strong>{" "}
                    <span x-show="!awayEmail" safe>
                      {s.awayAsk}
                    </span>
                    <span x-show="awayEmail" x-text="awayDone"></span>
                  </p>
                  <form x-show="!awayEmail" x-on:submit="sendAway" class="sd-row">
                    <label for="sd-email" class="sr-only" safe>
                      {s.email}
                    </label>
                    <input id="sd-email" type="email" required autocomplete="email" x-model="email" placeholder={s.email} aria-describedby="sd-away-err" />
                    <button type="submit" class="sd-btn" safe>
                      {s.awaySubmit}
                    </button>
                  </form>
                  <p id="sd-away-err" class="sd-err" x-show="awayErr" x-text="awayErr"></p>
                </div>
                <p class="sd-err" role="alert" x-text="fatal"></p>
              </div>
              <form class="sd-form sd-row" x-show="!fatal" x-on:submit="send">
                <label for="sd-msg" class="sr-only" safe>
                  {s.message}
                </label>
                <textarea
                  id="sd-msg"
                  x-ref="field"
                  rows="1"
                  maxlength="6000"
                  placeholder={s.placeholder}
                  x-model="draft"
                  x-on:input="onInput"
                  x-on:keydown="enter"
                  x-bind:aria-invalid="over ? 'true' : 'false'"
                  aria-describedby="sd-err sd-count"
                ></textarea>
                <button type="submit" class="sd-btn" safe>
                  {s.send}
                </button>
              </form>
              <p class="sd-foot" x-show="!fatal">
                <span id="sd-err" class="sd-err" role="alert" x-text="error"></span>
                <span id="sd-count" class="sd-count" x-bind:class="{ 'sd-fail': over }" x-text="counter"></span>
              </p>
              <div class="sr-only" aria-live="polite" x-text="announce"></div>
            </main>
          </div>
        </body>
      </html>
    </>
  ) as string;
}
