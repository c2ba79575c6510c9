// A real SMTP server in the test process (smtp-server), as a mail provider would be: it accepts
// what SupportDesk sends over SMTP and keeps each message raw and parsed (mailparser). Tests
// wait for a message to arrive, never for time to pass.
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface CapturedMail {
  /** The envelope's recipients (RCPT TO), which may differ from the To header. */
  envelopeTo: string[];
  raw: string;
  parsed: ParsedMail;
  /** A header by lower-case name, as one string ("" when absent). */
  header(name: string): string;
}

export interface SmtpCapture {
  /** smtp://127.0.0.1:{port}: what SMTP_URL is set to. */
  url: string;
  port: number;
  mails: CapturedMail[];
  /** Resolves with the `count`-th mail (1-based) sent to `to` (all recipients when omitted), once it has arrived. */
  nth(count: number, to?: string, timeoutMs?: number): Promise<CapturedMail>;
  /** Mails to `to` so far. */
  to(address: string): CapturedMail[];
  /**
   * The next message is refused after its data arrived, as a mail server does (451: try later;
   * 550: never), and not kept. Each call refuses one more message.
   */
  refuseNext(responseCode: number): void;
  close(): Promise<void>;
}

/**
 * `parse: false` (benchmarks) keeps the envelope and the raw text only: parsing thousands of mails
 * in this process would take the CPU the sender is measured on. `parsed` is then an empty stand-in.
 */
export async function smtpCapture(options: { parse?: boolean } = {}): Promise<SmtpCapture> {
  const parse = options.parse ?? true;
  const mails: CapturedMail[] = [];
  const waiters = new Set<() => void>();
  const refusals: number[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    async onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      const refusal = refusals.shift();
      if (refusal !== undefined) return callback(Object.assign(new Error(`refused by the test (${refusal})`), { responseCode: refusal }));
      const raw = Buffer.concat(chunks).toString("utf8");
      const parsed = parse ? await simpleParser(raw) : ({ headers: new Map() } as unknown as ParsedMail);
      mails.push({
        envelopeTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
        raw,
        parsed,
        header: (name) => {
          const value = parsed.headers.get(name.toLowerCase());
          return value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
        },
      });
      for (const wake of waiters) wake();
      callback();
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as { port: number }).port;
  const toOf = (address?: string) => (address ? mails.filter((m) => m.envelopeTo.includes(address.toLowerCase())) : mails);
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    mails,
    to: (address) => toOf(address),
    refuseNext: (responseCode) => void refusals.push(responseCode),
    nth(count, to, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = toOf(to)[count - 1];
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`mail #${count}${to ? ` to ${to}` : ""} did not arrive within ${timeoutMs} ms (${toOf(to).length} did)`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
