// What the customer has read: the read receipt for agents, and the launcher's unread count. Kept
// per conversation in storage, with the server's customerReadSeq (any device) as a floor, so that
// a reload or the site's next page counts nothing read as unread again.
import { chat } from "./chat-state.js";
import { tellHost } from "./config.js";
import { sendFrame, socketReady } from "./connection.js";
import { load, save } from "./storage.js";
import { fromTeam } from "./transcript.js";

let readSent = 0; // this socket's latest read receipt
let unreadTold = -1; // the unread count the host page has
export const visible = () => chat.open && document.visibilityState === "visible";

/** A new socket: its first read goes out again. */
export const newSocket = () => (readSent = 0);

/** The conversation the stored read state is about; what was read before it existed (its first messages) counts for it. */
export function readFor(id) {
  const stored = load("conv", null);
  if (!id || stored === id) return;
  if (stored) { save("lastRead", 0); save("with", ""); }
  save("conv", id);
}

export function syncUnread() {
  let lastRead = Math.max(+load("lastRead", 0) || 0, chat.conv?.customerReadSeq || 0);
  if (visible() && chat.lastSeq > lastRead) save("lastRead", (lastRead = chat.lastSeq));
  // Only a read that covers a reply tells agents something (and a socket's first read): no write per own message.
  if (visible() && chat.conv && socketReady && lastRead > readSent) {
    if (!readSent || chat.msgs.some((m) => m.seq > readSent && m.seq <= lastRead && fromTeam(m))) sendFrame({ type: "read", seq: lastRead });
    readSent = lastRead;
  }
  const unread = chat.msgs.filter((m) => m.seq > lastRead && fromTeam(m)).length;
  if (unread !== unreadTold) tellHost("unread", { count: (unreadTold = unread) });
}
