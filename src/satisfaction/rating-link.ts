// A rating link from a reply email (src/mail/signed-links.ts ratingLinkToken): what it stands for
// now, and the rating it sends. A link names one conversation's customer and one closed episode
// (its closed_at): once the conversation is reopened, or closed again, it asks about nothing.
import type { ConversationDeps } from "../conversations/changes.ts";
import type { Db } from "../db/database.ts";
import { readRatingLinkToken, type RatingLinkClaims } from "../mail/signed-links.ts";
import type { RatingInput } from "./model.ts";
import { ratingLinkTarget, type RatingLinkTarget } from "./queries.ts";
import { customerRates } from "./service.tsx";

export type OpenedRatingLink =
  | { ok: true; claims: RatingLinkClaims; target: RatingLinkTarget }
  /**
   * `expired`: genuine, but past its time or its episode (410); otherwise forged, garbled, or its
   * contact no longer the conversation's (404). `target`: whose language to answer in, when known.
   */
  | { ok: false; expired: boolean; target?: RatingLinkTarget };

/** Reads only: opening a link records nothing (mail scanners and link previews open every link). */
export async function openRatingLink(db: Db, secret: string, token: string): Promise<OpenedRatingLink> {
  const claims = readRatingLinkToken(secret, token);
  // Signed by us but past its time: checked as if it were the epoch, when every link was valid.
  if (!claims) return { ok: false, expired: readRatingLinkToken(secret, token, 0) !== null };
  const target = await ratingLinkTarget(db, claims.conversationId);
  // The contact must still be the conversation's (a merge or a deletion may have moved it on).
  if (!target || target.contactId !== claims.contactId) return { ok: false, expired: false };
  if (target.status !== "closed" || target.closedAt?.getTime() !== claims.episodeClosedAt) return { ok: false, expired: true, target };
  return { ok: true, claims, target };
}

/** Records the rating for the link's episode, or throws RatingRefused (not_closed when its episode ended since it was opened). */
export function rateByLink(deps: ConversationDeps, link: Extract<OpenedRatingLink, { ok: true }>, input: RatingInput) {
  const { claims, target } = link;
  return customerRates(deps, { inboxId: target.inboxId, contactId: target.contactId }, input, { conversationId: claims.conversationId, closedAt: claims.episodeClosedAt });
}
