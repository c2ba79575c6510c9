// SupportDesk's own SMTP listener for replies by email (SMTP_INBOUND_PORT): it takes mail from the
// internet like an MX, so there is no AUTH, and it relays nothing. STARTTLS is off: it needs a
// certificate for the domain, which the MX or relay in front of us already has (README: Email).
// Refusals come as early as SMTP allows, so the sender's server bounces with our reason: a
// recipient that is no genuine reply address at RCPT TO, a mail over the size limit (552), and
// the service's verdict at the end of DATA.
import { SMTPServer, type SMTPServerDataStream, type SMTPServerOptions } from "smtp-server";
import type { AppContext } from "../app-context.ts";
import { errorMessage } from "../log/logger.ts";
import { INBOUND_REASONS, smtpReplyCode } from "./inbound-model.ts";
import { receiveReplyEmail } from "./inbound-service.ts";
import { readReplyAddress } from "./signed-links.ts";

/** Connections at once; past it the sender is told to come back (421) and its server retries. */
export const MAX_SMTP_CLIENTS = 50;
/** A reply goes to one conversation: a mail to many of our addresses at once is not one. */
export const MAX_SMTP_RECIPIENTS = 10;

// Options of smtp-server 3.21 that its type declarations do not list yet.
type Options = SMTPServerOptions & { rejectOversized: boolean; maxRecipients: number };

export interface InboundSmtp {
  port: number;
  close(): Promise<void>;
}

const smtpError = (responseCode: number, message: string) => Object.assign(new Error(message), { responseCode });

/** The raw mail, or null when it went over `maxBytes` (what came after the limit is read and dropped). */
async function collect(stream: SMTPServerDataStream, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size <= maxBytes) chunks.push(chunk);
  }
  return stream.sizeExceeded || size > maxBytes ? null : Buffer.concat(chunks);
}

export async function startInboundSmtp(ctx: AppContext, port: number, domain: string): Promise<InboundSmtp> {
  const { log } = ctx;
  const maxBytes = ctx.config.limits.inboundEmailMaxBytes;
  const options: Options = {
    name: domain,
    banner: "SupportDesk",
    disabledCommands: ["AUTH", "STARTTLS"],
    authOptional: true,
    size: maxBytes,
    rejectOversized: true,
    maxClients: MAX_SMTP_CLIENTS,
    maxRecipients: MAX_SMTP_RECIPIENTS,
    disableReverseLookup: true,
    socketTimeout: 60_000,
    closeTimeout: 3_000,
    logger: false,
    onRcptTo(address, _session, callback) {
      const check = readReplyAddress(ctx.sessionSecret, domain, address.address);
      if (check.ok) return callback();
      log.info("reply email refused", { code: check.reason, at: "rcpt" });
      callback(smtpError(550, INBOUND_REASONS[check.reason]));
    },
    onData(stream, session, callback) {
      collect(stream, maxBytes)
        .then(async (raw) => {
          if (!raw) {
            log.info("reply email refused", { code: "too_large", at: "data" });
            // smtp-server answers 552 itself (rejectOversized), whatever this says.
            return callback(smtpError(552, INBOUND_REASONS.too_large));
          }
          const result = await receiveReplyEmail(ctx, raw, { recipients: session.envelope.rcptTo.map((r) => r.address) });
          if (result.ok) callback(null, result.duplicate ? "OK: already received" : "OK: received");
          else callback(smtpError(smtpReplyCode(result.code), result.reason));
        })
        .catch((err) => {
          log.error("reply email failed", { error: errorMessage(err) });
          // 4xx: the sender's server keeps the mail and tries again later.
          callback(smtpError(451, "Temporary failure: try again later."));
        });
    },
  };
  const server = new SMTPServer(options);
  // A client's broken connection is reported here; unhandled, it would end the process.
  server.on("error", (err: Error & { code?: string }) => log.debug("smtp connection error", { code: err.code ?? err.name }));
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(port, ctx.config.host, () => {
      server.server.off("error", reject);
      resolve();
    });
  });
  const bound = (server.server.address() as { port: number }).port;
  log.info("SMTP listener for replies by email", { port: bound });
  return {
    port: bound,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
