// The chat's email verbs (docs/widget-protocol.md, "Email"): the one-time ask for an address, and
// "Email me this conversation". The server says whether either is offered (askEmail, the inbox's
// emailReplies) and checks the address; this shows its answers.
import { chat } from "./chat-state.js";
import { say, strings } from "./config.js";
import { request } from "./connection.js";
import { addNote } from "./transcript.js";

const focus = (id) => window.Alpine.nextTick(() => document.getElementById(id)?.focus());
const failure = (error) => (["bad_email", "email_required"].includes(error.code) ? strings.badEmail : error.code === "rate_limited" ? strings.errEmailLimited : strings.errServer);

/** The card goes, for good (the server remembers it for the visitor's other devices), and the composer has the focus again. */
function closeAsk(note) {
  chat.askEmail = false;
  if (note) addNote(chat, (chat.announce = note));
  focus("sd-msg");
}

export const emailActions = {
  async answerAsk(event) {
    event.preventDefault();
    chat.askError = "";
    const email = chat.askAddress.trim();
    const answer = await request("POST", "/api/v1/widget/email-prompt", { email }).catch((error) => void (chat.askError = failure(error)));
    if (!answer) return focus("sd-ask-email");
    if (chat.contact) chat.contact.email = answer.contact.email;
    closeAsk(say("askDone", { email: answer.contact.email }));
  },
  skipAsk() {
    closeAsk("");
    request("POST", "/api/v1/widget/email-prompt", { skip: true }).catch(() => {}); // asked again next time, at worst
  },
  openTranscript() {
    chat.transcriptWanted = true;
    focus(chat.needsAddress ? "sd-tr-email" : "sd-tr-send");
  },
  async sendTranscript(event) {
    event.preventDefault();
    chat.transcriptError = "";
    const seq = chat.lastSeq;
    const body = chat.needsAddress ? { email: chat.transcriptAddress.trim() } : {};
    const answer = await request("POST", "/api/v1/widget/transcript", body).catch((error) => void (chat.transcriptError = failure(error)));
    if (!answer) return;
    if (chat.contact) chat.contact.email = answer.to;
    Object.assign(chat, { transcriptTo: answer.to, transcriptSeq: seq, askEmail: false });
    chat.announce = chat.transcriptSent;
  },
};
