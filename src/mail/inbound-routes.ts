// POST /api/v1/inbound-email: a mail service (Postmark, Mailgun, SES via a forwarder...) posts the
// raw MIME of a reply it received for INBOUND_EMAIL_DOMAIN, with the shared secret as a bearer
// token. Off (404) without INBOUND_EMAIL_SECRET. Under /api/, so the same-origin guard leaves it
// alone: its caller is a server, authenticated by the token, never a browser with a cookie.
import { Elysia } from "elysia";
import type { AppContext } from "../app-context.ts";
import { bearerMatches } from "../auth/tokens.ts";
import { Refusal } from "../http/refusal.ts";
import { INBOUND_REASONS } from "./inbound-model.ts";
import { receiveReplyEmail } from "./inbound-service.ts";

export const INBOUND_EMAIL_PATH = "/api/v1/inbound-email";

/** What the body may be declared as: the raw mail, as services send it. */
const RAW_MAIL_TYPES = new Set(["message/rfc822", "text/plain", "application/octet-stream"]);

/** The longest `?recipient=` taken: RFC 5321's path limit. */
const MAX_RECIPIENT_LENGTH = 256;

/** Compares digests, so that neither the secret's length nor its characters leak through timing. */

/** The body, or null as soon as it goes past `max` bytes (a Content-Length may lie or be absent). */
async function readAtMost(body: ReadableStream<Uint8Array> | null, max: number): Promise<Buffer | null> {
  if (!body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
}

const tooLarge = () => new Refusal(413, "too_large", INBOUND_REASONS.too_large);

export function inboundEmailRoutes(ctx: AppContext) {
  return new Elysia({ name: "inbound-email" }).post(
    INBOUND_EMAIL_PATH,
    async ({ request, set }) => {
      const secret = ctx.config.email.inboundSecret;
      if (!secret) throw new Refusal(404, "not_found", "There is nothing at this address.");
      if (!bearerMatches(request.headers.get("authorization"), secret)) {
        throw new Refusal(401, "unauthorized", "A valid bearer token (INBOUND_EMAIL_SECRET) is required.");
      }
      const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
      if (!RAW_MAIL_TYPES.has(type)) {
        throw new Refusal(415, "unsupported_media_type", "Send the raw email as message/rfc822, text/plain or application/octet-stream.");
      }
      const max = ctx.config.limits.inboundEmailMaxBytes;
      if (Number(request.headers.get("content-length") ?? 0) > max) throw tooLarge();
      const raw = await readAtMost(request.body, max);
      if (!raw) throw tooLarge();
      const recipient = new URL(request.url).searchParams.get("recipient")?.trim();
      if (recipient !== undefined && (recipient.length > MAX_RECIPIENT_LENGTH || !recipient)) {
        throw new Refusal(400, "bad_request", `recipient must be an email address of at most ${MAX_RECIPIENT_LENGTH} characters.`);
      }
      const result = await receiveReplyEmail(ctx, raw, recipient ? { recipients: [recipient] } : undefined);
      if (!result.ok) throw new Refusal(result.code === "too_large" ? 413 : 422, result.code, result.reason);
      set.status = 202;
      return { status: result.duplicate ? "duplicate" : "accepted", conversationId: result.conversationId };
    },
    // The body is the raw mail, read here with a size limit: Elysia must not parse it first.
    { parse: "none" },
  );
}
