// The rules of the authorization matrix (authorization-matrix.test.ts): who may use each route
// and socket frame the app has, and who may ever see a customer's message. A new route or frame
// without a row here fails that test until someone decides who may use it.

export const ACTORS = ["anonymous", "visitorA", "visitorB", "agent", "admin", "deactivated", "signedOut"] as const;
export type Actor = (typeof ACTORS)[number];

/** "allow": past authorization (any answer but a refusal); "login": sent to sign in; a number: that refusal. */
export type Verdict = "allow" | "login" | 401 | 403;
export type Rule = Record<Actor, Verdict>;

/** Visitor A's message: only A and the agents may ever see it. Nothing in it is escaped in HTML or JSON. */
export const SECRET = "visitor A order 4711 secret words";
export const MAY_SEE_SECRET: ReadonlySet<Actor> = new Set(["visitorA", "agent", "admin"]);

const everyone: Rule = { anonymous: "allow", visitorA: "allow", visitorB: "allow", agent: "allow", admin: "allow", deactivated: "allow", signedOut: "allow" };
/** Signed-in agents: the rest are sent to sign in. A visitor's token is no session. */
const agentsOnly: Rule = { anonymous: "login", visitorA: "login", visitorB: "login", agent: "allow", admin: "allow", deactivated: "login", signedOut: "login" };
const adminsOnly: Rule = { ...agentsOnly, agent: 403 };
/** The widget API: a visitor token, never a cookie. */
const visitorsOnly: Rule = { anonymous: 401, visitorA: "allow", visitorB: "allow", agent: 401, admin: 401, deactivated: 401, signedOut: 401 };
/** Sends everyone to the sign-in page: setup once it is done, and signing out. */
const toLogin: Rule = { anonymous: "login", visitorA: "login", visitorB: "login", agent: "login", admin: "login", deactivated: "login", signedOut: "login" };
/** A mail service's webhook: only INBOUND_EMAIL_SECRET as a bearer token, which no actor here holds. */
/** Routes for a machine's bearer secret from the environment (inbound email, metrics): everyone else 401. */
const inboundSecretOnly: Rule = { anonymous: 401, visitorA: 401, visitorB: 401, agent: 401, admin: 401, deactivated: 401, signedOut: 401 };
/** A signed file link (src/files/links.ts): without its signature, refused for everyone. */
const signedLinkOnly: Rule = { anonymous: 403, visitorA: 403, visitorB: 403, agent: 403, admin: 403, deactivated: 403, signedOut: 403 };
/** A wrong password is refused alike for everyone. */
const wrongPassword: Rule = { anonymous: 401, visitorA: 401, visitorB: 401, agent: 401, admin: 401, deactivated: 401, signedOut: 401 };

