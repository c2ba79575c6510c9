// The bus envelope read back as it was written, with or without the publisher's trace context,
// and everything else on the shared channel refused (null), never thrown on.
import { describe, expect, test } from "bun:test";
import { envelopeHeader, parseEnvelope } from "./bus-envelope.ts";

const TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

describe("bus envelope", () => {
  test("an untraced envelope is the five-field header it always was", () => {
    const header = envelopeHeader("inst-a", "conv:c1:agents", { conversationId: "c1", seq: 7 });
    expect(header).toBe("sd1\tinst-a\tconv:c1:agents\tc1\t7\n");
    expect(parseEnvelope(`${header}<p>hi</p>`)).toEqual({
      instanceId: "inst-a",
      topic: "conv:c1:agents",
      mark: { conversationId: "c1", seq: 7 },
      traceparent: undefined,
      data: "<p>hi</p>",
    });
  });

  test("a traced publish carries its traceparent across, with or without a mark", () => {
    const marked = parseEnvelope(`${envelopeHeader("inst-a", "conv:c1", { conversationId: "c1", seq: 0 }, TRACEPARENT)}data\twith\ttabs\n`);
    expect(marked).toEqual({ instanceId: "inst-a", topic: "conv:c1", mark: { conversationId: "c1", seq: 0 }, traceparent: TRACEPARENT, data: "data\twith\ttabs\n" });
    const unmarked = parseEnvelope(`${envelopeHeader("inst-a", "inbox", undefined, TRACEPARENT)}x`);
    expect(unmarked).toMatchObject({ mark: undefined, traceparent: TRACEPARENT, data: "x" });
  });

  test("malformed headers are refused, a malformed traceparent included", () => {
    const junk = [
      "",
      "garbage",
      "sd1\tx\tconv:test\t\t",
      "sd1\tx\tconv:test\tc1\tNaN\nbad seq",
      "sd0\tx\tconv:test\t\t\nold",
      `sd1\tx\tconv:test\t\t\t\ndata`, // an empty sixth field
      `sd1\tx\tconv:test\t\t\tnot-a-traceparent\ndata`,
      `sd1\tx\tconv:test\t\t\t${TRACEPARENT.toUpperCase()}\ndata`,
      `sd1\tx\tconv:test\t\t\t01-${TRACEPARENT.slice(3)}\ndata`,
      `sd1\tx\tconv:test\t\t\t${TRACEPARENT}-extra\ndata`,
      `sd1\tx\tconv:test\t\t\t${TRACEPARENT}\tseventh\ndata`,
    ];
    for (const message of junk) expect(parseEnvelope(message)).toBeNull();
  });
});
