// Outgoing email (invites, conversation emails, agent alerts), over SMTP with nodemailer. Sending happens after the commit
// that it reports on, and its failure never undoes that commit: the caller logs it and says so.
import type { Transporter } from "nodemailer";
import type SMTPPool from "nodemailer/lib/smtp-pool";
import type { Config } from "../config.ts";
import { noMetrics, type Metrics } from "../metrics/metrics.ts";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** A display name for MAIL_FROM's address (an inbox's sender name); the address stays MAIL_FROM's. */
  fromName?: string;
  /** Where the recipient's "Reply" goes (a conversation's signed reply address). */
  replyTo?: string;
  /**
   * A stable Message-ID (`<...@host>`) from the job's idempotency key: a retry after a crash
   * mid-send sends the same message again, which mail clients show once in a thread.
   */
  messageId?: string;
  /** Threading: every email of a conversation names the conversation's root id. */
  references?: string[];
  /** RFC 8058 one-click unsubscribe: `List-Unsubscribe` (this https URL) and `List-Unsubscribe-Post`. */
  unsubscribeUrl?: string;
  language?: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** SMTP as configured by SMTP_URL/MAIL_FROM; null without SMTP_URL. */
export function smtpMailer(smtp: Config["smtp"], metrics: Pick<Metrics, "emailSent" | "emailFailed"> = noMetrics): Mailer | null {
  if (!smtp) return null;
  // nodemailer is loaded, and its pool made, at the first email: it is several MiB of a start's
  // memory (compiled binary), and the pool connects only when it sends anyway.
  let transport: Promise<Transporter> | undefined;
  const connect = () =>
    (transport ??= import("nodemailer").then(({ default: nodemailer }) =>
      nodemailer.createTransport(
        {
          url: smtp.url,
          // A few connections kept open and reused: a handshake (and TLS) per email would cap the job
          // worker at a few emails a second to a distant server. nodemailer reconnects when one drops.
          pool: true,
          maxConnections: 5,
          maxMessages: 100,
          // nodemailer waits up to 2 minutes by default; an admin is waiting for this page.
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 20_000,
          // The pool reads `url` as the single transport does; its type does not declare it.
        } as SMTPPool.Options & { url: string },
        { from: smtp.from },
      ),
    ));
  const fromAddress = /<([^<>]+)>\s*$/.exec(smtp.from)?.[1] ?? smtp.from;
  return {
    async send(mail) {
      const { fromName, unsubscribeUrl, language, ...fields } = mail;
      const headers: Record<string, string> = {};
      if (unsubscribeUrl) headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
      if (language) headers["Content-Language"] = language;
      try {
        await (await connect()).sendMail({
          ...fields,
          ...(fromName ? { from: { name: fromName, address: fromAddress } } : {}),
          ...(unsubscribeUrl ? { list: { unsubscribe: unsubscribeUrl } } : {}),
          headers,
        });
      } catch (err) {
        metrics.emailFailed(err);
        throw err;
      }
      metrics.emailSent();
    },
    close: () => void transport?.then((pool) => pool.close()),
  };
}

/** nodemailer's codes for a failed send (EAUTH, 550...), for the log: never its message. */
export function mailErrorCodes(err: unknown): { code?: string; responseCode?: number } {
  const { code, responseCode } = (err ?? {}) as { code?: unknown; responseCode?: unknown };
  return { ...(typeof code === "string" ? { code } : {}), ...(typeof responseCode === "number" ? { responseCode } : {}) };
}

/** What the admin is told when an email could not be sent; the log gets mailErrorCodes. */
export function sendFailureReason(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  switch (code) {
    case "EAUTH":
      return "the mail server refused the user name or password in SMTP_URL";
    case "EENVELOPE":
      return "the mail server refused the sender or the recipient address";
    case "ECONNECTION":
    case "ETIMEDOUT":
    case "ESOCKET":
    case "EDNS":
    case "ECONNREFUSED":
      return "the mail server could not be reached";
    case "ETLS":
      return "a secure connection to the mail server could not be made";
    default:
      return "the mail server reported an error";
  }
}
