// Agents' inbox sockets answer none of their frames, so a test that must show that one stayed open
// (or received nothing) needs something to come down it: a customer writes through the widget's
// HTTP API and every agent's socket on that instance gets the conversation's list row. A socket
// that receives it was open, and had everything sent to it before, after whatever came first.
import type { TestSocket } from "./ws-client.ts";

/** A new visitor of the inbox with `publicKey` writes once on `base`; resolves once it is stored. */
export async function newVisitorWrites(base: string, publicKey: string, body = "A barrier message"): Promise<void> {
  const session = await fetch(`${base}/api/v1/widget/session`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ inbox: publicKey }),
  });
  if (session.status !== 200) throw new Error(`widget session refused: ${session.status}`);
  const { token } = (await session.json()) as { token: string };
  const sent = await fetch(`${base}/api/v1/widget/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base, authorization: `Bearer ${token}` },
    body: JSON.stringify({ clientId: crypto.randomUUID(), body }),
  });
  if (sent.status !== 201) throw new Error(`widget message refused: ${sent.status}`);
}

/** `socket` receives a list row pushed after now (it is open, and everything sent to it earlier has arrived). */
export async function inboxSocketHears(socket: TestSocket, base: string, publicKey: string): Promise<void> {
  const from = socket.frames.length;
  await newVisitorWrites(base, publicKey);
  await socket.waitFor((f) => f.includes("conv-row-"), 5000, from);
}

/** `promise`, or a failure naming `what` once `ms` have passed. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: Timer | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`not within ${ms} ms: ${what}`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
