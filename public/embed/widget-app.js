// The chat in the widget's iframe: what the server says (docs/widget-protocol.md), what the host
// page says and what the customer does, applied to the state that the page renders.
import { chat, registerChat } from "./chat-state.js";
import { config, framed, listenToHost, say, strings, tellHost } from "./config.js";
import { onServer, request, restart, sendFrame, socketReady, start, started, tokenOf, visitor } from "./connection.js";
import { emailActions } from "./email.js";
import { fileActions } from "./files.js";
import { agentChanged, beforeAgentMessage } from "./joined.js";
import { registerMessageHtml } from "./message-html.js";
import * as outbox from "./outbox.js";
import { newSocket, readFor, syncUnread, visible } from "./read-state.js";
import { adopt, forget, load, save } from "./storage.js";
import { addMessage, addNote, authorOf, fromTeam } from "./transcript.js";

let resumedFor = null; // the conversation this socket last resumed
let typingSince = 0, typingIdle, typingShown, audio;
const field = () => document.getElementById("sd-msg");
const later = (fn) => window.Alpine.nextTick(fn);
const scrollDown = () => later(() => (document.querySelector(".sd-log").scrollTop = 1e9));

/** The visitor's state from storage: at start, and again when the loader brings its copy. */
const restore = () => Object.assign(chat, { outbox: outbox.storedOutbox(), muted: load("muted", false) === true, awayEmail: String(load("away", "") || "") });
restore();

onServer.session = (answer) => {
  if (chat.contact && chat.contact.id !== answer.contact.id) Object.assign(chat, { msgs: [], notes: [], conv: null, lastSeq: 0 });
  Object.assign(chat, { contact: answer.contact, email: chat.email || answer.contact.email || "", askEmail: !!answer.askEmail });
  Object.assign(chat.inbox, answer.inbox);
  readFor(answer.conversation?.id);
  for (const message of answer.messages) received(message, false);
  chat.lastSeq = Math.max(chat.lastSeq, answer.lastSeq);
  if (answer.conversation) applyStatus(answer.conversation);
  syncUnread();
  tellHost("ready");
};

const fromServer = {
  ready(frame) {
    newSocket(); resumedFor = null; chat.askEmail = !!frame.askEmail;
    if (frame.conversation) { applyStatus(frame.conversation); resume(); }
    outbox.flush(true);
    syncUnread();
  },
  status(frame) {
    applyStatus(frame);
    // The visitor's conversation was just started (here or in another tab): its messages are missing.
    if (frame.conversation && frame.conversation !== resumedFor) resume();
  },
  typing(frame) {
    clearTimeout(typingShown);
    chat.typing = !!frame.on;
    if (frame.on) { typingShown = setTimeout(() => (chat.typing = false), 6000); scrollDown(); }
  },
  read(frame) { if (chat.conv) chat.conv.agentReadSeq = Math.max(chat.conv.agentReadSeq, frame.seq); },
  ack(frame) {
    outbox.remove(frame.clientId); chat.error = "";
    if (frame.askEmail) Object.assign(chat, { askEmail: true, announce: strings.askTitle }); // after the first message: the card, announced
  },
  error: (frame) => (/^(already_rated|not_closed|bad_rating)$/.test(frame.code) ? rateRefused(frame) : outbox.refused(frame)),
  rated,
  /** An answer to a poll (HTTP): the conversation, and what came after lastSeq. */
  polled(frame) {
    outbox.flush(false);
    if (frame.conversation) applyStatus(frame.conversation);
    for (const message of frame.messages) received(message);
  },
};

onServer.frame = (frame) => {
  if (Object.hasOwn(fromServer, frame.type)) fromServer[frame.type](frame);
  if (typeof frame.agentsOnline === "boolean") chat.inbox.agentsOnline = frame.agentsOnline; // ready, presence
  if (frame.type === "message" || frame.type === "ack") received(frame.message);
};

