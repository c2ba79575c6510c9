import { embedSnippet } from "./embed-snippet.tsx";

/**
 * /demo: what a customer sees on a website that embeds the widget. An ordinary page with the
 * snippet, nothing else of ours, so it behaves like any host page.
 */
export function DemoPage(props: { publicUrl: string; publicKey: string; inboxName: string }) {
  const base = props.publicUrl.replace(/\/$/, "");
  return (
    <>
      {"<!doctype html>"}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{`Demo shop · ${props.inboxName}`}</title>
          {/* A file, not a <style>: /demo is served under the app's CSP, which allows no inline style. */}
          <link rel="stylesheet" href={`${base}/public/demo.css`} />
        </head>
        <body>
          <header>
            <strong>Demo shop</strong>
          </header>
          <main>
            <h1>A page with the SupportDesk widget</h1>
            <p>
              The chat button in the corner is the widget of the <strong safe>{props.inboxName}</strong> inbox. Write something: it
              arrives in the inbox, where an agent can answer.
            </p>
            <p>
              This page has nothing of SupportDesk but one line: <code safe>{embedSnippet(props.publicUrl, props.publicKey)}</code>
            </p>
          </main>
          <script src={`${base}/widget.js`} data-inbox={props.publicKey} async></script>
        </body>
      </html>
    </>
  );
}
