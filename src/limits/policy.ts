// What the widget's rate limits allow: per limit, a budget per contact and one per IP
// (ARCHITECTURE.md §6 "Limits"), from the operator's settings (settings.ts).
import { DEFAULT_LIMITS, type LimitSettings } from "./settings.ts";

/**
 * message: a `send` frame or POST messages. conversation: a message or handoff that starts or
 * reopens a conversation. session: POST session. history: a `resume` frame or GET messages (both
 * replay messages, so one budget: a client cannot switch transports to get twice as many).
 * read, typing: those frames. handoff: a `handoff` frame, POST handoff, POST away or POST email-prompt.
 * transcript: POST transcript (an email of the conversation).
 */
export type LimitName = "message" | "conversation" | "session" | "history" | "read" | "typing" | "handoff" | "transcript";

export const LIMIT_NAMES: readonly LimitName[] = ["message", "conversation", "session", "history", "read", "typing", "handoff", "transcript"];

/** A budget of `points` that refills all at once `seconds` after the first point was taken. */
export interface LimitWindow {
  points: number;
  seconds: number;
}

/** Per limit: points per window, for each kind of key; null: that key is not counted for this limit. */
export interface LimitPolicy {
  perContact: LimitWindow | null;
  perIp: LimitWindow;
}

export type RateLimitPolicy = Record<LimitName, LimitPolicy>;

const SECOND = 1;
const MINUTE = 60;
const HOUR = 60 * MINUTE;

/** The budgets the settings describe; the window of each is the one its variable's name says. */
export function rateLimitPolicy(s: LimitSettings): RateLimitPolicy {
  const per = (points: number, seconds: number): LimitWindow => ({ points, seconds });
  return {
    message: { perContact: per(s.messagesPerContactPerMinute, MINUTE), perIp: per(s.messagesPerIpPerMinute, MINUTE) },
    conversation: { perContact: per(s.conversationsPerContactPer12Hours, 12 * HOUR), perIp: per(s.conversationsPerIpPerHour, HOUR) },
    // A new session has no contact yet: only its IP is counted.
    session: { perContact: null, perIp: per(s.sessionsPerIpPerMinute, MINUTE) },
    history: { perContact: per(s.historyFetchesPerContactPerMinute, MINUTE), perIp: per(s.historyFetchesPerIpPerMinute, MINUTE) },
    read: { perContact: per(s.readFramesPerContactPerMinute, MINUTE), perIp: per(s.readFramesPerIpPerMinute, MINUTE) },
    typing: { perContact: per(s.typingFramesPerContactPerSecond, SECOND), perIp: per(s.typingFramesPerIpPerSecond, SECOND) },
    handoff: { perContact: per(s.handoffsPerContactPerMinute, MINUTE), perIp: per(s.handoffsPerIpPerMinute, MINUTE) },
    transcript: { perContact: per(s.transcriptsPerContactPerHour, HOUR), perIp: per(s.transcriptsPerIpPerHour, HOUR) },
  };
}

export const DEFAULT_RATE_LIMITS: RateLimitPolicy = rateLimitPolicy(DEFAULT_LIMITS);

/** Throws unless every window has whole points >= 1 and whole seconds >= 1. */
export function checkPolicy(policy: RateLimitPolicy): void {
  for (const name of LIMIT_NAMES) {
    for (const [kind, window] of [["contact", policy[name].perContact], ["ip", policy[name].perIp]] as const) {
      if (!window) continue;
      const { points, seconds } = window;
      // Redis keeps whole seconds, and the library reads a duration of 0 as "never refills".
      if (!Number.isInteger(points) || points < 1 || !Number.isInteger(seconds) || seconds < 1) {
        throw new Error(`rate limit ${name}/${kind} needs whole points >= 1 and seconds >= 1`);
      }
    }
  }
}
