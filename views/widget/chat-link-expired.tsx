import type { WidgetLocale, WidgetStrings } from "../../src/widget/locales/index.ts";

/** What a chat link that no longer works opens: the same words whatever the reason (expired, forged, moved). */
export function ChatLinkExpiredPage({ locale, s }: { locale: WidgetLocale; s: WidgetStrings }): string {
  return (
    <>
      {"<!doctype html>"}
      <html lang={locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="referrer" content="no-referrer" />
          <title safe>{s.linkExpiredTitle}</title>
          <link rel="stylesheet" href="/public/embed/widget.css" />
        </head>
        <body class="sd-page">
          <main class="sd-gone">
            <h1 safe>{s.linkExpiredTitle}</h1>
            <p safe>{s.linkExpired}</p>
          </main>
        </body>
      </html>
    </>
  ) as string;
}
