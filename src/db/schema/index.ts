// Every table, for drizzle-kit and for the typed database handle.
export * from "./account.ts";
export * from "./agents.ts";
export * from "./contacts.ts";
export * from "./conversations.ts";
export * from "./inboxes.ts";
export * from "./invites.ts";
export * from "./jobs.ts";
export * from "./messages.ts";
export * from "./tickets.ts";
export * from "./ratings.ts";
export * from "./attachments.ts";
export * from "./team-tools.ts";
export * from "./team-notes.ts";
