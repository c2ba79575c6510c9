// The tickets' verbs and reads, as the routes call them: the verbs (create, change, comment) in
// verbs.ts, what the pages read in reads.ts.
export * from "./verbs.ts";
export * from "./reads.ts";
