// The way to the server: the visitor's session over HTTP, then a WebSocket; while no socket gets
// through (from 5 s after the first try), polling over HTTP. Retries back off exponentially with
// jitter, up to 30 s, and a socket that does not open in time is tried again (retry.js). What the
// server says goes to `onServer`, which widget-app.js sets.
import { chat } from "./chat-state.js";
import { config, strings } from "./config.js";
import { retryDelay, timing } from "./retry.js";
import { load, save } from "./storage.js";

/** Refusals that retrying cannot change: the chat stops and says why. */
const FATAL = { identity_required: "errIdentity", origin_not_allowed: "errOrigin", unknown_inbox: "errUnavailable", identity_invalid: "errUnavailable" };
/** The session's answer, and every frame (HTTP answers arrive as frames too: `polled`, `ack`, `error`). */
export const onServer = { session() {}, frame() {} };
/** Who the host page says the visitor is, and where. */
export const visitor = { user: null, page: null };
export let socketReady = false, polling = false;
let generation = 0; // bumped when the visitor changes: what older requests answer is then ignored
let session = null; // the session request under way or done; null before start and after restart
let socket = null, failures = 0, pollBusy = false, retryTimer, fallbackTimer, pollTimer;

export const tokenOf = () => (typeof load("token") === "string" ? load("token") : null);
export const started = () => session !== null;
const backoff = (abnormal) => retryDelay(failures++, abnormal);
const lost = () => (chat.conn = navigator.onLine === false ? "offline" : "reconnecting");

export async function request(method, path, body) {
  const headers = { "content-type": "application/json", ...(tokenOf() && { authorization: `Bearer ${tokenOf()}` }) };
  const res = await fetch(path, { method, headers, body: body && JSON.stringify(body), credentials: "omit" });
  const data = await res.json().catch(() => ({}));
  if (res.ok) return data;
  const { code, message, retryAfter } = data?.error || {};
  throw { status: res.status, code, message, retryAfter: retryAfter || +res.headers.get("retry-after") || 0 };
}

/** Starts the session unless it is under way or the chat stopped for good; resolves once it stands. */
export const start = () => (session || chat.fatal ? session : openSession());

/**
 * The hosted chat page (/chat/{link}) comes with its session, started by the server for the link's
 * customer: no request. Only the link can start another, so when that session ends the chat stops.
 */
let hosted = config.session || null;
function hostedSession() {
  const answer = hosted;
  hosted = null;
  if (!answer) halt(strings.errLinkExpired);
  else { save("token", answer.token); onServer.session(answer); connect(); }
  return (session = Promise.resolve());
}

function openSession() {
  if (config.session) return hostedSession();
  const current = generation;
  if (chat.conn !== "connected") chat.conn = chat.conn === "idle" ? "connecting" : "reconnecting";
  const body = { inbox: config.publicKey, token: tokenOf() || undefined, user: visitor.user || undefined, locale: config.locale, page: visitor.page || undefined };
  return (session = request("POST", "/api/v1/widget/session", body).then(
    (answer) => { if (current === generation) { save("token", answer.token); onServer.session(answer); connect(); } },
    (error) => {
      if (current !== generation) return;
      if (FATAL[error.code]) return halt(strings[FATAL[error.code]]);
      lost();
      retryTimer = setTimeout(openSession, error.retryAfter * 1000 || backoff());
    },
  ));
}

/** Drops the connection, and starts a new session unless the visitor `signedOut`. */
export function restart(signedOut) {
  generation++; stop();
  session = null; chat.fatal = "";
  if (!signedOut) openSession();
}

/** Stops for good, saying why. */
export function halt(text) { Object.assign(chat, { fatal: text, conn: "offline" }); stop(); }

function stop() {
  [retryTimer, fallbackTimer, pollTimer].forEach(clearTimeout);
  const ws = socket;
  socket = fallbackTimer = null; socketReady = polling = false;
  ws?.close(); // its onclose then sees that it is not the socket any more
}

function connect() {
  clearTimeout(retryTimer);
  if (socket || !tokenOf() || chat.fatal) return;
  const ws = (socket = new WebSocket(`${location.origin.replace(/^http/, "ws")}/ws/widget`));
  let reauthenticate = false;
  // Counted from the first try: quick failed retries must not keep postponing the fallback.
  if (!polling && !fallbackTimer) fallbackTimer = setTimeout(startPolling, 5000);
  // Not open in time: closed, so that onclose tries again (a close before the open is abnormal, 1006).
  const opening = setTimeout(() => ws.readyState === 0 && ws.close(), timing.connectTimeoutMs);
  ws.onopen = () => {
    clearTimeout(opening);
    ws.send(JSON.stringify({ type: "auth", token: tokenOf(), page: visitor.page || undefined }));
  };
  ws.onmessage = (event) => {
    const frame = JSON.parse(event.data);
    if (ws !== socket) return;
    if (frame.type === "error" && frame.code === "unauthorized") reauthenticate = true;
    if (frame.type === "ready") {
      [fallbackTimer, pollTimer].forEach(clearTimeout);
      fallbackTimer = null; socketReady = true; polling = false; failures = 0; chat.conn = "connected";
    }
    onServer.frame(frame);
  };
  ws.onclose = (event) => {
    clearTimeout(opening);
    if (ws !== socket) return;
    socket = null; socketReady = false;
    if (chat.fatal) return;
    if (!polling) lost();
    retryTimer = setTimeout(reauthenticate ? openSession : connect, backoff(event.code === 1006));
  };
}

/** Sends a frame if the socket is up; returns whether it went. */
export const sendFrame = (frame) => socketReady && (socket.send(JSON.stringify(frame)), true);

function startPolling() {
  fallbackTimer = null;
  if (!polling && !socketReady && tokenOf() && !chat.fatal) { polling = true; poll(); }
}

/** Asks the server for news, then again every 3 s while polling (at once while there is more). */
async function poll() {
  if (pollBusy) return;
  pollBusy = true;
  const current = generation;
  const answer = await request("GET", `/api/v1/widget/messages?after=${chat.lastSeq}`).catch((error) => {
    if (error.status === 401) restart();
    else if (error.code === "origin_not_allowed") halt(strings.errOrigin);
    else lost();
  });
  pollBusy = false;
  if (answer && current === generation && polling) { chat.conn = "connected"; onServer.frame({ ...answer, type: "polled" }); }
  if (polling) pollTimer = setTimeout(poll, answer?.messages.length >= 500 ? 0 : 3000);
}

addEventListener("online", () => { failures = 0; if (session && !socket) connect(); });
addEventListener("offline", () => (chat.conn = "offline"));
