// The conversation as the customer sees it: each message once, in seq order; the notes where they
// happened; then the outbox; under day headings. Functions of the chat's state (chat-state.js).
import { config, humanSize, strings } from "./config.js";

/** Adds a message to `state.msgs` unless it is there; returns whether it was new. A gap holds `lastSeq` back. */
export function addMessage(state, message) {
  const list = state.msgs;
  if (!message?.id || list.some((m) => m.id === message.id)) return false;
  let at = list.length;
  while (at > 0 && list[at - 1].seq > message.seq) at--;
  list.splice(at, 0, message);
  for (const m of list) if (m.seq === state.lastSeq + 1) state.lastSeq++;
  return true;
}

/** A line between the messages ("Ana joined the chat"), after those the customer has now. */
export const addNote = (state, text) => state.notes.push({ key: `n${state.notes.length}`, kind: "note", text, after: state.lastSeq, at: new Date().toISOString() });
export const fromTeam = (message) => message.sender === "agent" || message.sender === "bot";
export const authorOf = (message) => (message.sender === "agent" ? message.agentName || strings.agent : message.sender === "bot" ? strings.bot : "");

/** A message's files: an image (shown), another file (a link), or one in the outbox (`up`); `f` is the file in the chat's state. */
const filesOf = (files, up) => (files || []).map((f) => ({ f, key: f.id || f.key, up, img: !up && f.image, doc: !up && !f.image, label: `${f.name} · ${humanSize(f.size)}` }));

const time = new Intl.DateTimeFormat(config.locale, { timeStyle: "short" });
const dayThisYear = new Intl.DateTimeFormat(config.locale, { weekday: "long", day: "numeric", month: "long" });
const dayOtherYear = new Intl.DateTimeFormat(config.locale, { day: "numeric", month: "long", year: "numeric" });

function dayHeading(date, today) {
  const days = Math.round((new Date(today.toDateString()) - new Date(date.toDateString())) / 864e5);
  if (days === 0 || days === 1) return days ? strings.yesterday : strings.today;
  return (date.getFullYear() === today.getFullYear() ? dayThisYear : dayOtherYear).format(date);
}

/** The rows the page renders, keyed for Alpine's x-for. */
export function transcriptRows({ msgs, notes, outbox, conv }, today = new Date()) {
  // Messages by seq with each note after the seq it was written at, then the outbox.
  const entries = [...msgs.map((message) => ({ at: message.createdAt, order: message.seq, message })), ...notes.map((note) => ({ at: note.at, order: note.after + 0.5, note }))]
    .sort((a, b) => a.order - b.order)
    .concat(outbox.map((pending) => ({ at: pending.at, message: { sender: "customer", body: pending.body, attachments: pending.files }, pending })));
  const rows = [];
  let day = "", previous = null, lastOwn = null;
  for (const { at, message, note, pending } of entries) {
    const date = new Date(at);
    if (date.toDateString() !== day) {
      day = date.toDateString();
      rows.push({ key: `d${day}`, kind: "day", text: dayHeading(date, today) });
      previous = null;
    }
    if (note) {
      rows.push(note);
      previous = null;
      continue;
    }
    const author = authorOf(message), mine = message.sender === "customer";
    const row = {
      // html: the server's rendering (links, Markdown), the only HTML the page shows (message-html.js);
      // never made here. A message still in the outbox has none yet and shows its text.
      key: pending ? `o${pending.clientId}` : message.id, kind: "message", mine, body: message.body, html: pending ? "" : message.html || "", seq: message.seq, seen: false,
      files: filesOf(message.attachments, !!pending),
      author: previous?.sender === message.sender && authorOf(previous) === author ? "" : author, iso: date.toISOString(), time: time.format(date),
      state: pending ? (pending.failed ? "failed" : "sending") : "", clientId: pending?.clientId,
    };
    if (mine && !pending) lastOwn = row;
    rows.push(row);
    previous = message;
  }
  if (lastOwn && conv) lastOwn.seen = conv.agentReadSeq >= lastOwn.seq;
  return rows;
}
