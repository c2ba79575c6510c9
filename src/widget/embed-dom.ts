// The widget's iframe modules (public/embed/, plain browser ES modules) in a DOM of happy-dom, with a
// fake server: fetch answers the session, and each WebSocket is a socket the test drives. Bun shares
// loaded modules between test files, so one file loads them once (loadEmbed) and puts the globals
// back when it is done (unload).
import { Window } from "happy-dom";

export const EMBED_CONFIG = {
  publicKey: "pk_dom_test",
  inboxName: "Shop",
  color: "#2563eb",
  onColor: "#fff",
  position: "right",
  hostOrigin: "",
  locale: "en",
  maxLength: 5000,
  maxFileBytes: 10485760,
  maxFiles: 10,
  strings: (await import("./locales/en.ts")).en,
};

export type Frame = Record<string, any>;

/** A socket of the widget, as the server side of a test sees it. */
export class FakeSocket {
  static opened: FakeSocket[] = [];
  readonly sent: Frame[] = [];
  onopen?: () => void;
  onmessage?: (event: { data: string }) => void;
  onclose?: (event: { code: number }) => void;
  constructor(readonly url: string) {
    FakeSocket.opened.push(this);
    queueMicrotask(() => this.onopen?.());
  }
  send(data: string) {
    this.sent.push(JSON.parse(data) as Frame);
  }
  /** Closed, by either side: the page hears of it a moment later, as from a browser's socket (1006: the connection was lost). */
  close(code = 1000) {
    queueMicrotask(() => this.onclose?.({ code }));
  }
  /** A frame from the server. */
  receive(frame: Frame) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

const GLOBALS = ["window", "document", "localStorage", "location", "WebSocket", "fetch"] as const;

export async function loadEmbed() {
  const window = new Window({ url: "https://desk.example/embed/widget?inbox=pk_dom_test" });
  window.document.body.innerHTML = `<script type="application/json" id="sd-config">${JSON.stringify(EMBED_CONFIG)}</script>
    <div class="sd"><section class="sd-log"></section><textarea id="sd-msg"></textarea></div>`;
  const saved = Object.fromEntries(GLOBALS.map((name) => [name, (globalThis as Record<string, unknown>)[name]]));
  const requests: { method: string; path: string; body: unknown }[] = [];
  const fakeFetch = async (path: string, init: RequestInit) => {
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    requests.push({ method: init.method ?? "GET", path, body });
    if (path === "/api/v1/widget/session") {
      const inbox = { name: "Shop", greeting: "Hi!", color: "#2563eb", position: "right", handoffMode: "bot", agentsOnline: true, open: true };
      return Response.json({ token: "visitor-token", contact: { id: "contact-1", name: null, email: null, verified: false }, conversation: null, messages: [], lastSeq: 0, inbox });
    }
    return Response.json({ error: { code: "not_found", message: "Not here." } }, { status: 404 });
  };
  Object.assign(globalThis, { window, document: window.document, localStorage: window.localStorage, location: window.location, WebSocket: FakeSocket, fetch: fakeFetch });
  Object.assign(window, { Alpine: { nextTick: (fn: () => void) => fn() } });
  // A path the type checker does not follow: these are browser modules, without types.
  const load = (file: string) => import(new URL(`../../public/embed/${file}`, import.meta.url).href);
  const [state, connection, outbox, transcript, storage] = await Promise.all(["chat-state.js", "connection.js", "outbox.js", "transcript.js", "storage.js"].map(load));
  await load("widget-app.js");
  return {
    window,
    requests,
    /** The chat's state (the plain object: no Alpine here). */
    get chat(): Record<string, any> {
      return state.chat;
    },
    connection,
    outbox,
    transcript,
    storage,
    /** Starts the session and opens the socket; the socket says ready. */
    async connect(ready: Frame = { type: "ready", conversation: null, lastSeq: 0, agentsOnline: true }) {
      await connection.start();
      const socket = FakeSocket.opened.at(-1)!;
      await Promise.resolve();
      socket.receive(ready);
      return socket;
    },
    /** Stops the chat's timers and sockets, and puts the globals back. */
    async unload() {
      connection.restart(true);
      Object.assign(globalThis, saved);
      await window.happyDOM.close();
    },
  };
}
