/**
 * The widget's iframe on a page that its inbox does not allow (src/widget/embed-routes.tsx): no
 * chat, only a script that tells the loader, which then shows no launcher and says why in the
 * console. It holds nothing of the inbox: any page may frame it.
 */
export function EmbedRefusedPage(): string {
  return (
    <>
      {"<!doctype html>"}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="referrer" content="no-referrer" />
          <title>Chat not available on this website</title>
          <script src="/public/widget-refused.js" defer></script>
        </head>
        <body></body>
      </html>
    </>
  ) as string;
}