// What came after lastSeq, once per socket and conversation; a later gap needs no resume: the
// server's sweeper redelivers a message whose publish was lost.
function resume() { if (sendFrame({ type: "resume", lastSeq: chat.lastSeq })) resumedFor = chat.conv.id; }

/** A message from the server, shown once; one that arrived `live` (not with the session) is announced. */
function received(message, live = true) {
  if (live && message.sender === "agent") beforeAgentMessage();
  if (!addMessage(chat, message)) return;
  if (message.sender === "customer" && message.clientId) outbox.remove(message.clientId);
  scrollDown();
  if (!live) return;
  if (message.sender === "agent") chat.typing = false;
  if (message.sender === "agent" && !visible()) beep();
  if (fromTeam(message)) {
    chat.announce = say("newMessage", { name: authorOf(message), body: message.body || message.attachments?.map((f) => f.name).join() });
    tellHost("message", { message });
  }
  syncUnread();
}

/** The conversation's state from a status frame, the session or an HTTP answer; notes what the customer should know. */
function applyStatus(update) {
  chat.conv ||= { id: null, status: null, queuePosition: null, agent: null, agentReadSeq: 0 };
  const conv = chat.conv, was = conv.status, wasWith = conv.agent?.name;
  // A status frame does not say `rated`: a close after a reopen is a new episode, not rated yet.
  conv.rated = update.rated ?? (was === "closed" && update.status === "closed" && conv.rated);
  Object.assign(conv, { id: update.id || update.conversation || conv.id, status: update.status, agentReadSeq: Math.max(conv.agentReadSeq, update.agentReadSeq || 0) });
  conv.customerReadSeq = Math.max(conv.customerReadSeq || 0, update.customerReadSeq || 0);
  readFor(conv.id);
  if ("queuePosition" in update) conv.queuePosition = update.queuePosition;
  if ("agent" in update) conv.agent = update.agent;
  if (was !== conv.status || wasWith !== conv.agent?.name) agentChanged(!was);
  if (conv.status === "closed" && was !== "closed") addNote(chat, strings.closed);
  scrollDown();
}

/** This closed episode is rated (here or in another tab; the frame may come twice): thanks, once. */
function rated() {
  if (chat.conv && !chat.conv.rated) addNote(chat, (chat.announce = strings.rateThanks));
  Object.assign(chat.conv || {}, { rated: true });
  Object.assign(chat, { rating: 0, rateComment: "" });
}
const rateRefused = (error) => (error.code === "already_rated" ? rated() : (chat.rateError = strings.errServer));

/** A two-tone chime. Browsers let audio start only after a gesture in this document: the first one makes `audio`. */
function beep() {
  if (chat.muted || !audio) return;
  const tone = audio.createOscillator(), volume = audio.createGain(), now = audio.currentTime;
  tone.frequency.setValueAtTime(880, now).setValueAtTime(660, now + 0.09);
  volume.gain.setValueAtTime(0.0001, now).exponentialRampToValueAtTime(0.12, now + 0.02).exponentialRampToValueAtTime(0.0001, now + 0.3);
  tone.connect(volume).connect(audio.destination);
  tone.start(now);
  tone.stop(now + 0.32);
}
function typingOff() {
  clearTimeout(typingIdle);
  if (typingSince) sendFrame({ type: "typing", on: false });
  typingSince = 0;
}
function grow(textarea) { textarea.style.height = "auto"; textarea.style.height = `${Math.min(textarea.scrollHeight + 2, 140)}px`; }

/** A signed-in user comes with its proof (an identity token, or the id with its hash), or not at all. */
const withProof = (user) => (typeof user?.token === "string" || (typeof user?.id === "string" && typeof user.hash === "string") ? user : null);
function notePage(message) { if (typeof message.page === "string") visitor.page = message.page.slice(0, 2048); }

