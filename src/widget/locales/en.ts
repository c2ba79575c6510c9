/**
 * Every string the widget shows, in English. The loader on the host page uses the `launcher*`
 * keys (the server puts them into /widget.js); the iframe page gets the whole catalog.
 * Other languages have exactly these keys (see index.ts). `{name}`-style placeholders are filled
 * in by the app; numbers and dates are formatted with Intl for the locale.
 */
export const en = {
  launcherOpen: "Open chat",
  launcherClose: "Close chat",
  /** {count} is replaced; the badge itself shows "9+" above nine. */
  launcherUnread: "{count} unread messages",

  pageTitle: "Chat with {inbox}",
  minimise: "Minimise chat",
  /** The sound button's name says what it does: mute while sounds are on, unmute while muted. */
  mute: "Mute sounds",
  unmute: "Turn sounds on",
  /** The widget's home, before the customer writes: the faces of a few of the team. */
  team: "The team",
  connConnecting: "Connecting…",
  connConnected: "Connected",
  connReconnecting: "Reconnecting…",
  connOffline: "Offline",
  messages: "Messages",
  today: "Today",
  yesterday: "Yesterday",
  you: "You",
  agent: "Support",
  bot: "Assistant",
  joined: "{name} joined the chat",
  closed: "Conversation closed. Write a message to reopen it.",
  queuePosition: "You are number {n} in the queue",
  queueWaiting: "Waiting for someone from the team…",
  typing: "{name} is typing…",
  typingSomeone: "Someone is typing…",
  seen: "Seen",
  sending: "Sending…",
  failed: "Failed",
  retry: "Retry",
  newMessage: "New message from {name}: {body}",
  message: "Message",
  placeholder: "Write a message…",
  send: "Send",
  /** Under the message field: what the chat renders (src/messages/render-body.ts). */
  formatHint: "**bold**, _italic_, `code`, lists · links are detected",
  /** Files (public/embed/files.js, uploads.js); {max} is a size such as "10 MB". */
  attach: "Attach a file",
  fileRemove: "Remove {name}",
  dropHint: "Drop files to attach them",
  fileTooLarge: "{name} is larger than {max}",
  fileType: "{name} cannot be sent: only images, PDF, text and office documents",
  fileCount: "A message can have at most {n} files.",
  /** A message waiting to be sent whose file's bytes did not survive a reload (no IndexedDB, or cleared). */
  fileLost: "{name} was lost when the page reloaded. Remove the message and attach it again.",
  remove: "Remove",
  charsLeft: "{n} characters left",
  charsOver: "{n} characters too many",
  tooLong: "A message can have at most {max} characters.",
  handoff: "Talk to a human",
  /** Sent by the server, not shown by the app: the bot's reply when no FAQ entry matches. It names the handoff button. */
  botFallback: "I don't have an answer to that yet. Choose \u201cTalk to a human\u201d and someone from the team will reply here.",
  awayTitle: "Nobody is online right now.",
  /** Within business hours with nobody online; {time} is when today's hours end ("17:00"). */
  awayUntil: "We're open until {time} today and will reply as soon as someone is back.",
  awayAsk: "Leave your email address and we'll reply there. You can still write to us here.",
  email: "Email",
  awaySubmit: "Notify me",
  awayDone: "We'll reply to {email}.",
  /** The away notice when this chat sends no email (no SMTP, or the inbox's reply emails off): nothing is promised by email. */
  awayNoEmail: "Leave your message here; we'll answer here when we're back.",
  askTitle: "Get notified by email when we reply",
  askSubmit: "Notify me",
  askSkip: "Skip",
  askDone: "We'll email {email} when we reply.",
  /** Satisfaction (CSAT), asked when the conversation is closed; the choices are 1..5, "|"-separated. */
  rateAsk: "How was your conversation?",
  rateChoices: "Terrible|Bad|Okay|Good|Great",
  rateComment: "Anything to add? (optional)",
  rateSend: "Send rating",
  rateThanks: "Thank you for your rating!",
  transcriptOffer: "Email me this conversation",
  transcriptSend: "Send by email",
  transcriptSent: "Sent to {email}",
  errEmailLimited: "Please wait a while before asking again.",
  /** The hosted chat page (/chat/{link}): its session ended with the link, or the link was not valid. */
  errLinkExpired: "This chat link has expired. Open the link in our latest email again, or write to us on our website.",
  linkExpiredTitle: "This link has expired",
  linkExpired: "Links to a conversation work for a limited time. To reach us again, reply to our email or open the chat on our website.",
  badEmail: "Please enter a valid email address.",
  errEmpty: "The message is empty.",
  errRateLimited: "Too many messages. Trying again in {s} s.",
  errRateLimitedMinutes: "Too many messages. Trying again in {m} min.",
  errServer: "Something went wrong. Please try again.",
  errIdentity: "Please sign in to chat with us.",
  errOrigin: "This chat is not available on this website.",
  errUnavailable: "The chat is not available right now.",
};
