import { t } from "elysia";
import { MAX_IDENTITY_TOKEN } from "./identity.ts";

const userFields = {
  email: t.Optional(t.String({ maxLength: 320 })),
  name: t.Optional(t.String({ maxLength: 200 })),
};
const id = t.String({ minLength: 1, maxLength: 200 });
const hash = t.String({ minLength: 1, maxLength: 200 });
const token = t.String({ minLength: 1, maxLength: MAX_IDENTITY_TOKEN });
// Each names the other's proof too (optional), so that a body with both keeps both.
const UserWithHash = t.Object({ id, hash, token: t.Optional(token), ...userFields });
/** The token's claims are checked by the service, which says what is wrong with them. */
const UserWithToken = t.Object({ token, id: t.Optional(id), hash: t.Optional(hash), ...userFields });

export const SessionBody = t.Object({
  inbox: t.String({ minLength: 1, maxLength: 100 }),
  token: t.Optional(t.String({ maxLength: 1000 })),
  /** A BCP 47 tag ("de-AT"); its language picks the bot's built-in answers (see widgetLocale). */
  locale: t.Optional(t.String({ maxLength: 35 })),
  /** The host page's address, shown to agents as "Current page" (see src/contacts/visit.ts). */
  page: t.Optional(t.String({ maxLength: 8192 })),
  /** A signed-in user of the site, with its proof: `hash` of the id, or an identity `token` (src/widget/identity.ts). */
  user: t.Optional(t.Union([UserWithHash, UserWithToken])),
});
export type SessionInput = typeof SessionBody.static;

// Lengths are checked by the message service, which answers with the protocol's error codes.
export const PostMessageBody = t.Object({ clientId: t.String(), body: t.String(), files: t.Optional(t.Array(t.String({ maxLength: 100 }), { maxItems: 100 })) });

export const AwayBody = t.Object({ email: t.String({ maxLength: 320 }) });

/** The one-time ask: an address, or `skip: true`. */
export const EmailPromptBody = t.Object({ email: t.Optional(t.String({ maxLength: 320 })), skip: t.Optional(t.Boolean()) });

/** "Email me this conversation": to the contact's address, or to this one (which becomes theirs). */
export const TranscriptBody = t.Optional(t.Object({ email: t.Optional(t.String({ maxLength: 320 })) }));

/** Seqs are PostgreSQL integers: a larger number is refused (400), never sent to the database. */
export const MAX_SEQ = 2 ** 31 - 1;

export const MessagesQuery = t.Object({ after: t.Optional(t.Integer({ minimum: 0, maximum: MAX_SEQ, title: "after" })) });

/** A client -> server frame of the widget socket, after validation. */
export type ClientFrame =
  | { type: "auth"; token: string; page?: string }
  | { type: "send"; clientId: string; body: string; files?: string[] }
  | { type: "typing"; on: boolean }
  | { type: "read"; seq: number }
  | { type: "resume"; lastSeq: number }
  | { type: "handoff" }
  | { type: "rate"; rating: number; comment?: string };

/** Every frame type the widget socket accepts (the authorization matrix test walks them). */
export const CLIENT_FRAME_TYPES = Object.keys({
  auth: true,
  send: true,
  typing: true,
  read: true,
  resume: true,
  handoff: true,
  rate: true,
} satisfies Record<ClientFrame["type"], true>) as ClientFrame["type"][];

/** Why a frame was refused: the text goes back to the client in an `error` frame. */
export class BadFrame extends Error {}

const isSeq = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= MAX_SEQ;

/**
 * The clientId a frame names, read before it is validated: every error about a send carries it,
 * also one about a frame that fails later on (docs/widget-protocol.md), so the client knows which
 * message to resend.
 */
export function clientIdOf(raw: unknown): string | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const { clientId } = raw as { clientId?: unknown };
  return typeof clientId === "string" ? clientId : undefined;
}

/**
 * Validates one frame. socket.ts has already parsed JSON text into an object; anything else (text
 * that is not JSON, arrays, unknown types, wrong fields) is refused with a reason.
 */
export function parseClientFrame(raw: unknown): ClientFrame {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new BadFrame("Frames are JSON objects with a type.");
  const f = raw as Record<string, unknown>;
  switch (f.type) {
    case "auth":
      if (typeof f.token !== "string" || !f.token) throw new BadFrame("auth needs a token.");
      if (f.page !== undefined && typeof f.page !== "string") throw new BadFrame("auth's page is the host page's address (a string).");
      return f.page === undefined ? { type: "auth", token: f.token } : { type: "auth", token: f.token, page: f.page };
    case "send":
      if (typeof f.clientId !== "string" || typeof f.body !== "string") throw new BadFrame("send needs a clientId and a body (strings).");
      if (f.files !== undefined && !(Array.isArray(f.files) && f.files.length <= 100 && f.files.every((id) => typeof id === "string"))) throw new BadFrame("send's files are the ids of uploaded files (strings).");
      return f.files === undefined ? { type: "send", clientId: f.clientId, body: f.body } : { type: "send", clientId: f.clientId, body: f.body, files: f.files as string[] };
    case "typing":
      if (typeof f.on !== "boolean") throw new BadFrame("typing needs on: true or false.");
      return { type: "typing", on: f.on };
    case "read":
      if (!isSeq(f.seq)) throw new BadFrame("read needs a seq (a whole number).");
      return { type: "read", seq: f.seq };
    case "resume":
      if (!isSeq(f.lastSeq)) throw new BadFrame("resume needs lastSeq (a whole number).");
      return { type: "resume", lastSeq: f.lastSeq };
    case "handoff":
      return { type: "handoff" };
    case "rate":
      // The range and the comment's length are the service's to refuse (bad_rating, too_long).
      if (typeof f.rating !== "number" || (f.comment !== undefined && typeof f.comment !== "string")) throw new BadFrame("rate needs a rating (a number) and an optional comment (a string).");
      return f.comment === undefined ? { type: "rate", rating: f.rating } : { type: "rate", rating: f.rating, comment: f.comment };
    default:
      throw new BadFrame("Unknown frame type.");
  }
}