// The loader sends `boot` first, as soon as this frame says `loaded`; the rest follows in order.
const fromHost = {
  boot(message) {
    visitor.user = withProof(message.user);
    notePage(message);
    if (adopt(message.store)) restore();
    // A first-time visitor who has not opened the chat costs nothing: no session, no socket.
    if (tokenOf() || chat.outbox.length) start();
  },
  open(message) {
    notePage(message);
    chat.open = true;
    start();
    syncUnread();
    scrollDown();
    later(() => field().focus());
  },
  close() { if (framed) chat.open = false; typingOff(); },
  // Same token, now with the user: the server moves an anonymous visitor's chat over to them.
  identify(message) { visitor.user = withProof(message.user); if (started()) restart(); },
  // The loader removes this frame next: forget the visitor, and let no late answer store anything.
  shutdown() {
    restart(true);
    forget();
    Object.assign(chat, { outbox: [], files: [] });
  },
  prefill(message) {
    chat.draft = message.text.slice(0, config.maxLength);
    later(() => { grow(field()); field().focus(); });
  },
};

const actions = {
  ...emailActions, ...fileActions,
  send(event) {
    event?.preventDefault();
    const body = chat.draft.trim(), files = chat.files;
    // A message too long is the server's to refuse (too_long): its text then comes back into the field.
    if (!body && !files.length) return;
    Object.assign(chat, { draft: "", error: "", files: [] });
    typingOff();
    later(() => grow(field()));
    start();
    outbox.queue(body, files);
    scrollDown();
  },
  retry: outbox.retry, discard: outbox.discard, // a failed message: again, or away
  enter(event) {
    if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    actions.send();
  },
  input(event) {
    grow(event.target);
    if (chat.error === outbox.tooLongText() && !chat.tooLong) chat.error = "";
    if (!socketReady || !chat.conv || !event.target.value) return;
    if (Date.now() - typingSince > 2000) { typingSince = Date.now(); sendFrame({ type: "typing", on: true }); }
    clearTimeout(typingIdle);
    typingIdle = setTimeout(typingOff, 3000);
  },
  async handoff() {
    await start();
    if (!sendFrame({ type: "handoff" })) request("POST", "/api/v1/widget/handoff").then((answer) => applyStatus(answer.conversation), outbox.refused);
  },
  async sendAway(event) {
    event.preventDefault();
    const email = chat.email.trim();
    chat.awayError = "";
    const answer = await request("POST", "/api/v1/widget/away", { email }).catch((error) => void (chat.awayError = error.code === "bad_email" ? strings.badEmail : strings.errServer));
    if (!answer) return;
    save("away", (chat.awayEmail = answer.contact?.email || email));
    chat.askEmail = false; // the away form asked already
    if (answer.conversation) applyStatus(answer.conversation); // a new one: the socket hears of it too (status)
  },
  pick(n) { chat.rating = n; later(() => document.getElementById("sd-rate-c").focus()); },
  rate(event) {
    event.preventDefault();
    const body = { rating: chat.rating, comment: chat.rateComment.trim() };
    chat.rateError = "";
    if (!sendFrame({ type: "rate", ...body })) request("POST", "/api/v1/widget/rating", body).then(rated, rateRefused);
  },
  toggleMute: () => save("muted", (chat.muted = !chat.muted)),
  minimise() { tellHost("close"); fromHost.close(); },
  syncUnread,
  unlockAudio() { audio ||= new AudioContext(); if (audio.state === "suspended") audio.resume(); },
};

document.addEventListener("alpine:init", () => {
  registerChat(window.Alpine, actions);
  registerMessageHtml(window.Alpine);
});
// The page's own listeners (Escape, visibility, the gesture that unlocks audio) are in its markup.
document.addEventListener("alpine:initialized", () => {
  listenToHost(fromHost);
  if (!framed) fromHost.open({});
  // The launcher lives in the host page: it takes the inbox's saved look from here.
  tellHost("loaded", { color: config.color, position: config.position });
});
