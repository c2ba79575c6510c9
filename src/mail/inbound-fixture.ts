// What the replies-by-email tests share: an app that receives mail (its SMTP listener and the
// webhook on), a customer who left an email address in the widget, the sample replies filled in
// with that customer's address and reply address, and a real SMTP client to deliver them.
import { eq, sql } from "drizzle-orm";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import nodemailer from "nodemailer";
import { contacts, messages } from "../db/schema/index.ts";
import { signedInTeam, type InboxRow, type TeamMember } from "../testing/fixtures.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { replyAddress } from "./signed-links.ts";

export const INBOUND_DOMAIN = "reply.example.test";
export const INBOUND_SECRET = "inbound-webhook-secret-0123456789abcdef";
/** Small, so that an over-size mail is cheap to make; each sample is well under it. */
export const TEST_MAX_BYTES = 64 * 1024;

export type SampleName = "gmail-reply" | "outlook-reply" | "apple-mail-reply";

/** What each sample's customer wrote above the quote and the signature, as it must land. */
export const SAMPLE_TEXT: Record<SampleName, string> = {
  "gmail-reply": "Thanks Ana \u2014 that worked, the invoice now shows the right address.\n\nOne more question: can I get it as a PDF as well?",
  "outlook-reply": "Hi Ana,\n\nyes, please cancel the second order (2025-0143). The first one is the one we need.",
  "apple-mail-reply": "Perfect, thank you! I\u2019ll try the new link tonight and let you know.",
};
export const SAMPLES = Object.keys(SAMPLE_TEXT) as SampleName[];

/** A port nobody listens on now (the listener needs a number: SMTP_INBOUND_PORT takes no 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface InboundApp {
  t: TestApp;
  smtpPort: number;
  ana: TeamMember;
  inbox: InboxRow;
}

export async function inboundApp(env: Record<string, string> = {}): Promise<InboundApp> {
  const smtpPort = await freePort();
  const t = await createTestApp({
    env: {
      HOST: "127.0.0.1",
      SMTP_INBOUND_PORT: String(smtpPort),
      INBOUND_EMAIL_DOMAIN: INBOUND_DOMAIN,
      INBOUND_EMAIL_SECRET: INBOUND_SECRET,
      INBOUND_EMAIL_MAX_BYTES: String(TEST_MAX_BYTES),
      ...env,
    },
  });
  const { ana, inbox } = await signedInTeam(t, { handoffMode: "immediate" });
  return { t, smtpPort, ana, inbox };
}

export interface Customer {
  email: string;
  /** The widget's visitor token. */
  token: string;
  contactId: string;
  conversationId: string;
  /** The conversation's signed reply address, as its emails carry it. */
  replyTo: string;
}

let customers = 0;

/** A visitor writes in the widget and leaves their address in the away form, as a customer who then leaves does. */
export async function customerWhoLeft(t: TestApp, inbox: InboxRow): Promise<Customer> {
  const email = `Kim.${++customers}.${Date.now()}@Example.com`;
  const json = { "content-type": "application/json", origin: TEST_ORIGIN };
  const session = await t.request("/api/v1/widget/session", { method: "POST", headers: json, body: JSON.stringify({ inbox: inbox.publicKey }) });
  const { token } = (await session.json()) as { token: string };
  const auth = { ...json, authorization: `Bearer ${token}` };
  const sent = await t.request("/api/v1/widget/messages", { method: "POST", headers: auth, body: JSON.stringify({ clientId: crypto.randomUUID(), body: "Where is my invoice?" }) });
  if (sent.status !== 201) throw new Error(`the widget refused the message: ${sent.status}`);
  const away = await t.request("/api/v1/widget/away", { method: "POST", headers: auth, body: JSON.stringify({ email }) });
  const { conversation } = (await away.json()) as { conversation: { id: string } };
  const [contact] = await t.database.db.select({ id: contacts.id }).from(contacts).where(sql`lower(${contacts.email}) = ${email.toLowerCase()}`);
  return { email, token, contactId: contact!.id, conversationId: conversation.id, replyTo: replyAddress(t.ctx.sessionSecret, INBOUND_DOMAIN, conversation.id) };
}

/** A sample reply with its placeholders filled in, CRLF line ends as on the wire. */
export function sample(name: SampleName, fill: { replyTo: string; from: string }): string {
  return readFileSync(join(import.meta.dir, "testdata", `${name}.eml`), "utf8")
    .replaceAll("{{REPLY_TO}}", fill.replyTo)
    .replaceAll("{{FROM}}", fill.from)
    .replace(/\r?\n/g, "\r\n");
}

/** `raw` with its Message-ID header replaced (another email of the same shape). */
export function withMessageId(raw: string, messageId: string): string {
  return raw.replace(/^Message-I[Dd]:(?:\r\n[ \t].*|.*)$/m, `Message-ID: ${messageId}`);
}

/** What our SMTP listener answered: the final reply, or the refusal (at RCPT TO, MAIL FROM or DATA). */
export type SmtpOutcome = { accepted: true; response: string } | { accepted: false; responseCode: number; response: string };

/** Delivers `raw` over SMTP to our listener, as the customer's mail server would. */
export async function deliverOverSmtp(port: number, raw: string, envelope: { from: string; to: string }): Promise<SmtpOutcome> {
  const transport = nodemailer.createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true, connectionTimeout: 5000 });
  try {
    const info = await transport.sendMail({ envelope, raw });
    return { accepted: true, response: info.response };
  } catch (err) {
    const { responseCode, response } = err as { responseCode?: number; response?: string };
    if (typeof responseCode !== "number") throw err;
    return { accepted: false, responseCode, response: response ?? "" };
  } finally {
    transport.close();
  }
}

/** POST /api/v1/inbound-email as a mail service sends it. */
export function postInbound(t: TestApp, raw: BodyInit, options: { token?: string | null; type?: string; recipient?: string; headers?: Record<string, string> } = {}) {
  const token = options.token === undefined ? INBOUND_SECRET : options.token;
  return t.request(`/api/v1/inbound-email${options.recipient ? `?recipient=${encodeURIComponent(options.recipient)}` : ""}`, {
    method: "POST",
    headers: { "content-type": options.type ?? "message/rfc822", ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...options.headers },
    body: raw,
  });
}

/** The conversation's customer messages, oldest first. */
export async function customerMessages(t: TestApp, conversationId: string): Promise<string[]> {
  const rows = await t.database.db.select({ body: messages.body, sender: messages.sender }).from(messages).where(eq(messages.conversationId, conversationId)).orderBy(messages.seq);
  return rows.filter((r) => r.sender === "customer").map((r) => r.body);
}

/** Every message in the database: a refused mail adds none anywhere. */
export async function messageCount(t: TestApp): Promise<number> {
  const [row] = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(messages);
  return row!.n;
}
