// What the customer wrote that the server has not acknowledged yet. Each message keeps its clientId
// across retries and page loads, so that the server stores it once however often it is sent.
// A message with files waits until they are uploaded (uploads.js), and then names them by id.
import { chat } from "./chat-state.js";
import { config, say, strings } from "./config.js";
import { halt, onServer, polling, request, sendFrame, socketReady } from "./connection.js";
import { uploads } from "./files.js";
import { load, save } from "./storage.js";

const FAILED_AFTER_MS = 15000; // unacknowledged by then: shown as failed, with a retry button
const AUTOMATIC_RETRIES = 3; // a message the server could not store is sent again after 1 s, 3 s, 9 s
const REFUSED_FOR_GOOD = ["empty", "too_long", "bad_text", "bad_client_id", "bad_files"];
const failTimers = new Map(), posting = new Set();
const find = (clientId) => chat.outbox.find((entry) => entry.clientId === clientId);
const persist = () => save("outbox", chat.outbox.map(({ clientId, body, at, files }) => ({ clientId, body, at, files })));
// files: { key (this browser's, for the bytes in IndexedDB), name, size, id (the server's, once uploaded), progress }
const entryOf = (clientId, body, at, files) => ({ clientId, body, at, failed: false, waiting: false, tries: 0, ...(files?.length && { files }) });
export const tooLongText = () => say("tooLong", { max: config.maxLength });

/** The outbox as stored, without what cannot be used (a date that does not parse becomes now). */
export const storedOutbox = () =>
  [].concat(load("outbox", []))
    .filter((entry) => typeof entry?.clientId === "string" && typeof entry.body === "string")
    .map((entry) => entryOf(entry.clientId, entry.body, isNaN(Date.parse(entry.at)) ? new Date().toISOString() : entry.at, entry.files?.filter?.((file) => typeof file?.key === "string")));

/** A new message: into the outbox, and on its way if there is a way (else `ready` or the first poll sends it). */
export function queue(body, files) {
  chat.outbox.push(entryOf(crypto.randomUUID(), body, new Date().toISOString(), files));
  persist();
  const entry = chat.outbox.at(-1);
  if (entry.files) uploads().then((module) => module.keep(entry)); // the bytes, for a reload
  if (socketReady || polling) transmit(entry);
}

/** An entry's files changed (one was uploaded, or refused): stored, and sent if it can be. */
export function resend(entry) {
  if (!entry.body && !entry.files.length) return remove(entry.clientId);
  persist();
  if (socketReady || polling) transmit(entry);
}

function transmit(entry) {
  const { clientId, body, files } = Object.assign(entry, { failed: false, waiting: false });
  clearTimeout(failTimers.get(clientId));
  // Its uploads are under way, or start now (again, after a reload); the last one sends it (resend).
  if (files?.some((file) => !file.id)) return void uploads().then((module) => module.ensure(entry));
  failTimers.set(clientId, setTimeout(() => (entry.failed = true), FAILED_AFTER_MS));
  const message = { clientId, body, ...(files?.length && { files: files.map((file) => file.id) }) };
  if (sendFrame({ type: "send", ...message }) || !polling || posting.has(clientId)) return;
  // Over HTTP the answer is what the socket would have said: an ack, or an error about this message.
  posting.add(clientId);
  request("POST", "/api/v1/widget/messages", message)
    .then((answer) => onServer.frame({ ...answer, type: "ack", clientId }), (error) => onServer.frame({ ...error, type: "error", clientId }))
    .finally(() => posting.delete(clientId));
}

/** Sends the outbox again, except what waits out a limit and, unless `failedToo`, what failed. */
export function flush(failedToo) {
  for (const entry of chat.outbox) if (!entry.waiting && (failedToo || !entry.failed)) transmit(entry);
}

/** The customer's retry button. */
export const retry = (clientId) => transmit(Object.assign(find(clientId), { tries: 0 }));

/** The customer's remove button on a failed message: its text goes back into the field. */
export function discard(clientId) {
  const entry = find(clientId);
  remove(clientId);
  if (entry && !chat.draft) chat.draft = entry.body;
}

/** Out of the outbox: stored (the transcript has it from the ack), or refused for good. */
export function remove(clientId) {
  clearTimeout(failTimers.get(clientId));
  const entry = find(clientId);
  if (!entry) return;
  chat.outbox = chat.outbox.filter((other) => other !== entry);
  persist();
  if (entry.files) uploads().then((module) => module.forget(entry.files));
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
