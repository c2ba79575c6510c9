// The widget's side of a test against a listening app: a visitor's session over HTTP and an
// authenticated widget socket (docs/widget-protocol.md).
import { openSocket, type TestSocket } from "./ws-client.ts";

/** The ws:// URL of a path on a listening test app (`base` as t.listen() returns it). */
export const wsUrl = (base: string, path: string) => `${base.replace("http", "ws")}${path}`;

/** POST /api/v1/widget/session as the widget sends it; the response, for the test to check. */
export function requestSession(base: string, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${base}/api/v1/widget/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

/**
 * A widget socket opened from `origin` that authenticated with `token`, and its `ready` frame.
 * `open` collects the socket so that the test file can close it afterwards.
 */
export async function readyWidgetSocket(base: string, token: string, origin: string, open?: TestSocket[]) {
  const ws = await openSocket(wsUrl(base, "/ws/widget"), { origin });
  open?.push(ws);
  ws.send({ type: "auth", token });
  const ready = await ws.waitForJson((f) => f.type === "ready");
  return { ws, ready };
}

/**
 * A barrier on a customer's socket: frames are handled one at a time, in order, and a second
 * `auth` is answered with an error; once it arrives, everything the server sent for the frames
 * before it (and every push that went out before them) has arrived too.
 */
export async function widgetSocketSettled(ws: TestSocket): Promise<void> {
  const from = ws.frames.length;
  ws.send({ type: "auth", token: "barrier" });
  await ws.waitFor((f) => f.includes("Already authenticated."), 5000, from);
}
