// The host page's loader (public/widget.js) and this frame talk by postMessage: always to the exact
// origin of the page that framed us, and only what that page itself sends is heard.
import { config } from "./config.js";

export const framed = window.parent !== window;
// The browser's word on who framed us wins over the URL parameter, which the host page chose.
const claimed = location.ancestorOrigins?.[0] || config.hostOrigin;
const hostOrigin = /^https?:\/\/[^/]+$/.test(claimed || "") ? claimed : null;

export function tellHost(type, fields) {
  if (framed && hostOrigin) parent.postMessage({ ...fields, sd: "supportdesk", type }, hostOrigin);
}

/** Calls `handlers[type](message)` for each message of the host page; anything else is ignored. */
export function listenToHost(handlers) {
  addEventListener("message", ({ data, origin, source }) => {
    if (hostOrigin && origin === hostOrigin && source === parent && data?.sd === "supportdesk" && Object.hasOwn(handlers, data.type)) handlers[data.type](data);
  });
}
