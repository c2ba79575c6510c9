import type { FollowedPage } from "../../src/inbox/agent-frames.ts";

/**
 * A hidden element that sends `frame` on the agents' socket (htmx's `hx-ws:send`) when `trigger`
 * fires. With `onConnect` it is sent again on every (re)connect too: public/live.js fires
 * `sd-connected` on `[data-on-connect]`.
 */
export function WsSender(props: { class: string; frame: Record<string, unknown>; trigger?: string; onConnect?: boolean }) {
  const trigger = [props.onConnect ? "load, sd-connected" : "", props.trigger ?? ""].filter(Boolean).join(", ");
  return <div hidden class={props.class} data-on-connect={props.onConnect ? "" : undefined} hx-ws:send hx-trigger={trigger} hx-vals={JSON.stringify(props.frame)}></div>;
}

/**
 * Tells the agents' socket which page this is, so that it receives this page's pushes and no
 * other's (src/inbox/socket-service.tsx), at connect and on every reconnect. The inbox's is in the
 * list column, which a change of tab replaces: the new one says the new tab when it loads.
 */
export function FollowSender(props: FollowedPage) {
  const frame = { type: "follow", ...props };
  return <WsSender class="follow-sender" frame={frame} onConnect />;
}
