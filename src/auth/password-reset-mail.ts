import { escapeHtml } from "@kitajs/html";
import type { OutgoingMail } from "../mail/mailer.ts";

/** The "Forgot password?" email: the link, how long it works, and what to do if it was not you. */
export function resetMail(to: string, link: string): OutgoingMail {
  const text =
    "Someone (we hope you) asked to reset your SupportDesk password.\n\n" +
    `Open this link to choose a new one:\n${link}\n\n` +
    "The link works once and expires in 1 hour. If you did not ask for it, ignore this email: your password stays as it is.\n";
  const html =
    "<p>Someone (we hope you) asked to reset your SupportDesk password.</p>" +
    `<p><a href="${escapeHtml(link)}">Choose a new password</a></p>` +
    `<p>Or open this link: ${escapeHtml(link)}</p>` +
    "<p>The link works once and expires in 1 hour. If you did not ask for it, ignore this email: your password stays as it is.</p>";
  return { to, subject: "Reset your SupportDesk password", text, html };
}
