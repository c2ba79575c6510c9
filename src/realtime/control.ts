// Commands that instances send each other through the bus about their own sockets. Unlike a
// publish, a control message is never forwarded to a browser: each instance's listeners act on it
// (e.g. close the sockets of an agent whose access ended on another instance).

/**
 * Every control message there is. `agentId` is an agents.id: that agent's access ended
 * (deactivated). `sessionIds` are agent_sessions ids that ended (sign-out, password change).
 */
export type ControlMessage =
  | { type: "agent_access_ended"; agentId: string }
  | { type: "sessions_ended"; sessionIds: string[] };

/** Longest field we accept from the wire: ids are UUIDs; Redis is shared and may hold anything. */
const MAX_FIELD_LENGTH = 100;
/** A password change ends every other session of one agent: far fewer than this. */
const MAX_SESSION_IDS = 10_000;

const isId = (value: unknown): value is string => typeof value === "string" && value !== "" && value.length <= MAX_FIELD_LENGTH;

export function encodeControl(message: ControlMessage): string {
  return JSON.stringify(message);
}

/** null for anything this code did not write (Redis is shared, and must not be able to crash us). */
export function decodeControl(data: string): ControlMessage | null {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof raw !== "object" || raw === null) return null;
  const f = raw as Record<string, unknown>;
  if (f.type === "agent_access_ended" && isId(f.agentId)) return { type: "agent_access_ended", agentId: f.agentId };
  if (f.type === "sessions_ended" && Array.isArray(f.sessionIds) && f.sessionIds.length <= MAX_SESSION_IDS && f.sessionIds.every(isId)) {
    return { type: "sessions_ended", sessionIds: f.sessionIds };
  }
  return null;
}
