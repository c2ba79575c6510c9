// What the customer wrote that the server has not acknowledged yet. Each message keeps its clientId
// across retries and page loads, so that the server stores it once however often it is sent.
import { chat } from "./chat-state.js";
import { config, say, strings } from "./config.js";
import { halt, onServer, polling, request, sendFrame, socketReady } from "./connection.js";
import { load, save } from "./storage.js";

const FAILED_AFTER_MS = 15000; // unacknowledged by then: shown as failed, with a retry button
const AUTOMATIC_RETRIES = 3; // a message the server could not store is sent again after 1 s, 3 s, 9 s
const REFUSED_FOR_GOOD = ["empty", "too_long", "bad_text", "bad_client_id"];
const failTimers = new Map(), posting = new Set();
const find = (clientId) => chat.outbox.find((entry) => entry.clientId === clientId);
const persist = () => save("outbox", chat.outbox.map(({ clientId, body, at }) => ({ clientId, body, at })));
const entryOf = (clientId, body, at) => ({ clientId, body, at, failed: false, waiting: false, tries: 0 });
export const tooLongText = () => say("tooLong", { max: config.maxLength });

/** The outbox as stored, without what cannot be used (a date that does not parse becomes now). */
export const storedOutbox = () =>
  [].concat(load("outbox", []))
    .filter((entry) => typeof entry?.clientId === "string" && typeof entry.body === "string")
    .map((entry) => entryOf(entry.clientId, entry.body, isNaN(Date.parse(entry.at)) ? new Date().toISOString() : entry.at));

/** A new message: into the outbox, and on its way if there is a way (else `ready` or the first poll sends it). */
export function queue(body) {
  chat.outbox.push(entryOf(crypto.randomUUID(), body, new Date().toISOString()));
  persist();
  if (socketReady || polling) transmit(chat.outbox.at(-1));
}

function transmit(entry) {
  const { clientId, body } = Object.assign(entry, { failed: false, waiting: false });
  clearTimeout(failTimers.get(clientId));
  failTimers.set(clientId, setTimeout(() => (entry.failed = true), FAILED_AFTER_MS));
  if (sendFrame({ type: "send", clientId, body }) || !polling || posting.has(clientId)) return;
  // Over HTTP the answer is what the socket would have said: an ack, or an error about this message.
  posting.add(clientId);
  request("POST", "/api/v1/widget/messages", { clientId, body })
    .then((answer) => onServer.frame({ ...answer, type: "ack", clientId }), (error) => onServer.frame({ ...error, type: "error", clientId }))
    .finally(() => posting.delete(clientId));
}

/** Sends the outbox again, except what waits out a limit and, unless `failedToo`, what failed. */
export function flush(failedToo) {
  for (const entry of chat.outbox) if (!entry.waiting && (failedToo || !entry.failed)) transmit(entry);
}

/** The customer's retry button. */
export const retry = (clientId) => transmit(Object.assign(find(clientId), { tries: 0 }));

/** Out of the outbox: stored (the transcript has it from the ack), or refused for good. */
export function remove(clientId) {
  clearTimeout(failTimers.get(clientId));
  if (!find(clientId)) return;
  chat.outbox = chat.outbox.filter((entry) => entry.clientId !== clientId);
  persist();
}

function sendLater(entry, ms) {
  entry.waiting = true;
  clearTimeout(failTimers.get(entry.clientId));
  setTimeout(() => find(entry.clientId) && transmit(entry), ms);
}

/** The server refused something; `clientId` names the message when it was a send. */
export function refused({ code, clientId, retryAfter, message, status }) {
  const entry = clientId && find(clientId);
  if (code === "rate_limited") {
    const seconds = retryAfter || 5;
    // A new conversation's budget refills after up to an hour: say minutes, not 3,412 s.
    chat.error = seconds < 90 ? say("errRateLimited", { s: seconds }) : say("errRateLimitedMinutes", { m: Math.ceil(seconds / 60) });
    if (entry) sendLater(entry, seconds * 1000);
  } else if (REFUSED_FOR_GOOD.includes(code)) {
    chat.error = code === "too_long" ? tooLongText() : code === "empty" ? strings.errEmpty : message || strings.errServer;
    if (entry) remove(clientId);
    if (entry && !chat.draft) chat.draft = entry.body; // to fix and send again
  } else if (code === "origin_not_allowed") {
    halt(strings.errOrigin);
  } else if (code !== "unauthorized" && code !== "bad_frame") {
    const final = status < 500; // an HTTP answer that retrying cannot change
    if (entry && !final && entry.tries < AUTOMATIC_RETRIES) return sendLater(entry, 1000 * 3 ** entry.tries++ + Math.random() * 500);
    chat.error = final && message ? message : strings.errServer;
    if (entry) entry.failed = true;
  }
}
