// Satisfaction (CSAT): what a customer's rating of a closed conversation is, and why one is refused.
import { t } from "elysia";
import { Refusal } from "../http/refusal.ts";

/** 1..5, in the order the widget shows them (the buttons "Terrible" .. "Great"). */
export const RATING_LABELS = ["Terrible", "Bad", "Okay", "Good", "Great"] as const;
export const MAX_RATING_COMMENT = 1000;

/** A good rating, as the CSAT figure counts it: 4 (Good) or 5 (Great). */
export const GOOD_RATING = 4;

/** POST /api/v1/widget/rating; the `rate` socket frame carries the same two fields. */
export const RatingBody = t.Object({ rating: t.Integer(), comment: t.Optional(t.String()) });

export type RatingRefusedCode = "bad_rating" | "too_long" | "not_closed" | "already_rated" | "no_conversation";

/** A rating not stored: the HTTP status, a code the widget switches on, and a sentence. */
export class RatingRefused extends Refusal {
  override name = "RatingRefused";
  constructor(override readonly code: RatingRefusedCode, message: string) {
    super(code === "already_rated" || code === "not_closed" ? 409 : code === "no_conversation" ? 404 : 400, code, message);
  }
}

export interface RatingInput {
  rating: number;
  comment?: string | null;
}

/** The rating and its comment as stored (a blank comment is none), or why they cannot be. */
export function checkRating(input: RatingInput): { rating: number; comment: string | null } {
  if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5) throw new RatingRefused("bad_rating", "A rating is a whole number from 1 to 5.");
  const comment = input.comment?.trim() || null;
  if (comment && comment.length > MAX_RATING_COMMENT) throw new RatingRefused("too_long", `A comment has at most ${MAX_RATING_COMMENT} characters.`);
  return { rating: input.rating, comment };
}
