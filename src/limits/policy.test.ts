import { describe, expect, test } from "bun:test";
import { DEFAULT_RATE_LIMITS, LIMIT_NAMES, rateLimitPolicy, type LimitName } from "./policy.ts";
import { DEFAULT_LIMITS, type LimitSettingName, type LimitSettings } from "./settings.ts";

describe("the policy from the operator's settings", () => {
  test("each variable sets its own limit, for its own kind of key, over the window its name says", () => {
    const MINUTE = 60;
    const expected: Partial<Record<LimitSettingName, [LimitName, "perContact" | "perIp", number]>> = {
      messagesPerContactPerMinute: ["message", "perContact", MINUTE],
      messagesPerIpPerMinute: ["message", "perIp", MINUTE],
      conversationsPerContactPer12Hours: ["conversation", "perContact", 12 * 60 * MINUTE],
      conversationsPerIpPerHour: ["conversation", "perIp", 60 * MINUTE],
      sessionsPerIpPerMinute: ["session", "perIp", MINUTE],
      historyFetchesPerContactPerMinute: ["history", "perContact", MINUTE],
      historyFetchesPerIpPerMinute: ["history", "perIp", MINUTE],
      readFramesPerContactPerMinute: ["read", "perContact", MINUTE],
      readFramesPerIpPerMinute: ["read", "perIp", MINUTE],
      typingFramesPerContactPerSecond: ["typing", "perContact", 1],
      typingFramesPerIpPerSecond: ["typing", "perIp", 1],
      handoffsPerContactPerMinute: ["handoff", "perContact", MINUTE],
      handoffsPerIpPerMinute: ["handoff", "perIp", MINUTE],
      transcriptsPerContactPerHour: ["transcript", "perContact", 60 * MINUTE],
      transcriptsPerIpPerHour: ["transcript", "perIp", 60 * MINUTE],
    };
    // Read by the socket caps, the sign-in throttle and inbound email (their tests), not by the rate limits.
    const elsewhere: LimitSettingName[] = ["openWidgetSocketsPerIp", "openAgentSocketsPerIp", "loginAttemptsPerEmailAndIpPer15Minutes", "loginAttemptsPerIpPer15Minutes", "inboundEmailMaxBytes"];
    // A new setting needs a row here.
    expect([...Object.keys(expected), ...elsewhere].sort()).toEqual(Object.keys(DEFAULT_LIMITS).sort());

    const all = (value: number) => Object.fromEntries(Object.keys(DEFAULT_LIMITS).map((k) => [k, value])) as LimitSettings;
    for (const [setting, [name, kind, seconds]] of Object.entries(expected) as [LimitSettingName, [LimitName, "perContact" | "perIp", number]][]) {
      // Every setting at 1000 but this one at 7: exactly one window of the policy has 7 points.
      const policy = rateLimitPolicy({ ...all(1000), [setting]: 7 });
      const sevens = LIMIT_NAMES.flatMap((n) => (["perContact", "perIp"] as const).filter((k) => policy[n][k]?.points === 7).map((k) => [n, k]));
      expect({ setting, sevens }).toEqual({ setting, sevens: [[name, kind]] });
      expect({ setting, seconds: policy[name][kind]!.seconds }).toEqual({ setting, seconds });
    }
    for (const setting of elsewhere) {
      const policy = rateLimitPolicy({ ...all(1000), [setting]: 7 });
      expect(LIMIT_NAMES.some((n) => policy[n].perContact?.points === 7 || policy[n].perIp.points === 7)).toBe(false);
    }
    // A new session has no contact to count.
    expect(DEFAULT_RATE_LIMITS.session.perContact).toBeNull();
  });
});
