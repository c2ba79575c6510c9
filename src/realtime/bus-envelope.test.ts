// The bus envelope read back as it was written, with or without the publisher's trace context,
// and everything else on the shared channel refused (null), never thrown on.
import { describe, expect, test } from "bun:test";
import { batchEnvelope, envelopeHeader, isBatch, isBatchFrom, parseEnvelope, splitBatch } from "./bus-envelope.ts";

const TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
const AT = 1_796_000_000_123.456;

describe("bus envelope", () => {
  test("an untraced envelope is the six-field header: no trace field at all", () => {
    const header = envelopeHeader("inst-a", "conv:c1:agents", { conversationId: "c1", seq: 7 }, AT);
    expect(header).toBe("sd2\tinst-a\tconv:c1:agents\tc1\t7\t1796000000123.456\n");
    expect(parseEnvelope(`${header}<p>hi</p>`)).toEqual({
      instanceId: "inst-a",
      topic: "conv:c1:agents",
      mark: { conversationId: "c1", seq: 7 },
      publishedAt: AT,
      traceparent: undefined,
      data: "<p>hi</p>",
    });
  });

  test("a traced publish carries its traceparent across, with or without a mark", () => {
    const marked = parseEnvelope(`${envelopeHeader("inst-a", "conv:c1", { conversationId: "c1", seq: 0 }, AT, TRACEPARENT)}data\twith\ttabs\n`);
    expect(marked).toEqual({ instanceId: "inst-a", topic: "conv:c1", mark: { conversationId: "c1", seq: 0 }, publishedAt: AT, traceparent: TRACEPARENT, data: "data\twith\ttabs\n" });
    const unmarked = parseEnvelope(`${envelopeHeader("inst-a", "inbox", undefined, AT, TRACEPARENT)}x`);
    expect(unmarked).toMatchObject({ mark: undefined, traceparent: TRACEPARENT, data: "x" });
  });

  test("malformed headers are refused, a malformed time or traceparent included", () => {
    const junk = [
      "",
      "garbage",
      "sd2\tx\tconv:test\t\t\t1.5",
      "sd2\tx\tconv:test\tc1\tNaN\t1.5\nbad seq",
      "sd2\tx\tconv:test\t\t\tsoon\nbad time",
      "sd1\tx\tconv:test\t\t\nold",
      `sd2\tx\tconv:test\t\t\t1.5\t\ndata`, // an empty seventh field
      `sd2\tx\tconv:test\t\t\t1.5\tnot-a-traceparent\ndata`,
      `sd2\tx\tconv:test\t\t\t1.5\t${TRACEPARENT.toUpperCase()}\ndata`,
      `sd2\tx\tconv:test\t\t\t1.5\t01-${TRACEPARENT.slice(3)}\ndata`,
      `sd2\tx\tconv:test\t\t\t1.5\t${TRACEPARENT}-extra\ndata`,
      `sd2\tx\tconv:test\t\t\t1.5\t${TRACEPARENT}\teighth\ndata`,
    ];
    for (const message of junk) expect(parseEnvelope(message)).toBeNull();
  });

  test("a batch is read back as its envelopes, in order, whatever their data holds", () => {
    const tricky = `sdb\tother\t1\n5\n${envelopeHeader("x", "inbox", undefined, AT)}Olá 👋\r\n\u0000`;
    const envelopes = [`${envelopeHeader("inst-a", "conv:c1:agents", { conversationId: "c1", seq: 7 }, AT)}<p>hi</p>`, `${envelopeHeader("inst-a", "conv:c1", undefined, AT)}${tricky}`, `${envelopeHeader("inst-a", "inbox", undefined, AT)}`];
    const batch = batchEnvelope("inst-a", envelopes);
    expect(isBatch(batch)).toBe(true);
    expect(isBatch(envelopes[0]!)).toBe(false);
    expect(splitBatch(batch)).toEqual({ instanceId: "inst-a", envelopes });
    expect([isBatchFrom(batch, "inst-a"), isBatchFrom(batch, "inst"), isBatchFrom(batch, "inst-a2")]).toEqual([true, false, false]);
    expect(envelopes.map((e) => parseEnvelope(e)?.data)).toEqual(["<p>hi</p>", tricky, ""]);
  });

  test("a batch whose count, lengths or header do not add up is refused", () => {
    const one = `${envelopeHeader("inst-a", "inbox", undefined, AT)}x`;
    const junk = [
      "sdb\tinst-a\t1", // no header end
      `sdb\tinst-a\t2\n${one.length}\n${one}`, // fewer than counted
      `sdb\tinst-a\t1\n${one.length + 5}\n${one}`, // longer than what is there
      `sdb\tinst-a\t1\n${one.length}\n${one}tail`, // something after the last
      `sdb\tinst-a\t1\nx\n${one}`, // a length that is no number
      `sdb\t\t1\n${one.length}\n${one}`, // no sender
      `sdb\tinst-a\tone\n${one.length}\n${one}`,
    ];
    for (const message of junk) expect(splitBatch(message)).toBeNull();
  });
});