/** Every HTTP route (`METHOD /pattern`) and socket frame (`WS /path frame`) there is. */
export const RULES: Record<string, Rule> = {
  "GET /health": everyone,
  "GET /ready": everyone,
  "GET /": agentsOnly,
  "GET /setup": toLogin,
  "POST /setup": everyone,
  "GET /login": everyone,
  "POST /login": wrongPassword,
  "POST /logout": toLogin,
  // "Forgot password?": the same answer for everyone; a reset link's token is the credential (a wrong one: 404/410).
  "GET /forgot-password": everyone,
  "POST /forgot-password": everyone,
  "GET /reset-password/:token": everyone,
  "POST /reset-password/:token": everyone,
  "GET /invites/:token": everyone,
  "POST /invites/:token": everyone,
  "GET /widget.js": everyone,
  "GET /public/*": everyone,
  "GET /favicon.svg": everyone,
  "GET /favicon.ico": everyone,
  "GET /widget.d.ts": everyone,
  "GET /public/embed/:file": everyone,
  "GET /public/vendor/alpine-csp.min.js": everyone,
  "GET /public/widget-refused.js": everyone,
  "GET /embed/widget": everyone,
  "GET /demo": everyone,
  "OPTIONS /api/v1/widget/*": everyone,
  "POST /api/v1/widget/session": everyone,
  "GET /api/v1/widget/messages": visitorsOnly,
  "POST /api/v1/widget/messages": visitorsOnly,
  "POST /api/v1/widget/handoff": visitorsOnly,
  "POST /api/v1/widget/away": visitorsOnly,
  "POST /api/v1/inbound-email": inboundSecretOnly,
  // A scraper's bearer token (METRICS_TOKEN), which no actor here holds: no session or visitor token opens it.
  "GET /metrics": inboundSecretOnly,
  "POST /api/v1/widget/email-prompt": visitorsOnly,
  "POST /api/v1/widget/rating": visitorsOnly,
  "POST /api/v1/widget/files": visitorsOnly,
  "GET /api/v1/widget/files/:id/link": visitorsOnly,
  // A file through its signed link: the signature is the authority, which no actor's credential replaces.
  "GET /api/v1/widget/files/:id": signedLinkOnly,
  "POST /inbox/c/:id/files": agentsOnly,
  "GET /files/:id/*": agentsOnly,
  "POST /api/v1/widget/transcript": visitorsOnly,
  // The hosted chat page: the link in its path is the credential (a forged or expired one: 404/410).
  "GET /chat/:token": everyone,
  "GET /inbox": agentsOnly,
  "GET /inbox/list": agentsOnly,
  "GET /inbox/c/:id": agentsOnly,
  // The empty inbox's first-run checklist: every agent may ask; only an admin's answer has a checklist.
  "GET /inbox/onboarding": agentsOnly,
  "POST /inbox/onboarding/dismiss": agentsOnly,
  "POST /inbox/c/:id/accept": agentsOnly,
  "POST /inbox/c/:id/claim": agentsOnly,
  "POST /inbox/c/:id/assign": agentsOnly,
  "POST /inbox/c/:id/unassign": agentsOnly,
  "POST /inbox/c/:id/undo-unassign": agentsOnly,
  "POST /inbox/c/:id/close": agentsOnly,
  "POST /inbox/c/:id/reopen": agentsOnly,
  "POST /inbox/c/:id/contact": agentsOnly,
  "POST /inbox/c/:id/messages": agentsOnly,
  "POST /inbox/c/:id/viewed": agentsOnly,
  "GET /inbox/c/:id/labels": agentsOnly,
  "POST /inbox/c/:id/labels": agentsOnly,
  "POST /inbox/c/:id/snooze": agentsOnly,
  "POST /inbox/c/:id/unsnooze": agentsOnly,
  "GET /inbox/c/:id/replied-notice": agentsOnly,
  "GET /tickets": agentsOnly,
  "GET /tickets/more": agentsOnly,
  "GET /tickets/new": agentsOnly,
  "POST /tickets": agentsOnly,
  "GET /tickets/:number": agentsOnly,
  "POST /tickets/:number": agentsOnly,
  "POST /tickets/:number/comments": agentsOnly,
  "GET /analytics": agentsOnly,
  "GET /analytics/conversations-per-day.csv": agentsOnly,
  "GET /analytics/first-responses.csv": agentsOnly,
  "GET /analytics/resolutions.csv": agentsOnly,
  "GET /analytics/queue-waits.csv": agentsOnly,
  "GET /analytics/agents.csv": agentsOnly,
  "GET /analytics/attention.csv": agentsOnly,
  "GET /analytics/tickets.csv": agentsOnly,
  "GET /analytics/satisfaction.csv": agentsOnly,
  "GET /analytics/satisfaction-agents.csv": agentsOnly,
  "GET /analytics/labels.csv": agentsOnly,
  "GET /settings": agentsOnly,
  "GET /settings/profile": agentsOnly,
  "POST /settings/profile/name": agentsOnly,
  "POST /settings/profile/password": agentsOnly,
  "POST /settings/profile/notifications": agentsOnly,
  "POST /settings/profile/email": agentsOnly,
  "POST /settings/profile/availability": agentsOnly,
  "POST /settings/profile/theme": agentsOnly,
  "GET /settings/agents": adminsOnly,
  "POST /settings/agents/invites": adminsOnly,
  "POST /settings/agents/invites/:id/revoke": adminsOnly,
  "POST /settings/agents/:id/deactivate": adminsOnly,
  "POST /settings/agents/:id/reactivate": adminsOnly,
  "POST /settings/agents/:id/reset-password": adminsOnly,
  "POST /settings/inboxes": adminsOnly,
  "GET /settings/inboxes/:id": adminsOnly,
  "POST /settings/inboxes/:id": adminsOnly,
  "POST /settings/inboxes/:id/secret": adminsOnly,
  "POST /settings/inboxes/:id/faq": adminsOnly,
  "GET /settings/account": adminsOnly,
  "POST /settings/account": adminsOnly,
  "POST /settings/account/queue-alert": adminsOnly,
  "POST /settings/account/locale": adminsOnly,
  "GET /settings/jobs": adminsOnly,
  // Every agent sees the labels; only admins change them.
  "GET /settings/labels": agentsOnly,
  "POST /settings/labels": adminsOnly,
  "POST /settings/labels/:id": adminsOnly,
  "POST /settings/labels/:id/delete": adminsOnly,
  // Saved replies: everyone's own; the team's are written by admins only (the service's 403).
  "GET /settings/replies": agentsOnly,
  "POST /settings/replies": agentsOnly,
  "GET /settings/replies/:id": agentsOnly,
  "POST /settings/replies/:id": agentsOnly,
  "POST /settings/replies/:id/delete": agentsOnly,
  "GET /inbox/c/:id/saved-replies": agentsOnly,
  "POST /inbox/c/:id/notes": agentsOnly,
  "GET /inbox/c/:id/teammates": agentsOnly,
  "GET /notifications": agentsOnly,
  "GET /notifications/:id": agentsOnly,
  "POST /notifications/read": agentsOnly,
  // The link in a conversation email: its signed token is the authority, whoever follows it.
  "GET /email/unsubscribe/:token": everyone,
  "POST /email/unsubscribe/:token": everyone,
  // A reply email's rating link: its signed token is the authority (a forged or expired one: 404/410).
  "GET /rate/:token": everyone,
  "POST /rate/:token": everyone,
  // The agents' socket: only a live session opens it, and a socket whose session ended is closed.
  "WS /ws/inbox follow": agentsOnly,
  "WS /ws/inbox view": agentsOnly,
  "WS /ws/inbox typing": agentsOnly,
  // The widget's socket: anyone may connect; nothing but `auth` with a visitor token is answered.
  // The upgrade is open to every page (a plain GET without it is answered 400); the first frame authenticates.
  "GET /ws/widget": everyone,
  "WS /ws/widget auth": visitorsOnly,
  "WS /ws/widget send": visitorsOnly,
  "WS /ws/widget typing": visitorsOnly,
  "WS /ws/widget read": visitorsOnly,
  "WS /ws/widget resume": visitorsOnly,
  "WS /ws/widget handoff": visitorsOnly,
  "WS /ws/widget rate": visitorsOnly,
};
