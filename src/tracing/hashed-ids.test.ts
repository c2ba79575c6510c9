// Ids in spans: the same id hashes the same on every instance of one install, differently on
// another install, and the id itself is nowhere in what a span gets.
import { expect, test } from "bun:test";
import { hashedId, idAttributes, useTraceIdKey } from "./hashed-ids.ts";

test("an id is shown as 16 hex digits of an HMAC under this install's key", () => {
  const id = "0b8f6d1e-4c2a-4f7e-9a51-3d2c1b0a9f88";
  useTraceIdKey("install-one-secret-install-one-secret-0000");
  const one = hashedId(id);
  expect(one).toMatch(/^[0-9a-f]{16}$/);
  expect(hashedId(id)).toBe(one);
  expect(hashedId(`${id}x`)).not.toBe(one);
  const attributes = idAttributes({ conversation: id, contact: null, agent: "agent-7" });
  expect(attributes).toEqual({ "supportdesk.conversation.hash": one, "supportdesk.agent.hash": hashedId("agent-7") });
  expect(JSON.stringify(attributes)).not.toContain(id);
  useTraceIdKey("install-two-secret-install-two-secret-0000");
  expect(hashedId(id)).not.toBe(one);
});
