// A barrier on an agent's socket for negative checks: a marker published on a topic the socket
// hears arrives after everything published to it before (one instance delivers in publish order),
// so once it is here, a frame that did not come is not coming.
import type { Bus } from "../realtime/bus.ts";
import type { TestSocket } from "./ws-client.ts";

/**
 * Publishes a marker on `topic` until `socket` receives one. Repeated because a socket that has
 * just sent its follow or view frame may not be subscribed yet; what counts is the first one it hears.
 */
export async function busBarrier(bus: Bus, socket: TestSocket, topic: string): Promise<void> {
  const marker = `<i id="barrier-${crypto.randomUUID()}"></i>`;
  const from = socket.frames.length;
  const timer = setInterval(() => bus.publish(topic, marker), 20);
  bus.publish(topic, marker);
  try {
    await socket.waitFor((f) => f === marker, 5000, from);
  } finally {
    clearInterval(timer);
  }
}
