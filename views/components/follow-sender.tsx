import type { FollowedPage } from "../../src/inbox/agent-frames.ts";

/**
 * Tells the agents' socket which page this is, so that it receives this page's pushes and no
 * other's (src/inbox/socket-service.tsx). Sent when the socket connects and on every reconnect
 * (public/live.js fires `sd-connected` on `[data-on-connect]`).
 */
export function FollowSender(props: FollowedPage) {
  const vals = props.page === "ticket" ? { type: "follow", page: "ticket", ticket: props.ticket } : { type: "follow", page: props.page };
  return <div hidden class="follow-sender" data-on-connect hx-ws:send hx-trigger="load, sd-connected" hx-vals={JSON.stringify(vals)}></div>;
}
