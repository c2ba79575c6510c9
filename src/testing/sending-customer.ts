// A customer who keeps writing over a widget socket the way the widget's outbox does
// (docs/widget-protocol.md, "Outbox"): one message at a time, each kept until its ack, a refused
// one sent again with the same clientId. Every answer is recorded for the test to judge.
import type { TestSocket } from "./ws-client.ts";

export interface Answer {
  kind: "ack" | "refused";
  clientId: string;
  code?: string;
  /** performance.now() when it arrived. */
  at: number;
}

/** A frame about a send that did not name it: the client cannot know which message to resend. */
export class AnswerWithoutClientId extends Error {}

export interface SendingCustomer {
  readonly answers: Answer[];
  /** Every clientId it sent, once each. */
  readonly clientIds: string[];
  /** Throws why the loop ended early (a send left unanswered, an answer without clientId). */
  check(): void;
  /** Finishes the message in hand (until acked), sends no more, and resolves when done. */
  stop(): Promise<void>;
}

const isAnswer = (f: Record<string, any>) => f.type === "ack" || f.type === "error";

/**
 * Starts sending at once. `answerTimeoutMs` bounds the wait for each answer: a send that gets
 * neither an ack nor an error naming it fails the loop (and `stop()` rejects with why).
 */
export function sendingCustomer(ws: TestSocket, name: string, answerTimeoutMs = 15_000): SendingCustomer {
  const answers: Answer[] = [];
  const clientIds: string[] = [];
  let stopping = false;

  async function answerTo(clientId: string, from: number): Promise<Record<string, any>> {
    const frame = JSON.parse(
      await ws.waitFor((raw) => {
        const f = JSON.parse(raw) as Record<string, any>;
        return isAnswer(f) && (f.clientId === clientId || f.clientId === undefined);
      }, answerTimeoutMs, from),
    ) as Record<string, any>;
    if (frame.clientId === undefined) throw new AnswerWithoutClientId(`an ${frame.type} frame without clientId: ${JSON.stringify(frame)}`);
    return frame;
  }

  async function run() {
    for (let n = 0; !stopping; n++) {
      const clientId = `${name}-${n}`;
      clientIds.push(clientId);
      for (;;) {
        const from = ws.frames.length;
        ws.send({ type: "send", clientId, body: `message ${clientId}` });
        const frame = await answerTo(clientId, from);
        const at = performance.now();
        if (frame.type === "ack") {
          answers.push({ kind: "ack", clientId, at });
          break;
        }
        answers.push({ kind: "refused", clientId, code: frame.code, at });
        // A refusal with a wait (rate_limited) is honoured; a server_error is resent at once.
        if (frame.retryAfter) await Bun.sleep(frame.retryAfter * 1000);
      }
    }
  }

  let failure: unknown = null;
  const running = run().catch((err: unknown) => {
    failure = err;
  });
  return {
    answers,
    clientIds,
    check() {
      if (failure) throw failure;
    },
    async stop() {
      stopping = true;
      await running;
      this.check();
    },
  };
}
