import type { Children } from "@kitajs/html";

/**
 * The HTML shell every SupportDesk email shares: inline styles only (mail clients drop <style>
 * and external sheets), one column, readable without images. `lang` is the recipient's language;
 * `footer` carries why they got it and, for customers, the unsubscribe link.
 */
export function EmailLayout(props: { lang: string; title: string; children: Children; footer?: JSX.Element }) {
  const footer = props.footer ? <div style="max-width:560px;margin:12px auto 0;font-size:12px;color:#52525b">{props.footer as "safe"}</div> : "";
  return (
    <>
      {"<!doctype html>"}
      <html lang={props.lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{props.title}</title>
        </head>
        <body style="margin:0;padding:24px;background:#f4f4f5;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#18181b;line-height:1.5">
          <div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">{props.children}</div>
          {footer}
        </body>
      </html>
    </>
  );
}

/** A button-like link, the email's one call to action. `href` is built by the server, never from input. */
export function EmailButton(props: { href: string; children: Children }) {
  return (
    <p style="margin:24px 0">
      <a href={props.href} style="display:inline-block;background:#2563eb;color:#ffffff;text-decoration:none;padding:10px 16px;border-radius:6px;font-weight:600">
        {props.children}
      </a>
    </p>
  );
}
