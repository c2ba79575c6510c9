// What the server rendered into the page (#sd-config), and the host page that framed it. The loader
// (public/widget.js) and this frame talk by postMessage: always to the exact origin of the page that
// framed us, and only what that page itself sends is heard.
export const config = JSON.parse(document.getElementById("sd-config").textContent);
export const strings = config.strings;
export const framed = window.parent !== window;
const numbers = new Intl.NumberFormat(config.locale);
// The browser's word on who framed us wins over the URL parameter, which the host page chose.
const claimed = location.ancestorOrigins?.[0] || config.hostOrigin;
const hostOrigin = /^https?:\/\/[^/]+$/.test(claimed || "") ? claimed : null;

/** A string of the catalog with its {placeholders} filled in, numbers formatted for the language. */
export function say(key, values) {
  return strings[key].replace(/\{(\w+)\}/g, (_, name) => (typeof values[name] === "number" ? numbers.format(values[name]) : values[name]));
}

/** "10 MB", "1.2 MB", "340 KB": sizes as the server writes them (src/files/model.ts), in the page's language. */
export function humanSize(bytes) {
  const [value, unit] = bytes < 1e3 ? [bytes, "B"] : bytes < 1e6 ? [bytes / 1e3, "KB"] : bytes < 1e9 ? [bytes / 1e6, "MB"] : [bytes / 1e9, "GB"];
  return `${numbers.format(value < 10 ? Math.round(value * 10) / 10 : Math.round(value))} ${unit}`;
}

export function tellHost(type, fields) {
  if (framed && hostOrigin) parent.postMessage({ ...fields, sd: "supportdesk", type }, hostOrigin);
}

/** Calls `handlers[type](message)` for each message of the host page; anything else is ignored. */
export function listenToHost(handlers) {
  addEventListener("message", ({ data, origin, source }) => {
    if (hostOrigin && origin === hostOrigin && source === parent && data?.sd === "supportdesk" && Object.hasOwn(handlers, data.type)) handlers[data.type](data);
  });
}
