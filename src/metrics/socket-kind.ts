// Which kind of socket a topic's subscribers are (topics.ts): customers' widgets or agents' pages.
// Bus-internal topics ("!...") have no sockets.
export type SocketKind = "widget" | "inbox";

export function socketKindOf(topic: string): SocketKind | null {
  if (topic.startsWith("!")) return null;
  if (topic.startsWith("conv:")) return topic.endsWith(":agents") ? "inbox" : "widget";
  if (topic.startsWith("visitor:") || topic === "widgets") return "widget";
  return "inbox";
}
