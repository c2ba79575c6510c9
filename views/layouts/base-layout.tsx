import type { Children } from "@kitajs/html";

/** The document shell shared by every agent-facing page. */
export function BaseLayout(props: { title: string; children: Children; scripts?: string[] }) {
  return (
    <>
      {"<!doctype html>"}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{`${props.title} · SupportDesk`}</title>
          <link rel="stylesheet" href="/public/app.css" />
          {(props.scripts ?? []).map((src) => (
            <script src={src} defer></script>
          ))}
        </head>
        <body>{props.children}</body>
      </html>
    </>
  );
}
