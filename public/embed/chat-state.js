// The chat's state: one Alpine store ($store.chat) that the page renders and the other modules
// change. Until Alpine starts, `chat` is the plain object; from then on, the store made of it.
import { config, framed, say, strings } from "./config.js";
import { transcriptRows } from "./transcript.js";

export let chat = {
  strings,
  open: !framed,
  conn: "idle", // then connecting, connected, reconnecting or offline (the page has a label for each)
  theme: { "--b": config.color, "--ob": config.onColor }, // the inbox's colour and the text on it
  inbox: { name: config.inboxName, greeting: "", handoffMode: "bot", agentsOnline: true, team: [] },
  contact: null,
  conv: null, // { id, status, queuePosition, agent, agentReadSeq, rated }
  msgs: [], // in seq order (transcript.js); lastSeq: the highest seq up to which none is missing
  lastSeq: 0,
  notes: [],
  outbox: [],
  files: [], // attached to the next message (uploads.js)
  dropping: false, // files are dragged over the chat
  draft: "", error: "", fatal: "", typing: false, muted: false, email: "", awayEmail: "", awayError: "", announce: "",
  // Email (email.js): the server's one-time ask, and "Email me this conversation" (sent up to transcriptSeq).
  rating: 0, rateComment: "", rateError: "", // the choice before it is sent, and why a rating was not stored
  askEmail: false, askAddress: "", askError: "", transcriptWanted: false, transcriptAddress: "", transcriptTo: "", transcriptSeq: -1, transcriptError: "",

  get agentName() { return this.conv?.agent?.name || ""; },
  get typingLabel() { return this.agentName ? say("typing", { name: this.agentName }) : strings.typingSomeone; },
  get queueLabel() { return this.conv?.status !== "queued" ? "" : this.conv.queuePosition ? say("queuePosition", { n: this.conv.queuePosition }) : strings.queueWaiting; },
  get canHandoff() { return !!this.contact && (this.conv ? this.conv.status === "bot" : this.inbox.handoffMode === "bot"); },
  get away() { return !!this.contact && !(this.inbox.agentsOnline && this.inbox.open); }, // open: business hours
  get emailOn() { return !!this.inbox.emailReplies; }, // SMTP and the inbox's reply emails: else nothing promises an email
  get awayAsks() { return this.emailOn && !this.awayEmail; },
  get awayDone() { return this.emailOn && this.awayEmail ? say("awayDone", { email: this.awayEmail }) : ""; },
  get showAsk() { return this.askEmail && this.emailOn && !this.away; }, // the away form asks for the address itself
  get askRating() { return this.conv?.status === "closed" && !this.conv.rated; },
  get needsAddress() { return !this.contact?.email; },
  get showTranscript() { return this.emailOn && !!this.conv?.id && (this.conv.status === "closed" || this.transcriptWanted); },
  get offerTranscript() { return this.emailOn && !!this.conv?.id && !this.showTranscript; },
  get transcriptSent() { return this.transcriptTo && this.transcriptSeq === this.lastSeq ? say("transcriptSent", { email: this.transcriptTo }) : ""; },
  // The home, before the customer writes: a few of the team, the reply time and the greeting (the greeting stays with an immediate handoff).
  get home() { return !this.msgs.length && !this.outbox.length && !this.fatal; },
  get homeTitle() { return say("pageTitle", { inbox: this.inbox.name }); },
  get showGreeting() { return !!this.inbox.greeting && (this.home || this.inbox.handoffMode === "immediate"); },
  // Within hours with nobody online the reply time would mislead: the away card says when today's hours end.
  get replyNote() { return this.inbox.open && !this.inbox.agentsOnline ? "" : this.inbox.note || ""; },
  get headNote() { return this.home ? "" : this.replyNote; },
  get awayUntil() { return this.inbox.open && this.inbox.until ? say("awayUntil", { time: this.inbox.until }) : ""; },
  get muteLabel() { return this.muted ? strings.unmute : strings.mute; },
  get tooLong() { return this.draft.length > config.maxLength; },
  get counter() {
    const left = config.maxLength - this.draft.length;
    return left >= 500 ? "" : left < 0 ? say("charsOver", { n: -left }) : say("charsLeft", { n: left });
  },
  get rows() { return transcriptRows(this); },
};

/** Makes the state Alpine's store, with the actions that the page calls. */
export function registerChat(Alpine, actions) {
  Alpine.store("chat", Object.assign(chat, actions));
  chat = Alpine.store("chat");
}
