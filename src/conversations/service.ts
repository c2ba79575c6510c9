// The conversations' verbs and reads, as the rest of the app calls them. Each job has its file:
// the customer's verbs, the agents' verbs, the inbox's reads, and the changes they announce
// after the commit (changes.ts, notify.tsx).
export type { ConversationDeps } from "./changes.ts";
export type { AgentRef } from "./locked.ts";
export * from "./customer-verbs.ts";
export * from "./agent-verbs.ts";
export * from "./listing.ts";
