import type { Children } from "@kitajs/html";
import type { Theme } from "../../src/agents/model.ts";

/** What the browser's tab says for a page titled `title`. */
export function documentTitle(title: string): string {
  return `${title} · SupportDesk`;
}

/**
 * The document shell shared by every agent-facing page (and the few customer pages an email links
 * to, which pass their reader's `lang`); `styles` (a page's own) come after app.css, phone.css last.
 * `theme`, the signed-in agent's choice, is an attribute on <html> that public/theme.css reads: the
 * first paint is already in that look, without a script.
 */
export function BaseLayout(props: { title: string; children: Children; scripts?: string[]; styles?: string[]; lang?: string; theme?: Theme }) {
  return (
    <>
      {"<!doctype html>"}
      <html lang={props.lang ?? "en"} data-theme={props.theme === "light" || props.theme === "dark" ? props.theme : undefined}>
        <head>
          <meta charset="utf-8" />
          {/* resizes-content: an on-screen keyboard shrinks the layout (and dvh), so the reply form stays above it. */}
          <meta name="viewport" content="width=device-width, initial-scale=1, interactive-widget=resizes-content" />
          <title safe>{documentTitle(props.title)}</title>
          <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
          <link rel="stylesheet" href="/public/theme.css" />
          <link rel="stylesheet" href="/public/app.css" />
          {(props.styles ?? []).map((href) => (
            <link rel="stylesheet" href={href} />
          ))}
          {/* Last, so that its media queries win: the phone-sized layout. */}
          <link rel="stylesheet" href="/public/phone.css" />
        </head>
        <body>
          {props.children}
          {/* Parser-blocking at the end of the body, never `defer`: htmx starts itself with a
              setTimeout when the document is no longer loading, which can run between two deferred
              scripts, before its ws extension has registered, and then no socket ever connects. */}
          {(props.scripts ?? []).map((src) => (
            <script src={src}></script>
          ))}
        </body>
      </html>
    </>
  );
}
