// Commands that instances send each other through the bus about their own sockets. Unlike a
// publish, a control message is never forwarded to a browser: each instance's listeners act on it
// (e.g. close the sockets of an agent whose access ended on another instance).

/** Every control message there is. `agentId` is an agents.id. */
export type ControlMessage = { type: "agent_access_ended"; agentId: string };

/** Longest field we accept from the wire: ids are UUIDs; Redis is shared and may hold anything. */
const MAX_FIELD_LENGTH = 100;

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
  if (f.type === "agent_access_ended" && typeof f.agentId === "string" && f.agentId !== "" && f.agentId.length <= MAX_FIELD_LENGTH) {
    return { type: "agent_access_ended", agentId: f.agentId };
  }
  return null;
}
