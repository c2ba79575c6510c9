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
  mute: "Mute sounds",
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
  charsLeft: "{n} characters left",
  charsOver: "{n} characters too many",
  tooLong: "A message can have at most {max} characters.",
  handoff: "Talk to a human",
  /** Sent by the server, not shown by the app: the bot's reply when no FAQ entry matches. It names the handoff button. */
  botFallback: "I don't have an answer to that yet. Choose \u201cTalk to a human\u201d and someone from the team will reply here.",
  awayTitle: "Nobody is online right now.",
  awayAsk: "Leave your email address and we'll reply there. You can still write to us here.",
  email: "Email",
  awaySubmit: "Notify me",
  awayDone: "We'll reply to {email}.",
  badEmail: "Please enter a valid email address.",
  errEmpty: "The message is empty.",
  errRateLimited: "Too many messages. Trying again in {s} s.",
  errRateLimitedMinutes: "Too many messages. Trying again in {m} min.",
  errServer: "Something went wrong. Please try again.",
  errIdentity: "Please sign in to chat with us.",
  errOrigin: "This chat is not available on this website.",
  errUnavailable: "The chat is not available right now.",
};
