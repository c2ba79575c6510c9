// Outgoing email (invites for now), over SMTP with nodemailer. Sending happens after the commit
// that it reports on, and its failure never undoes that commit: the caller logs it and says so.
import nodemailer from "nodemailer";
import type { Config } from "../config.ts";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** SMTP as configured by SMTP_URL/MAIL_FROM; null without SMTP_URL. */
export function smtpMailer(smtp: Config["smtp"]): Mailer | null {
  if (!smtp) return null;
  const transport = nodemailer.createTransport(
    {
      url: smtp.url,
      // nodemailer waits up to 2 minutes by default; an admin is waiting for this page.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    },
    { from: smtp.from },
  );
  return {
    async send(mail) {
      await transport.sendMail(mail);
    },
    close: () => transport.close(),
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
